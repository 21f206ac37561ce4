//! The plain-file form of the evaluation (`shared/spec/evaluation.md`, last section):
//! `observations.csv` and `targets.csv` in, `status.csv` out, plus [`synth`], a
//! deterministic national-scale data set in the same form.
//!
//! The whole input is read and checked before the first byte is written: a bad file
//! writes nothing. A file output goes to a temporary file beside it, renamed into place
//! only on success.
//!
//! Speed: both files read in parallel byte ranges without allocating per field, names
//! interned once, observations kept grouped where they were parsed, rayon over targets,
//! a fast `%.6g`, formatting on all cores while the previous batch is written.

mod error;
pub mod lines;
pub mod read;
pub mod synth;
pub mod write;

pub use error::PlainFileError;

use planwatch_core::evaluation::{Series, SeriesAt, evaluate};
use rayon::prelude::*;
use read::{Observations, Targets, read_observations, read_targets};
use std::io::Write;
use std::path::Path;
use write::{RowWriter, STATUS_HEADER};

/// Phase timings on stderr when `PW_TIMING` is set (for `bench/`).
struct Timer {
    on: bool,
    last: std::time::Instant,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("PW_TIMING").is_some(),
            last: std::time::Instant::now(),
        }
    }

    fn lap(&mut self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let cpu = cpu_seconds();
            eprintln!(
                "{what}: {:.3} s wall, {:.2} s cpu so far",
                (now - self.last).as_secs_f64(),
                cpu
            );
            self.last = now;
        }
    }
}

/// User + system time of this process so far, from /proc (0 where there is none).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime
    // the 13th, in clock ticks of 1/100 s.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// What a run produced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    pub observations: usize,
    pub targets: usize,
    pub series: usize,
}

/// Both files, read and checked (the two files are read in parallel).
pub struct Input {
    pub observations: Observations,
    pub targets: Targets,
    /// Target indices in output order.
    order: Vec<u32>,
}

impl Input {
    pub fn read(observations: &Path, targets: &Path) -> Result<Input, PlainFileError> {
        // The output order needs only the targets: it is sorted out while observations
        // are still being read.
        let (o, t) = rayon::join(
            || read_observations(observations),
            || {
                read_targets(targets).map(|t| {
                    let order = output_order(&t);
                    (t, order)
                })
            },
        );
        // A targets error is reported first only when observations are fine.
        let o = o?;
        let (t, order) = t?;
        Ok(Input {
            observations: o,
            targets: t,
            order,
        })
    }

    pub fn stats(&self) -> RunStats {
        RunStats {
            observations: self.observations.len(),
            targets: self.targets.len(),
            series: self.targets.keys.series.len(),
        }
    }

    /// Evaluates every target for report year `year` and writes status.csv to `out`.
    ///
    /// Rows are evaluated and formatted in batches on all cores (targets of one series
    /// are neighbours in the output, so each series is looked up once per chunk), while
    /// this thread writes the previous batch; the batch buffers are reused.
    pub fn write_status(&self, year: i32, out: &mut dyn Write) -> std::io::Result<()> {
        let mut timer = Timer::new();
        let order = &self.order;
        let tk = &self.targets.keys;
        let obs = &self.observations;
        // Target names -> observation names.
        let regions: Vec<Option<u32>> = tk.regions.iter().map(|r| obs.keys.region_id(r)).collect();
        let indicators: Vec<Option<u32>> = tk
            .indicators
            .iter()
            .map(|i| obs.keys.indicator_id(i))
            .collect();
        let empty = Series::default().at(year);
        // What a series alone decides for the report year.
        let series_at = |s: u32| -> SeriesAt<'_> {
            let (r, i) = tk.series[s as usize];
            let values = regions[r as usize]
                .zip(indicators[i as usize])
                .and_then(|(r, i)| obs.keys.find_ids(r, i))
                .map_or(&[][..], |s| obs.series(s));
            // Sorted and free of duplicates by construction.
            Series::new(values).map_or(empty, |s| s.at(year))
        };
        let rows = RowWriter::new(&tk.regions, &tk.indicators);
        // One chunk's rows into `buf` (kept allocated and initialised from batch to
        // batch); returns their length.
        let format = |chunk: &[u32], buf: &mut Vec<u8>| -> usize {
            let mut current = (u32::MAX, empty);
            let mut used = 0;
            for &k in chunk {
                let Some(row) = self.targets.row(k as usize) else {
                    continue;
                };
                if row.series != current.0 {
                    current = (row.series, series_at(row.series));
                }
                let e = evaluate(&current.1, &row.spec);
                let (r, i) = tk.series[row.series as usize];
                used = rows.write_at(buf, used, r, i, &row.spec, &e);
            }
            used
        };

        out.write_all(STATUS_HEADER.as_bytes())?;
        const CHUNK: usize = 1024;
        const BATCH: usize = 16 * CHUNK;
        type Bufs = Vec<(Vec<u8>, usize)>;
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Bufs>(1);
        let (free_tx, free_rx) = std::sync::mpsc::channel::<Bufs>();
        let written = std::thread::scope(|scope| {
            let producer = scope.spawn(move || {
                for batch in order.chunks(BATCH) {
                    let mut bufs = free_rx.try_recv().unwrap_or_default();
                    bufs.resize_with(batch.len().div_ceil(CHUNK), || (vec![0; CHUNK * 160], 0));
                    batch
                        .par_chunks(CHUNK)
                        .zip(bufs.par_iter_mut())
                        .for_each(|(chunk, (buf, used))| *used = format(chunk, buf));
                    // The writer stopped (a write failed): stop too.
                    if full_tx.send(bufs).is_err() {
                        return;
                    }
                }
            });
            let mut result = Ok(());
            for bufs in &full_rx {
                result = bufs
                    .iter()
                    .try_for_each(|(b, used)| out.write_all(&b[..*used]));
                if result.is_err() {
                    break;
                }
                // The producer may have finished: then the buffers are simply dropped.
                let _ = free_tx.send(bufs);
            }
            drop(full_rx);
            if let Err(panic) = producer.join() {
                std::panic::resume_unwind(panic);
            }
            result
        });
        written?;
        out.flush()?;
        timer.lap("evaluate and write");
        Ok(())
    }
}

/// Target indices in output order: region, indicator, target year in byte order,
/// ties in input order.
fn output_order(targets: &Targets) -> Vec<u32> {
    let keys = &targets.keys;
    let rank = |names: &[Box<[u8]>]| {
        let mut ids: Vec<u32> = (0..names.len() as u32).collect();
        ids.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        let mut rank = vec![0u32; names.len()];
        for (r, &id) in ids.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        rank
    };
    let rr = rank(&keys.regions);
    let ir = rank(&keys.indicators);
    // Series in (region, indicator) byte order; the series are usually already in
    // that order, which the sort sees in one pass.
    let mut series: Vec<(u32, u32, u32)> = keys
        .series
        .iter()
        .enumerate()
        .map(|(s, &(r, i))| (rr[r as usize], ir[i as usize], s as u32))
        .collect();
    series.sort_unstable();
    let mut series_rank = vec![0u32; series.len()];
    for (k, &(_, _, s)) in series.iter().enumerate() {
        series_rank[s as usize] = k as u32;
    }
    drop(series);
    // A stable counting sort of the targets by series rank keeps the input order
    // within a series...
    let mut start = vec![0u32; series_rank.len() + 1];
    for t in targets.rows() {
        start[series_rank[t.series as usize] as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let bounds = start.clone();
    let mut order = vec![(0i32, 0u32); targets.len()];
    for (i, t) in targets.rows().enumerate() {
        let slot = &mut start[series_rank[t.series as usize] as usize];
        order[*slot as usize] = (t.spec.year, i as u32);
        *slot += 1;
    }
    // ...and within each series (a handful of rows) a sort by target year, then
    // input order.
    for w in bounds.windows(2) {
        let group = &mut order[w[0] as usize..w[1] as usize];
        if group.len() > 1 {
            group.sort_unstable();
        }
    }
    order.into_iter().map(|(_, i)| i).collect()
}

/// Reads both files and writes status.csv to `out` (e.g. stdout). Nothing is written
/// when an input file is bad.
pub fn evaluate_to_writer(
    observations: &Path,
    targets: &Path,
    year: i32,
    out: &mut dyn Write,
) -> Result<RunStats, PlainFileError> {
    let input = Input::read(observations, targets)?;
    input
        .write_status(year, out)
        .map_err(|e| PlainFileError::write(Path::new("-"), e))?;
    Ok(input.stats())
}

/// Reads both files and writes status.csv to `out_path` through a temporary file in the
/// same directory, renamed into place only when everything succeeded.
pub fn evaluate_to_file(
    observations: &Path,
    targets: &Path,
    year: i32,
    out_path: &Path,
) -> Result<RunStats, PlainFileError> {
    let mut timer = Timer::new();
    let input = Input::read(observations, targets)?;
    timer.lap("read");
    write_atomically(out_path, |w| input.write_status(year, w))?;
    timer.lap("write, temporary file and rename");
    let stats = input.stats();
    drop(input);
    timer.lap("free");
    Ok(stats)
}

/// Writes through a temporary file beside `path` and renames it into place.
pub(crate) fn write_atomically(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), PlainFileError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let err = |e| PlainFileError::write(path, e);
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    {
        // Rows arrive in chunks of a few hundred KB: a small buffer lets them go straight
        // to the file instead of being copied once more.
        let mut w = std::io::BufWriter::with_capacity(64 << 10, tmp.as_file());
        f(&mut w).map_err(err)?;
        w.flush().map_err(err)?;
    }
    let file = tmp.persist(path).map_err(|e| err(e.error))?;
    // A temporary file is private (0600); the result is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(err)?;
    }
    drop(file);
    Ok(())
}

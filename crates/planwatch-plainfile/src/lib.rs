//! The plain-file form of the evaluation (`shared/spec/evaluation.md`, last section):
//! `observations.csv` and `targets.csv` in, `status.csv` out, plus [`synth`], a
//! deterministic national-scale data set in the same form.
//!
//! The whole input is read and checked before the first byte is written: a bad file
//! writes nothing. A file output goes to a temporary file beside it, renamed into place
//! only on success.
//!
//! Speed: one reused `ByteRecord` per file, names interned once, a counting sort to group
//! observations by series, rayon over targets, a fast `%.6g`, one buffered write.

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
use write::{STATUS_HEADER, write_row};

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
}

impl Input {
    pub fn read(observations: &Path, targets: &Path) -> Result<Input, PlainFileError> {
        let (o, t) = rayon::join(|| read_observations(observations), || read_targets(targets));
        // A targets error is reported first only when observations are fine.
        let o = o?;
        let t = t?;
        Ok(Input {
            observations: o,
            targets: t,
        })
    }

    pub fn stats(&self) -> RunStats {
        RunStats {
            observations: self.observations.values.len(),
            targets: self.targets.rows.len(),
            series: self.targets.keys.series.len(),
        }
    }

    /// Target indices in output order: region, indicator, target year in byte order,
    /// ties in input order.
    fn output_order(&self) -> Vec<u32> {
        let keys = &self.targets.keys;
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
        let rows = &self.targets.rows;
        let mut start = vec![0u32; series_rank.len() + 1];
        for t in rows {
            start[series_rank[t.series as usize] as usize + 1] += 1;
        }
        for k in 1..start.len() {
            start[k] += start[k - 1];
        }
        let bounds = start.clone();
        let mut order = vec![0u32; rows.len()];
        for (i, t) in rows.iter().enumerate() {
            let slot = &mut start[series_rank[t.series as usize] as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        // ...and a stable sort by target year within each series (a handful of rows).
        for w in bounds.windows(2) {
            let group = &mut order[w[0] as usize..w[1] as usize];
            if group.len() > 1 {
                group.sort_by_key(|&i| rows[i as usize].spec.year);
            }
        }
        order
    }

    /// Evaluates every target for report year `year` and writes status.csv to `out`.
    pub fn write_status(&self, year: i32, out: &mut dyn Write) -> std::io::Result<()> {
        let order = self.output_order();
        let tk = &self.targets.keys;
        let obs = &self.observations;
        // Target series -> observation series.
        let regions: Vec<Option<u32>> = tk.regions.iter().map(|r| obs.keys.region_id(r)).collect();
        let indicators: Vec<Option<u32>> = tk
            .indicators
            .iter()
            .map(|i| obs.keys.indicator_id(i))
            .collect();
        let link: Vec<Option<u32>> = tk
            .series
            .iter()
            .map(|&(r, i)| {
                obs.keys
                    .find_ids(regions[r as usize]?, indicators[i as usize]?)
            })
            .collect();
        // What each series alone decides for the report year, once per series.
        let at: Vec<Option<SeriesAt<'_>>> = link
            .par_iter()
            .map(|l| {
                let values = l.map_or(&[][..], |s| obs.series(s));
                Series::new(values).ok().map(|s| s.at(year))
            })
            .collect();
        let empty = Series::default().at(year);
        out.write_all(STATUS_HEADER.as_bytes())?;
        const BATCH: usize = 1 << 16;
        const CHUNK: usize = 2048;
        for batch in order.chunks(BATCH) {
            let parts: Vec<Vec<u8>> = batch
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut buf = Vec::with_capacity(chunk.len() * 128);
                    for &i in chunk {
                        let row = &self.targets.rows[i as usize];
                        // Sorted and free of duplicates by construction.
                        let series_at = at[row.series as usize].as_ref().unwrap_or(&empty);
                        let e = evaluate(series_at, &row.spec);
                        write_row(
                            &mut buf,
                            tk.region(row.series),
                            tk.indicator(row.series),
                            &row.spec,
                            &e,
                        );
                    }
                    buf
                })
                .collect();
            for p in parts {
                out.write_all(&p)?;
            }
        }
        out.flush()
    }
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
    let input = Input::read(observations, targets)?;
    write_atomically(out_path, |w| input.write_status(year, w))?;
    Ok(input.stats())
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

//! Prints the reader's precision, recall and F1 against the hand-read gold set of the four
//! plans (`tests/data/gold`), per plan and overall: main (quantified) targets, qualitative
//! targets and both. `--detail` also lists what was missed and what was extra; `--times`
//! also times reading each plan as .txt, as .docx and .html (made from the text as the
//! format tests make them) and as the .pdf fixtures in `tests/data/pdf`.
//!
//! `cargo run -p planwatch-ingest --example extraction_score [-- --detail] [-- --times]`

#[path = "../tests/it/gold.rs"]
mod gold;
#[path = "../tests/it/made.rs"]
#[allow(dead_code)]
mod made;

use gold::Counts;

fn cells(c: &Counts) -> String {
    format!(
        "{:>3}/{:<3} {:>3}/{:<3} P {:.2} R {:.2} F1 {:.2}",
        c.tp,
        c.extracted,
        c.tp,
        c.gold,
        c.precision(),
        c.recall(),
        c.f1()
    )
}

fn main() {
    let detail = std::env::args().any(|a| a == "--detail");
    if std::env::args().any(|a| a == "--times") {
        times();
    }
    let scores = match gold::score_all() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let (mut main, mut qual) = (Counts::default(), Counts::default());
    println!(
        "plan           | main (tp/extracted tp/gold)              | qualitative                              | all"
    );
    for (name, s) in &scores {
        println!(
            "{name:<14} | {} | {} | F1 {:.2}",
            cells(&s.main),
            cells(&s.qualitative),
            s.all().f1()
        );
        main.add(s.main);
        qual.add(s.qualitative);
        if detail {
            for m in &s.missed {
                println!("    missed {m}");
            }
            for x in &s.extra {
                println!("    extra  {x}");
            }
        }
    }
    let mut all = main;
    all.add(qual);
    println!(
        "{:<14} | {} | {} | {}",
        "overall",
        cells(&main),
        cells(&qual),
        cells(&all)
    );
}

/// The median of five readings (decode and extract) of each form of each plan.
fn times() {
    const RUNS: usize = 5;
    let median = |name: &str, bytes: &[u8]| -> Option<f64> {
        let mut ms = Vec::new();
        for _ in 0..RUNS {
            let start = std::time::Instant::now();
            let source = planwatch_ingest::decode(name, bytes).ok()?;
            planwatch_ingest::extract::extract(&source).ok()?;
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        Some(ms[RUNS / 2])
    };
    let show = |t: Option<f64>| t.map_or("—".to_string(), |t| format!("{t:.0} ms"));
    let pdf_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf");
    println!("reading time (median of {RUNS}) | .txt | .docx | .html | .pdf");
    for (prefix, file) in gold::documents() {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let docx = made::docx_of(&lines);
        let html = made::html_of(&lines);
        let pdf = std::fs::read(pdf_dir.join(format!("{prefix}.pdf"))).ok();
        println!(
            "{prefix} ({} KB) | {} | {} | {} | {}",
            bytes.len() / 1024,
            show(median("plan.txt", &bytes)),
            show(median("plan.docx", &docx)),
            show(median("plan.html", html.as_bytes())),
            show(pdf.and_then(|p| median("plan.pdf", &p))),
        );
    }
}

//! Prints the reader's precision, recall and F1 against the hand-read gold set of the four
//! plans (`tests/data/gold`), per plan and overall: main (quantified) targets, qualitative
//! targets and both. `--detail` also lists what was missed and what was extra.
//!
//! `cargo run -p planwatch-ingest --example extraction_score [-- --detail]`

#[path = "../tests/it/gold.rs"]
mod gold;

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
    let scores = match gold::score_all() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let (mut main, mut qual) = (Counts::default(), Counts::default());
    println!("plan           | main (tp/extracted tp/gold)              | qualitative                              | all");
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

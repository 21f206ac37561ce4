use crate::{dir_with, p, read};
use planwatch_core::evaluation::{Status, Warning};
use planwatch_plainfile::evaluate_to_file;
use planwatch_plainfile::synth::{SynthOptions, synth_to_dir};

fn opts(seed: u64) -> SynthOptions {
    SynthOptions {
        regions: 40,
        indicators: 50,
        seed,
    }
}

#[test]
fn same_options_same_bytes() {
    let d = dir_with(&[]);
    let a = synth_to_dir(&opts(3), &p(&d, "a"));
    let b = synth_to_dir(&opts(3), &p(&d, "b"));
    let c = synth_to_dir(&opts(4), &p(&d, "c"));
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    for f in ["observations.csv", "targets.csv"] {
        assert_eq!(
            read(&p(&d, &format!("a/{f}"))),
            read(&p(&d, &format!("b/{f}")))
        );
        assert_ne!(
            read(&p(&d, &format!("a/{f}"))),
            read(&p(&d, &format!("c/{f}")))
        );
    }
}

#[test]
fn every_status_and_warning_occurs() {
    let d = dir_with(&[]);
    let s = synth_to_dir(&opts(1), &p(&d, "set"));
    assert!(s.is_ok());
    let r = evaluate_to_file(
        &p(&d, "set/observations.csv"),
        &p(&d, "set/targets.csv"),
        2024,
        &p(&d, "status.csv"),
    );
    assert!(r.is_ok(), "{r:?}");
    let out = read(&p(&d, "status.csv"));
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    for st in Status::ALL {
        assert!(rows.iter().any(|r| r[12] == st.as_str()), "no {st}");
    }
    for w in Warning::ALL {
        assert!(
            rows.iter()
                .any(|r| r[13].split(';').any(|x| x == w.as_str())),
            "no {w}"
        );
    }
}

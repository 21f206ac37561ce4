use crate::{dir_with, p, read};
use planwatch_plainfile::{evaluate_to_file, evaluate_to_writer};

const OBS: &str = "\u{feff}region,indicator,year,value
乙县,住院分娩率,2020,90
乙县,住院分娩率,2024,94
甲县,住院分娩率,2020,90
甲县,住院分娩率,2024,92
甲县,住院分娩率,2026,99
甲县,\"孕产妇死亡率,每10万\",2024,9.5
";

// Columns in another order; ties (甲县, 住院分娩率, 2030) keep input order.
const TARGETS: &str = "region,indicator,year,comparator,value,baseline_year,baseline_value,binding
甲县,住院分娩率,2030,>=,98,,,false
甲县,住院分娩率,2030,>=,93,,,false
乙县,住院分娩率,2030,>=,98,,,false
甲县,住院分娩率,2025,>=,95,2015,80,true
甲县,\"孕产妇死亡率,每10万\",2030,<=,10,,,true
丙县,住院分娩率,2030,>=,98,,,false
";

// Byte order: 丙 (E4 B8 99) < 乙 (E4 B9 99) < 甲 (E7 94 B2); 住 (E4 BD 8F) < 孕 (E5 AD 95).
// 甲县 2025: expected 80 + 15*9/10 = 93.5; ratio 12/13.5; points (2015,80) (2020,90)
// (2024,92) give slope 498/366, projected 92 + 1.36066 = 93.3607 < 95.
const EXPECTED: &str = "region,indicator,target_year,comparator,target_value,latest_year,latest_value,baseline_year,baseline_value,expected,progress_ratio,projected,status,warnings
丙县,住院分娩率,2030,>=,98,,,,,,,,no_data,W_MISSING
乙县,住院分娩率,2030,>=,98,2024,94,2020,90,93.2,1.25,100,on_track,
甲县,住院分娩率,2025,>=,95,2024,92,2015,80,93.5,0.888889,93.3607,needs_acceleration,W_PROJECTED_MISS
甲县,住院分娩率,2030,>=,98,2024,92,2020,90,93.2,0.625,95,needs_acceleration,W_PROJECTED_MISS
甲县,住院分娩率,2030,>=,93,2024,92,2020,90,91.2,1.66667,95,on_track,
甲县,\"孕产妇死亡率,每10万\",2030,<=,10,2024,9.5,2024,9.5,,,,achieved,
";

#[test]
fn status_csv_digit_for_digit() {
    let d = dir_with(&[("obs.csv", OBS), ("targets.csv", TARGETS)]);
    let stats = evaluate_to_file(
        &p(&d, "obs.csv"),
        &p(&d, "targets.csv"),
        2024,
        &p(&d, "status.csv"),
    );
    assert!(stats.is_ok(), "{stats:?}");
    assert_eq!(read(&p(&d, "status.csv")), EXPECTED);
}

#[test]
fn stdout_and_file_agree() {
    let d = dir_with(&[("obs.csv", OBS), ("targets.csv", TARGETS)]);
    let mut buf = Vec::new();
    let r = evaluate_to_writer(&p(&d, "obs.csv"), &p(&d, "targets.csv"), 2024, &mut buf);
    assert!(r.is_ok());
    let r = evaluate_to_file(
        &p(&d, "obs.csv"),
        &p(&d, "targets.csv"),
        2024,
        &p(&d, "s.csv"),
    );
    assert!(r.is_ok());
    assert_eq!(String::from_utf8_lossy(&buf), read(&p(&d, "s.csv")));
}

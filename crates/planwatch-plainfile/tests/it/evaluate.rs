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

/// A file large enough to be read in parallel parts: the line number of an error is the
/// line in the whole file, and shuffling the rows changes nothing in status.csv.
#[test]
fn large_files_read_in_parts() {
    use planwatch_plainfile::synth::{SynthOptions, synth_to_dir};
    let d = dir_with(&[]);
    let opts = SynthOptions {
        regions: 300,
        indicators: 60,
        seed: 9,
    };
    assert!(synth_to_dir(&opts, &p(&d, "set")).is_ok());
    let obs = read(&p(&d, "set/observations.csv"));
    assert!(obs.len() > 4 << 20, "{} bytes", obs.len());
    let targets = p(&d, "set/targets.csv");
    let run = |name: &str| {
        let r = evaluate_to_file(&p(&d, name), &targets, 2024, &p(&d, "status.csv"));
        r.map(|_| read(&p(&d, "status.csv")))
    };
    let want = run("set/observations.csv").unwrap_or_else(|e| panic!("{e}"));

    // Rows in a scrambled order (header kept first): same result.
    let mut lines: Vec<&str> = obs.lines().collect();
    let header = lines.remove(0);
    let mut s: u64 = 42;
    for i in (1..lines.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        lines.swap(i, (s % (i as u64 + 1)) as usize);
    }
    let shuffled = format!("{header}\n{}\n", lines.join("\n"));
    assert!(std::fs::write(p(&d, "shuffled.csv"), &shuffled).is_ok());
    assert_eq!(run("shuffled.csv").ok(), Some(want));

    // A bad value near the end: its line in the whole file.
    let n = lines.len() - 10;
    lines[n] = "地区0001,指标001,2030,x";
    let bad = format!("{header}\n{}\n", lines.join("\n"));
    assert!(std::fs::write(p(&d, "bad.csv"), &bad).is_ok());
    let msg = run("bad.csv")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        msg.ends_with(&format!("bad.csv 第{}行：value 列不是数字：'x'", n + 2)),
        "{msg}"
    );

    // A duplicate far apart (first data line repeated at the end).
    let dup = format!("{header}\n{}\n{}\n", lines[..n].join("\n"), lines[0]);
    assert!(std::fs::write(p(&d, "dup.csv"), &dup).is_ok());
    let msg = run("dup.csv")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        msg.contains(&format!("第{}行：", n + 2)) && msg.ends_with("第2行已有该年份的值"),
        "{msg}"
    );
}

/// A targets file large enough to be read in parallel parts: every target is judged as
/// when it stood alone, ties keep the input order across parts, and an error's line is
/// its line in the whole file.
#[test]
fn large_targets_read_in_parts() {
    use planwatch_plainfile::synth::{SynthOptions, synth_to_dir};
    let d = dir_with(&[]);
    let opts = SynthOptions {
        regions: 200,
        indicators: 40,
        seed: 3,
    };
    assert!(synth_to_dir(&opts, &p(&d, "set")).is_ok());
    let obs = p(&d, "set/observations.csv");
    let targets = read(&p(&d, "set/targets.csv"));
    let (header, body) = targets.split_once('\n').unwrap_or_default();
    let run = |name: &str| {
        let r = evaluate_to_file(&obs, &p(&d, name), 2024, &p(&d, "status.csv"));
        r.map(|_| read(&p(&d, "status.csv")))
    };
    let single = run("set/targets.csv").unwrap_or_else(|e| panic!("{e}"));

    // The body several times over: each (region, indicator, target year) group of the
    // single run's rows comes back once per copy, copy after copy.
    let copies = 1 + (5 << 20) / body.len();
    let big = format!("{header}\n{}", body.repeat(copies));
    assert!(std::fs::write(p(&d, "big.csv"), &big).is_ok());
    let mut want = String::new();
    let mut lines = single.lines();
    want.push_str(lines.next().unwrap_or_default());
    want.push('\n');
    let key = |l: &str| l.splitn(4, ',').take(3).collect::<Vec<_>>().join(",");
    let rows: Vec<&str> = lines.collect();
    for group in rows.chunk_by(|a, b| key(a) == key(b)) {
        for _ in 0..copies {
            for r in group {
                want.push_str(r);
                want.push('\n');
            }
        }
    }
    assert_eq!(run("big.csv").ok(), Some(want));

    // A bad comparator near the end: its line in the whole file.
    let mut lines: Vec<&str> = big.lines().collect();
    let n = lines.len() - 5;
    lines[n] = "地区0001,指标001,~,1,2030,,,false";
    assert!(std::fs::write(p(&d, "bad.csv"), lines.join("\n") + "\n").is_ok());
    let msg = run("bad.csv")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        msg.contains(&format!("bad.csv 第{}行：comparator 列无法识别", n + 1)),
        "{msg}"
    );
}

/// Ties in the plain-file form: the rules of the core engine, with the spec's tolerance.
/// - 甲县 80 (2020) → 83.6 (2024), ">= 98" by 2030: expected 80 + 18·4/10 = 87.2, ratio
///   3.6/7.2 = 0.5 (0.499999999999999 in floating point) → 需加快进度; slope 0.9,
///   projected 83.6 + 5.4 = 89.
/// - 乙县 6.318 (2022) → 5.37 (2024), the spec's fall of 0.474 a year: projected 3 for
///   2029 (3.0000000000000013 in floating point). "<= 3" is on track, "< 3" is not:
///   expected 6.318 − 3.318·2/7 = 5.37, ratio 1 → 需加快进度.
/// - 丙县 4.71 + 2.87 a year, 2019–2024: the differences' MAD is rounding noise
///   (4.4e-16), so it counts as 0 and no W_VOLATILE. ">= 30": expected 4.71 + 25.29·5/11
///   = 16.2055, ratio 14.35/11.4955 = 1.24832, projected 19.06 + 2.87·6 = 36.28.
#[test]
fn ties_are_judged_with_the_tolerance() {
    let obs = "region,indicator,year,value
甲县,住院分娩率,2020,80
甲县,住院分娩率,2024,83.6
乙县,孕产妇死亡率,2022,6.318
乙县,孕产妇死亡率,2024,5.37
丙县,儿童入园率,2019,4.71
丙县,儿童入园率,2020,7.58
丙县,儿童入园率,2021,10.45
丙县,儿童入园率,2022,13.32
丙县,儿童入园率,2023,16.19
丙县,儿童入园率,2024,19.06
";
    let targets = "region,indicator,comparator,value,year,baseline_year,baseline_value,binding
甲县,住院分娩率,>=,98,2030,,,false
乙县,孕产妇死亡率,<=,3,2029,,,false
乙县,孕产妇死亡率,<,3,2029,,,false
丙县,儿童入园率,>=,30,2030,,,false
";
    let want = "region,indicator,target_year,comparator,target_value,latest_year,latest_value,baseline_year,baseline_value,expected,progress_ratio,projected,status,warnings
丙县,儿童入园率,2030,>=,30,2024,19.06,2019,4.71,16.2055,1.24832,36.28,on_track,
乙县,孕产妇死亡率,2029,<=,3,2024,5.37,2022,6.318,5.37,1,3,on_track,
乙县,孕产妇死亡率,2029,<,3,2024,5.37,2022,6.318,5.37,1,3,needs_acceleration,W_PROJECTED_MISS
甲县,住院分娩率,2030,>=,98,2024,83.6,2020,80,87.2,0.5,89,needs_acceleration,W_PROJECTED_MISS
";
    let d = dir_with(&[("obs.csv", obs), ("targets.csv", targets)]);
    let mut buf = Vec::new();
    let r = evaluate_to_writer(&p(&d, "obs.csv"), &p(&d, "targets.csv"), 2024, &mut buf);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(String::from_utf8_lossy(&buf), want);
}

use super::fixture::{big_report, input, report, targets};
use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use planwatch_core::reporting::{ReportKind, build};
use planwatch_export::report::xlsx::{
    COL_PROGRESS, COLUMNS, DOMAIN_PREFIX, SHEET_ALL, SHEET_SUB_REGIONS, SHEET_SUMMARY,
    UNASSIGNED_UNIT, UNIT_PREFIX, write,
};
use std::io::{Cursor, Read};
use std::time::Instant;

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

fn col(name: &str) -> u32 {
    COLUMNS.iter().position(|c| *c == name).unwrap() as u32
}

fn is_number(d: Option<&Data>) -> bool {
    matches!(d, Some(Data::Float(_) | Data::Int(_)))
}

fn number(d: Option<&Data>) -> f64 {
    match d {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The row of `range` whose 指标 cell is `indicator` and 规划 cell `plan`.
fn line(range: &Range<Data>, indicator: &str) -> u32 {
    (1..range.height() as u32)
        .find(|r| range.get_value((*r, col("指标"))) == Some(&Data::String(indicator.into())))
        .unwrap_or_else(|| panic!("{indicator} missing"))
}

fn zip_entry(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = zip.by_name(name).ok()?;
    let mut s = String::new();
    file.read_to_string(&mut s).unwrap();
    Some(s)
}

#[test]
fn every_target_is_a_row_with_numbers_as_numbers() {
    let report = report();
    let bytes = write(&report).unwrap();
    let mut book = open(&bytes);
    let names = book.sheet_names();
    assert_eq!(names[0], SHEET_SUMMARY);
    assert_eq!(names[1], SHEET_ALL);
    let all = book.worksheet_range(SHEET_ALL).unwrap();
    assert_eq!(all.height(), report.rows.len() + 1);
    for (c, h) in COLUMNS.iter().enumerate() {
        assert_eq!(
            all.get_value((0, c as u32)),
            Some(&Data::String(h.to_string()))
        );
    }
    for (i, row) in report.rows.iter().enumerate() {
        let r = 1 + i as u32;
        assert!(
            is_number(all.get_value((r, col("目标值")))),
            "{}",
            row.indicator
        );
        assert_eq!(number(all.get_value((r, col("目标值")))), row.target_value);
        assert_eq!(
            number(all.get_value((r, col("目标年份")))),
            f64::from(row.target_year)
        );
        assert_eq!(
            all.get_value((r, col("实现情况"))),
            Some(&Data::String(row.progress_zh().into()))
        );
        match row.latest {
            Some(p) => {
                assert_eq!(number(all.get_value((r, col("最新值")))), p.value);
                assert_eq!(
                    number(all.get_value((r, col("最新年份")))),
                    f64::from(p.year)
                );
            }
            // Empty, never a dash.
            None => {
                for c in ["最新值", "最新年份", "上期值", "比上期变化", "序时进度"]
                {
                    assert!(
                        matches!(all.get_value((r, col(c))), None | Some(Data::Empty)),
                        "{c}: {:?}",
                        all.get_value((r, col(c)))
                    );
                }
            }
        }
    }
    assert_eq!(
        all.get_value((1, col("演示数据"))),
        Some(&Data::String("否".into()))
    );
    let mmr = line(&all, "孕产妇死亡率");
    assert_eq!(number(all.get_value((mmr, col("最新值")))), 8.2);
    assert_eq!(number(all.get_value((mmr, col("上期值")))), 8.8);
    assert!((number(all.get_value((mmr, col("比上期变化")))) + 0.6).abs() < 1e-9);
    assert_eq!(number(all.get_value((mmr, col("基期年份")))), 2020.0);
    assert_eq!(
        all.get_value((mmr, col("约束性"))),
        Some(&Data::String("是".into()))
    );
    assert_eq!(
        all.get_value((mmr, col("责任单位"))),
        Some(&Data::String("县卫生健康委、县妇联".into()))
    );
    // A name that looks like a formula is text with a leading apostrophe.
    line(&all, "'=SUM(A1)");
    let formulas = book.worksheet_formula(SHEET_ALL).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    assert_eq!(COL_PROGRESS, col("实现情况") as u16);
}

#[test]
fn there_is_a_sheet_per_domain_and_per_lead_unit() {
    let report = report();
    let bytes = write(&report).unwrap();
    let mut book = open(&bytes);
    let names = book.sheet_names();
    for d in ["妇女与健康", "儿童与教育", "儿童与健康"] {
        assert!(names.contains(&format!("{DOMAIN_PREFIX}{d}")), "{names:?}");
    }
    for u in ["县卫生健康委", "县教委", UNASSIGNED_UNIT] {
        assert!(names.contains(&format!("{UNIT_PREFIX}{u}")), "{names:?}");
    }
    // The second owner leads nothing: no sheet.
    assert!(!names.contains(&format!("{UNIT_PREFIX}县妇联")));
    assert!(names.contains(&SHEET_SUB_REGIONS.to_string()));

    let health = book
        .worksheet_range(&format!("{DOMAIN_PREFIX}妇女与健康"))
        .unwrap();
    let in_domain = report
        .rows
        .iter()
        .filter(|r| r.domain == "妇女与健康")
        .count();
    assert_eq!(
        (1..=in_domain as u32)
            .filter(
                |r| health.get_value((*r, col("领域"))) == Some(&Data::String("妇女与健康".into()))
            )
            .count(),
        in_domain
    );
    let unit = book
        .worksheet_range(&format!("{UNIT_PREFIX}县教委"))
        .unwrap();
    assert_eq!(
        unit.get_value((2, col("指标"))),
        Some(&Data::String("学前教育毛入园率".into()))
    );

    let subs = book.worksheet_range(SHEET_SUB_REGIONS).unwrap();
    assert_eq!(subs.height(), 3);
    assert_eq!(
        subs.get_value((1, 0)),
        Some(&Data::String("南宾街道".into()))
    );
    assert_eq!(number(subs.get_value((1, 3))), 10.0);
    assert_eq!(number(subs.get_value((1, 6))), 0.5);
    assert!(matches!(subs.get_value((2, 6)), None | Some(Data::Empty)));
    assert_eq!(number(subs.get_value((1, 9))), 0.8);

    let summary = book.worksheet_range(SHEET_SUMMARY).unwrap();
    let cells: Vec<(usize, usize, &Data)> = summary.used_cells().collect();
    let value_after = |label: &str| {
        let (r, c, _) = cells
            .iter()
            .find(|(_, _, d)| **d == Data::String(label.into()))
            .unwrap_or_else(|| panic!("{label}"));
        summary.get_value((*r as u32, *c as u32 + 1)).cloned()
    };
    let h = report.headline;
    assert_eq!(number(value_after("目标总数").as_ref()), h.total as f64);
    assert_eq!(number(value_after("已达标").as_ref()), h.achieved as f64);
    assert_eq!(number(value_after("达标率").as_ref()), h.rate().unwrap());
    assert_eq!(number(value_after("报告年份").as_ref()), 2024.0);
    assert_eq!(number(value_after("提前实现").as_ref()), 1.0);
    assert!(
        cells
            .iter()
            .any(|(_, _, d)| matches!(d, Data::String(s) if s.contains("演示数据")))
    );
}

#[test]
fn charts_frozen_headers_filters_and_conditional_colours_are_native() {
    let report = report();
    let bytes = write(&report).unwrap();
    assert!(zip_entry(&bytes, "xl/charts/chart1.xml").is_some());
    let workbook = zip_entry(&bytes, "xl/workbook.xml").unwrap();
    // Sheet 2 is 全部目标 (sheet order = file order).
    assert!(
        workbook.contains("name=\"全部目标\" sheetId=\"2\""),
        "{workbook}"
    );
    let sheet = zip_entry(&bytes, "xl/worksheets/sheet2.xml").unwrap();
    assert!(sheet.contains("<pane") && sheet.contains("state=\"frozen\""));
    assert!(sheet.contains("<autoFilter"));
    assert!(sheet.contains("<conditionalFormatting"));
    assert!(sheet.contains("提前实现") && sheet.contains("尚存差距"));
    // The summary chart, plus one line chart per indicator with data on domain sheets.
    let with_data = report.rows.iter().filter(|r| !r.series.is_empty()).count();
    let charts = (1..=with_data + 1)
        .filter(|i| zip_entry(&bytes, &format!("xl/charts/chart{i}.xml")).is_some())
        .count();
    assert_eq!(charts, with_data + 1);
    let line = zip_entry(&bytes, "xl/charts/chart2.xml").unwrap();
    assert!(line.contains("<c:lineChart>"), "{line}");
    assert!(line.contains("'领域-妇女与健康'!$E$"), "{line}");
}

#[test]
fn an_evaluation_states_its_due_rate_as_a_percentage() {
    let mut input = input(targets());
    input.kind = ReportKind::Midterm;
    input.year = 2025;
    let report = build(&input).unwrap();
    let bytes = write(&report).unwrap();
    let mut book = open(&bytes);
    let summary = book.worksheet_range(SHEET_SUMMARY).unwrap();
    let label = summary
        .used_cells()
        .find(|(_, _, d)| **d == Data::String("到期目标".into()))
        .map(|(r, _, _)| r as u32)
        .unwrap();
    assert_eq!(
        number(summary.get_value((label, 1))),
        report.headline.due as f64
    );
    assert_eq!(
        summary.get_value((label + 3, 0)),
        Some(&Data::String("到期目标达标率".into()))
    );
}

#[test]
fn an_empty_report_is_a_valid_workbook() {
    let mut report = report();
    report.rows.clear();
    report.sub_regions.clear();
    let bytes = write(&report).unwrap();
    let mut book = open(&bytes);
    assert_eq!(book.sheet_names(), vec![SHEET_SUMMARY, SHEET_ALL]);
    assert_eq!(book.worksheet_range(SHEET_ALL).unwrap().height(), 1);
}

#[test]
fn names_excel_refuses_become_valid_sheet_names() {
    let mut report = report();
    report.rows[0].domain = "妇女[健康]/保健:*?".into();
    report.rows[2].owners = vec!["县教育委员会（县教育局、县语言文字工作委员会办公室）".into()];
    let bytes = write(&report).unwrap();
    let names = open(&bytes).sheet_names();
    assert!(
        names.contains(&"领域-妇女_健康__保健___".to_string()),
        "{names:?}"
    );
    assert!(names.iter().all(|n| n.chars().count() <= 31));
}

/// A 150-target report's workbook, timed against its CSV (the same rows, no sheets or
/// charts) in the same run: `cargo test -p planwatch-export -- --ignored --nocapture`.
#[test]
#[ignore = "timing"]
fn a_150_target_workbook_takes_well_under_a_second() {
    let report = big_report(150);
    let runs = 5;
    let t = Instant::now();
    let mut size = 0;
    for _ in 0..runs {
        size = write(&report).unwrap().len();
    }
    let xlsx = t.elapsed() / runs;
    let t = Instant::now();
    for _ in 0..runs {
        planwatch_export::report::open_data::csv(&report);
    }
    let csv = t.elapsed() / runs;
    println!(
        "150 targets: xlsx {xlsx:?} ({size} bytes, {} sheets), csv {csv:?}, ratio {:.0}",
        open(&write(&report).unwrap()).sheet_names().len(),
        xlsx.as_secs_f64() / csv.as_secs_f64().max(1e-9)
    );
    assert!(xlsx.as_secs_f64() < 1.0, "{xlsx:?}");
}

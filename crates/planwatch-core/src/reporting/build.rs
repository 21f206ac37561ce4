//! Writing a report from a region's judged targets.

use super::model::{
    Block, Cell, Chart, Headline, Point, Progress, Report, ReportKind, Row, SubRegionLine, Table,
};
use super::words::{change_unit, chinese_ordinal, decimals_of, fixed, is_rate, progress_of};
use super::{ReportError, ReportInput, TargetInput, midterm_year};
use crate::evaluation::glossary;
use crate::evaluation::report::{Verdict, verdict};
use crate::evaluation::{Evaluation, Precision, Status, Warning, goal_zh, shown, with_unit};
use crate::plan::PlanKind;

/// Writes the report `input.kind` asks for, or says in Chinese why the region cannot have
/// it. A region without targets or data gets a short report that says so.
pub fn build(input: &ReportInput) -> Result<Report, ReportError> {
    check(input)?;
    let year = input.year;
    let rows: Vec<Row> = input.targets.iter().map(|t| row_of(t, year)).collect();
    let headline = headline_of(&rows, input);
    let mut w = Writer::default();
    let plans = plans_label(input);
    let region = &input.region.name;
    let demo = rows.iter().any(|r| r.demo) || input.sub_regions.iter().any(|s| s.demo);
    if demo {
        w.para("本报告含演示数据，仅用于演示系统功能，不代表实际监测结果。".to_string());
    }
    match input.kind {
        ReportKind::Annual | ReportKind::Midterm | ReportKind::Final => {
            w.chapter("总体情况");
            opening(&mut w, input, &rows, &headline);
            domain_table(&mut w, &rows);
            w.chapter(if input.kind == ReportKind::Annual {
                "分领域监测情况"
            } else {
                "分领域评估情况"
            });
            domains(&mut w, &rows, year, true);
            warnings(&mut w, &rows, year);
            missing(&mut w, &rows, year);
            w.chapter("责任单位落实情况");
            units(&mut w, &rows, false);
            comparison(&mut w, input);
        }
        ReportKind::Units => {
            w.chapter("总体情况");
            opening(&mut w, input, &rows, &headline);
            w.chapter("各成员单位重点指标监测情况");
            units(&mut w, &rows, true);
            missing(&mut w, &rows, year);
        }
        ReportKind::Upward => {
            w.chapter("总体情况");
            opening(&mut w, input, &rows, &headline);
            domain_table(&mut w, &rows);
            comparison(&mut w, input);
            warnings(&mut w, &rows, year);
            missing(&mut w, &rows, year);
        }
    }
    glossary(&mut w, &rows);
    let title = match input.kind {
        ReportKind::Annual => format!("{region}{plans}{year}年度监测报告"),
        ReportKind::Midterm | ReportKind::Final => {
            format!("{region}{plans}{}", input.kind.label_zh())
        }
        ReportKind::Units => format!("{region}妇女儿童工作委员会成员单位{year}年重点指标监测情况"),
        ReportKind::Upward => format!("{region}{year}年{plans}实施情况报告"),
    };
    let mut subtitle = input
        .plans
        .iter()
        .map(|p| format!("《{}》", p.title))
        .collect::<String>();
    if input.kind == ReportKind::Upward
        && let Some(parent) = &input.parent
    {
        subtitle = format!("报送{}妇女儿童工作委员会　{subtitle}", parent.name);
    }
    let issuer = match input.kind {
        ReportKind::Annual => format!("{region}统计局"),
        _ => format!("{region}妇女儿童工作委员会办公室"),
    };
    Ok(Report {
        kind: input.kind,
        title,
        subtitle,
        issuer,
        issued_on: input.issued_on.clone(),
        region: input.region.clone(),
        year,
        demo,
        headline,
        blocks: w.blocks,
        rows,
        sub_regions: input.sub_regions.iter().map(sub_region_line).collect(),
    })
}

fn check(input: &ReportInput) -> Result<(), ReportError> {
    let year = input.year;
    if !(2000..=2100).contains(&year) {
        return Err(ReportError::Year { year });
    }
    let region = input.region.name.clone();
    // "规划期为2021—2025年（中期2023年）", each period once.
    let periods = |midterm: bool| {
        let mut seen: Vec<[i32; 2]> = Vec::new();
        for p in &input.plans {
            if !seen.contains(&p.period) {
                seen.push(p.period);
            }
        }
        if seen.is_empty() {
            return "尚未导入规划".to_string();
        }
        let list: Vec<String> = seen
            .iter()
            .map(|p| {
                if midterm {
                    format!("{}—{}年（中期{}年）", p[0], p[1], midterm_year(*p))
                } else {
                    format!("{}—{}年", p[0], p[1])
                }
            })
            .collect();
        format!("规划期为{}", list.join("、"))
    };
    match input.kind {
        ReportKind::Upward if input.parent.is_none() => Err(ReportError::NoLevelAbove { region }),
        ReportKind::Final if !input.plans.iter().any(|p| p.period[1] == year) => {
            Err(ReportError::NoFinal {
                region,
                year,
                periods: periods(false),
            })
        }
        ReportKind::Midterm if !input.plans.iter().any(|p| midterm_year(p.period) == year) => {
            Err(ReportError::NoMidterm {
                region,
                year,
                periods: periods(true),
            })
        }
        _ => Ok(()),
    }
}

/// "妇女儿童发展规划", or the one plan the region has.
fn plans_label(input: &ReportInput) -> &'static str {
    let women = input.plans.iter().any(|p| p.kind == PlanKind::Women);
    let children = input.plans.iter().any(|p| p.kind == PlanKind::Children);
    match (women, children) {
        (true, false) => "妇女发展规划",
        (false, true) => "儿童发展规划",
        _ => "妇女儿童发展规划",
    }
}

fn row_of(t: &TargetInput, year: i32) -> Row {
    let mut series: Vec<Point> = t
        .series
        .iter()
        .copied()
        .filter(|p| p.year <= year)
        .collect();
    series.sort_by_key(|p| p.year);
    let decimals = series
        .iter()
        .map(|p| decimals_of(p.value))
        .max()
        .unwrap_or_else(|| decimals_of(t.spec.value))
        .min(3);
    let e = t.evaluation.as_ref();
    let latest = e.and_then(|e| e.latest).map(|l| Point {
        year: l.year,
        value: l.value,
    });
    let previous = latest.and_then(|l| series.iter().rev().find(|p| p.year < l.year).copied());
    let baseline = e.and_then(|e| match (e.baseline_year, e.baseline_value) {
        (Some(year), Some(value)) => Some(Point { year, value }),
        _ => None,
    });
    let mut row = Row {
        plan: t.plan,
        domain: if t.domain.trim().is_empty() {
            "其他".to_string()
        } else {
            t.domain.clone()
        },
        indicator: t.indicator.clone(),
        code: t.code.clone(),
        unit: t.unit.clone(),
        owners: t.owners.clone(),
        comparator: t.spec.comparator,
        target_value: t.spec.value,
        target_year: t.spec.year,
        goal: goal_zh(t.spec.comparator, t.spec.value, &t.unit),
        binding: t.spec.binding,
        baseline,
        latest,
        previous,
        // A due target has neither (nothing false is printed: issue 15).
        expected: e.and_then(|e| shown(&t.spec, e, year).expected),
        projected: e.and_then(|e| shown(&t.spec, e, year).projected),
        status: e.map(|e| e.status),
        progress: e.map(|e| progress_of(&t.spec, e)),
        warnings: e.map(|e| e.warnings.iter().collect()).unwrap_or_default(),
        sentence: String::new(),
        series,
        decimals,
        demo: t.demo,
    };
    row.sentence = sentence(&row, e, year);
    row
}

/// The value as reported, with its unit ("8.2/10万", "96.1%").
fn value_zh(row: &Row, x: f64) -> String {
    with_unit(x, &row.unit)
}

/// A computed value (序时进度, projection) at a reading precision, with its unit.
fn computed_zh(row: &Row, x: f64) -> String {
    Precision(row.decimals).figure_with_unit(x, row.target_value, &row.unit)
}

/// "比上年下降0.6个十万分点", "与2022年持平"; `None` without an earlier value.
fn change_zh(row: &Row) -> Option<String> {
    let (latest, previous) = (row.latest?, row.previous?);
    let since = if previous.year == latest.year - 1 {
        "上年".to_string()
    } else {
        format!("{}年", previous.year)
    };
    let diff = row.change()?;
    if diff == 0.0 {
        return Some(format!("与{since}持平"));
    }
    let word = match (is_rate(&row.unit), diff > 0.0) {
        (true, true) => "上升",
        (true, false) => "下降",
        (false, true) => "增加",
        (false, false) => "减少",
    };
    Some(format!(
        "比{since}{word}{}{}",
        fixed(diff.abs(), row.decimals),
        change_unit(&row.unit)
    ))
}

/// One sentence on one target; every clause follows from its evaluation.
fn sentence(row: &Row, e: Option<&Evaluation>, year: i32) -> String {
    let goal = format!("{}年“{}”的目标", row.target_year, row.goal);
    let name = &row.indicator;
    let Some(e) = e else {
        return format!("{name}的监测数据有误（同一年份报送了不同的值等），未能判断，请核实数据。");
    };
    let Some(latest) = row.latest else {
        return match row.series.last() {
            Some(old) => format!(
                "{name}最新数据为{}年的{}，{}—{year}年没有监测数据，无法判断能否实现{goal}。",
                old.year,
                value_zh(row, old.value),
                year - 4
            ),
            None => format!("{name}尚无监测数据，无法判断能否实现{goal}。"),
        };
    };
    let mut s = if latest.year == year {
        format!("{year}年，{name}为{}", value_zh(row, latest.value))
    } else {
        format!(
            "{name}最新数据为{}年的{}",
            latest.year,
            value_zh(row, latest.value)
        )
    };
    if let Some(c) = change_zh(row) {
        s.push('，');
        s.push_str(&c);
    }
    let expected = row
        .expected
        .map(|x| format!("，按序时进度应达到{}", computed_zh(row, x)));
    let projected = row.projected.map(|p| {
        format!(
            "，按目前趋势预计{}年为{}",
            row.target_year,
            computed_zh(row, p)
        )
    });
    match e.status {
        Status::NoData => {}
        Status::Achieved => {
            if row.progress == Some(Progress::Early) {
                s.push_str(&format!("，已提前实现{goal}"));
            } else {
                s.push_str(&format!("，已实现{goal}"));
            }
        }
        Status::Missed => {
            let gap = (row.target_value - latest.value).abs();
            s.push_str(&format!(
                "，目标年份已到，未能实现{goal}，距目标尚差{}{}",
                fixed(gap, row.decimals.max(decimals_of(row.target_value))),
                change_unit(&row.unit)
            ));
        }
        Status::NoTrend => s.push_str(&format!("，尚未达到{goal}，数据点不足，暂无法判断趋势")),
        Status::OnTrack => {
            if row.target_year > latest.year {
                s.push_str(expected.as_deref().unwrap_or(""));
            }
            s.push_str(projected.as_deref().unwrap_or(""));
            s.push_str(&format!("，进展顺利，有望如期实现{goal}"));
        }
        Status::NeedsAcceleration | Status::OffTrack => {
            if row.target_year > latest.year {
                s.push_str(expected.as_deref().unwrap_or(""));
                if let Some(r) = e.progress_ratio.filter(|_| row.expected.is_some()) {
                    s.push_str(&format!("，完成序时进度的{:.0}%", (r * 100.0).max(0.0)));
                }
            }
            s.push_str(projected.as_deref().unwrap_or(""));
            if e.status == Status::NeedsAcceleration {
                s.push_str(&format!("，需加快进度才能实现{goal}"));
            } else {
                s.push_str(&format!("，实现{goal}尚存差距，预计达标困难"));
            }
        }
        Status::Regressing => {
            if let Some(b) = row.baseline
                && b.year < latest.year
            {
                let scale = 10f64.powi(i32::from(row.decimals));
                let diff = ((latest.value - b.value) * scale).round() / scale;
                if diff != 0.0 {
                    let word = match (is_rate(&row.unit), diff > 0.0) {
                        (true, true) => "上升",
                        (true, false) => "下降",
                        (false, true) => "增加",
                        (false, false) => "减少",
                    };
                    s.push_str(&format!(
                        "，较{}年的{}{word}{}{}",
                        b.year,
                        value_zh(row, b.value),
                        fixed(diff.abs(), row.decimals),
                        change_unit(&row.unit)
                    ));
                }
            }
            s.push_str(&format!("，与{goal}的方向相反，出现倒退"));
        }
    }
    if e.warnings.contains(Warning::Volatile) {
        s.push_str("；该值与历年相比波动较大，请核实");
    }
    if e.warnings.contains(Warning::Missing) && latest.year < year {
        s.push_str(&format!("；{year}年数据尚未报送"));
    }
    s.push('。');
    s
}

fn headline_of(rows: &[Row], input: &ReportInput) -> Headline {
    let mut h = Headline::default();
    let milestone = matches!(input.kind, ReportKind::Midterm | ReportKind::Final);
    for (row, t) in rows.iter().zip(&input.targets) {
        let (Some(status), Some(e)) = (row.status, t.evaluation.as_ref()) else {
            h.errors += 1;
            continue;
        };
        h.total += 1;
        h.by_status[status.index()] += 1;
        if status != Status::NoData {
            h.with_data += 1;
        }
        if status == Status::Achieved {
            h.achieved += 1;
        }
        if let Some(p) = row.progress
            && let Some(i) = Progress::ALL.iter().position(|x| *x == p)
        {
            h.by_progress[i] += 1;
        }
        if !row.warnings.is_empty() {
            h.warned += 1;
        }
        if milestone && let Some(v) = verdict(&t.spec, e, input.year) {
            h.due += 1;
            match v {
                Verdict::Met => {
                    h.due_met += 1;
                    h.due_with_data += 1;
                }
                Verdict::NotMet => h.due_with_data += 1,
                Verdict::NoData => {}
            }
        }
    }
    h
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// "其中，已达标Y项，……" for a set of rows: the nonzero groups only.
fn counts_clause(rows: &[&Row]) -> String {
    let count = |s: Status| rows.iter().filter(|r| r.status == Some(s)).count();
    let early = rows
        .iter()
        .filter(|r| r.progress == Some(Progress::Early))
        .count();
    let achieved = count(Status::Achieved);
    let mut parts: Vec<String> = Vec::new();
    if achieved > 0 {
        let mut p = format!("已达标{achieved}项");
        if early > 0 && early < achieved {
            p.push_str(&format!("（其中{early}项提前实现）"));
        } else if early > 0 {
            p.push_str("（均为提前实现）");
        }
        parts.push(p);
    }
    for (status, text) in [
        (Status::OnTrack, "进展顺利、有望如期实现"),
        (Status::NeedsAcceleration, "需加快进度"),
        (Status::OffTrack, "预计达标困难"),
        (Status::Regressing, "出现倒退"),
        (Status::Missed, "到期未达标"),
        (Status::NoTrend, "数据点不足、待观察"),
        (Status::NoData, "无数据"),
    ] {
        let n = count(status);
        if n > 0 {
            parts.push(format!("{n}项{text}"));
        }
    }
    parts.join("，")
}

fn opening(w: &mut Writer, input: &ReportInput, rows: &[Row], h: &Headline) {
    let region = &input.region.name;
    if rows.is_empty() {
        w.para(format!(
            "{region}尚未导入规划或规划中没有量化目标，{}年没有可监测的目标。",
            input.year
        ));
        return;
    }
    let all: Vec<&Row> = rows.iter().filter(|r| r.status.is_some()).collect();
    let mut s = format!(
        "{region}{}确定的{}项量化目标中",
        plans_label(input),
        rows.len()
    );
    if h.with_data == 0 {
        s.push_str(&format!(
            "，截至{}年均没有监测数据，尚无法判断实现情况。",
            input.year
        ));
    } else {
        s.push_str(&format!("，有监测数据的{}项", h.with_data));
        if let Some(rate) = h.rate() {
            s.push_str(&format!(
                "中已有{}项达标，达标率{}（以有数据的目标计）",
                h.achieved,
                percent(rate)
            ));
        }
        s.push_str("。按实现情况分：");
        let groups: Vec<String> = Progress::ALL
            .iter()
            .filter(|p| h.progress(**p) > 0)
            .map(|p| format!("{}{}项", p.label_zh(), h.progress(*p)))
            .collect();
        s.push_str(&groups.join("，"));
        s.push_str("。其中，");
        s.push_str(&counts_clause(&all));
        if h.errors > 0 {
            s.push_str(&format!("；另有{}项数据有误，未能判断", h.errors));
        }
        s.push('。');
    }
    w.para(s);
    if matches!(input.kind, ReportKind::Midterm | ReportKind::Final) {
        let mut m = format!(
            "{}年到期的目标{}项，有数据的{}项中{}项达标",
            input.year, h.due, h.due_with_data, h.due_met
        );
        if let Some(r) = h.due_rate() {
            m.push_str(&format!("，达标率{}", percent(r)));
        }
        let no_data = h.due - h.due_with_data;
        if no_data > 0 {
            m.push_str(&format!("；另有{no_data}项无数据，未计入达标率"));
        }
        m.push('。');
        if h.due == 0 {
            m = format!("{}年没有到期的目标。", input.year);
        }
        w.para(m);
    }
    if h.warned > 0 {
        let mut kinds: Vec<String> = Vec::new();
        for warning in Warning::ALL {
            let n = rows
                .iter()
                .filter(|r| r.warnings.contains(&warning))
                .count();
            if n > 0 {
                kinds.push(format!("{}{n}项", warning.label_zh()));
            }
        }
        w.para(format!(
            "共有{}项目标发出预警（{}），详见“预警情况”。",
            h.warned,
            kinds.join("，")
        ));
    }
}

/// Domains in the order the indicator system first names them.
fn domain_order(rows: &[Row]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rows {
        if !out.contains(&r.domain.as_str()) {
            out.push(&r.domain);
        }
    }
    out
}

fn domain_table(w: &mut Writer, rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    let mut table_rows = Vec::new();
    let order = domain_order(rows);
    for domain in &order {
        let in_domain: Vec<&Row> = rows.iter().filter(|r| r.domain == *domain).collect();
        table_rows.push(summary_cells(domain, &in_domain));
    }
    let all: Vec<&Row> = rows.iter().collect();
    table_rows.push(summary_cells("合计", &all));
    w.table(
        "各领域目标实现情况",
        &[
            "领域",
            "目标数",
            "有数据",
            "已达标",
            "提前实现",
            "如期实现",
            "尚存差距",
            "待观察",
            "无数据",
            "有预警",
        ],
        table_rows,
    );
}

fn summary_cells(label: &str, rows: &[&Row]) -> Vec<Cell> {
    let n = |x: usize| Cell::number(x as f64, x.to_string());
    let progress = |p: Progress| rows.iter().filter(|r| r.progress == Some(p)).count();
    vec![
        Cell::text(label),
        n(rows.len()),
        n(rows
            .iter()
            .filter(|r| r.status.is_some_and(|s| s != Status::NoData))
            .count()),
        n(rows
            .iter()
            .filter(|r| r.status == Some(Status::Achieved))
            .count()),
        n(progress(Progress::Early)),
        n(progress(Progress::OnTime)),
        n(progress(Progress::Gap)),
        n(progress(Progress::Undetermined)),
        n(progress(Progress::NoData)),
        n(rows.iter().filter(|r| !r.warnings.is_empty()).count()),
    ]
}

/// The indicator table's cells for one row.
fn indicator_cells(row: &Row) -> Vec<Cell> {
    let latest = match row.latest {
        Some(l) => Cell::number(
            l.value,
            format!("{}（{}年）", value_zh(row, l.value), l.year),
        ),
        None => Cell::text("—"),
    };
    let change = match (row.change(), row.previous) {
        (Some(c), Some(_)) => Cell::number(c, fixed(c, row.decimals)),
        _ => Cell::text("—"),
    };
    let status = match row.progress {
        Some(p) => Cell::progress(p, row.status_zh()),
        None => Cell::text(row.status_zh()),
    };
    vec![
        Cell::text(row.indicator.clone()),
        Cell::text(format!("{}（{}年）", row.goal, row.target_year)),
        latest,
        change,
        status,
        Cell::text(if row.warnings.is_empty() {
            "—".to_string()
        } else {
            row.warnings_zh()
        }),
    ]
}

const INDICATOR_COLUMNS: [&str; 6] = ["指标", "目标", "最新值", "比上期变化", "状态", "预警"];

fn domains(w: &mut Writer, rows: &[Row], year: i32, charts: bool) {
    let order = domain_order(rows);
    if order.is_empty() {
        w.para(format!("{year}年没有可监测的目标。"));
        return;
    }
    for (i, domain) in order.iter().enumerate() {
        let in_domain: Vec<&Row> = rows.iter().filter(|r| r.domain == *domain).collect();
        w.heading(2, format!("（{}）{domain}", chinese_ordinal(i + 1)));
        let with_data = in_domain
            .iter()
            .filter(|r| r.status.is_some_and(|s| s != Status::NoData))
            .count();
        let mut s = format!("本领域共有量化目标{}项", in_domain.len());
        if with_data == 0 {
            s.push_str(&format!("，截至{year}年均没有监测数据。"));
        } else {
            s.push_str(&format!(
                "，有数据的{with_data}项中，{}。",
                counts_clause(
                    &in_domain
                        .iter()
                        .copied()
                        .filter(|r| r.status.is_some_and(|s| s != Status::NoData))
                        .collect::<Vec<_>>()
                )
            ));
        }
        w.para(s);
        for r in &in_domain {
            if r.status.is_some_and(|s| s != Status::NoData) {
                w.para(r.sentence.clone());
            }
        }
        w.table(
            &format!("{domain}领域指标监测情况"),
            &INDICATOR_COLUMNS,
            in_domain.iter().map(|r| indicator_cells(r)).collect(),
        );
        if charts {
            for r in &in_domain {
                if let Some(chart) = chart_of(r, w.charts + 1) {
                    w.charts += 1;
                    w.blocks.push(Block::Chart(chart));
                }
            }
        }
    }
}

/// A chart for a target with values: the series, the 序时进度 path from its baseline to
/// the target, the projection from its latest value, and the target.
fn chart_of(row: &Row, number: usize) -> Option<Chart> {
    if row.series.is_empty() || row.status.is_none_or(|s| s == Status::NoData) {
        return None;
    }
    let target = Point {
        year: row.target_year,
        value: row.target_value,
    };
    let path = match row.baseline {
        Some(b) if b.year < row.target_year => vec![b, target],
        _ => Vec::new(),
    };
    let projection = match (row.latest, row.projected) {
        (Some(l), Some(p)) if row.target_year > l.year => vec![
            l,
            Point {
                year: row.target_year,
                value: p,
            },
        ],
        _ => Vec::new(),
    };
    let unit = if row.unit.is_empty() {
        String::new()
    } else {
        format!("（单位：{}）", row.unit)
    };
    Some(Chart {
        id: format!("chart-{number}"),
        caption: format!("图{number}　{}{unit}", row.indicator),
        unit: row.unit.clone(),
        series: row.series.clone(),
        path,
        projection,
        target,
        comparator: row.comparator,
        decimals: row.decimals,
    })
}

fn warnings(w: &mut Writer, rows: &[Row], year: i32) {
    w.chapter("预警情况");
    let warned: Vec<&Row> = rows.iter().filter(|r| !r.warnings.is_empty()).collect();
    if warned.is_empty() {
        w.para(format!("{year}年没有目标发出预警。"));
        return;
    }
    w.para(format!(
        "以下{}项目标发出预警，请责任单位分析原因、采取措施：",
        warned.len()
    ));
    let items = warned
        .iter()
        .map(|r| {
            let reasons: Vec<String> = r.warnings.iter().map(|x| reason(r, *x, year)).collect();
            format!(
                "{}（{}，责任单位：{}）：{}。",
                r.indicator,
                r.domain,
                r.owners_zh(),
                reasons.join("；")
            )
        })
        .collect();
    w.blocks.push(Block::List { items });
}

/// Why one warning was raised, from the row's figures.
fn reason(r: &Row, warning: Warning, year: i32) -> String {
    let label = warning.label_zh();
    match warning {
        Warning::ProjectedMiss => match r.projected {
            Some(p) => format!(
                "{label}——按目前趋势预计{}年为{}，目标为{}",
                r.target_year,
                computed_zh(r, p),
                r.goal
            ),
            None => format!("{label}——尚未达到{}的目标，进展不足", r.goal),
        },
        Warning::Volatile => match r.latest {
            Some(l) => format!(
                "{label}——{}年的{}与此前各年相比变化异常，请核实",
                l.year,
                value_zh(r, l.value)
            ),
            None => label.to_string(),
        },
        Warning::BindingMissed => {
            format!("{label}——约束性目标“{}”到{}年未实现", r.goal, r.target_year)
        }
        Warning::Missing => format!("{label}——{year}年没有报送数据"),
    }
}

fn missing(w: &mut Writer, rows: &[Row], year: i32) {
    w.chapter("缺项指标");
    let no_data: Vec<&Row> = rows
        .iter()
        .filter(|r| r.status.is_none_or(|s| s == Status::NoData))
        .collect();
    if no_data.is_empty() {
        w.para(format!("{}—{year}年每项目标都有监测数据。", year - 4));
        return;
    }
    w.para(format!(
        "以下{}项目标{}—{year}年没有监测数据或数据有误，无法判断实现情况，请责任单位补报：",
        no_data.len(),
        year - 4
    ));
    let items = no_data
        .iter()
        .map(|r| {
            let why = if r.status.is_none() {
                "数据有误"
            } else {
                "无数据"
            };
            format!(
                "{}（{}，{}年目标{}，责任单位：{}）——{why}",
                r.indicator,
                r.domain,
                r.target_year,
                r.goal,
                r.owners_zh()
            )
        })
        .collect();
    w.blocks.push(Block::List { items });
}

/// The responsible units in the order they first lead a target; the targets without one
/// last, under 未明确责任单位.
fn unit_order(rows: &[Row]) -> Vec<Option<&str>> {
    let mut out: Vec<Option<&str>> = Vec::new();
    for r in rows {
        let lead = r.owners.first().map(String::as_str);
        if !out.contains(&lead) {
            out.push(lead);
        }
    }
    out.sort_by_key(|u| u.is_none());
    out
}

fn units(w: &mut Writer, rows: &[Row], detailed: bool) {
    let order = unit_order(rows);
    if order.is_empty() {
        w.para("没有分解到责任单位的目标。".to_string());
        return;
    }
    for (i, unit) in order.iter().enumerate() {
        let led: Vec<&Row> = rows
            .iter()
            .filter(|r| r.owners.first().map(String::as_str) == *unit)
            .collect();
        let name = unit.unwrap_or("未明确责任单位");
        w.heading(2, format!("（{}）{name}", chinese_ordinal(i + 1)));
        let mut s = format!("牵头负责量化目标{}项", led.len());
        let judged: Vec<&Row> = led
            .iter()
            .copied()
            .filter(|r| r.status.is_some_and(|s| s != Status::NoData))
            .collect();
        if judged.is_empty() {
            s.push_str("，均没有监测数据");
        } else {
            s.push_str(&format!(
                "，有数据的{}项中，{}",
                judged.len(),
                counts_clause(&judged)
            ));
        }
        let no_data = led.len() - judged.len();
        if no_data > 0 && !judged.is_empty() {
            s.push_str(&format!("；{no_data}项无数据或数据有误"));
        }
        let warned: Vec<&str> = led
            .iter()
            .filter(|r| !r.warnings.is_empty())
            .map(|r| r.indicator.as_str())
            .collect();
        if !warned.is_empty() {
            s.push_str(&format!(
                "；有预警的{}项：{}",
                warned.len(),
                warned.join("、")
            ));
        }
        s.push('。');
        w.para(s);
        if detailed {
            for r in &judged {
                w.para(r.sentence.clone());
            }
            w.table(
                &format!("{name}重点指标监测情况"),
                &INDICATOR_COLUMNS,
                led.iter().map(|r| indicator_cells(r)).collect(),
            );
        }
    }
}

fn sub_region_line(s: &super::SubRegionInput) -> SubRegionLine {
    SubRegionLine {
        region: s.region.clone(),
        level: s.level.clone(),
        total: s.summary.counts.total,
        with_data: s.summary.with_data,
        achieved: s.summary.achieved,
        rate: s.summary.rate,
        warned: s.summary.counts.warned,
        projected_miss: s.summary.warned_with(Warning::ProjectedMiss),
        reported_share: s.summary.reported_share(),
        demo: s.demo,
        generated: s.generated,
    }
}

fn comparison(w: &mut Writer, input: &ReportInput) {
    if input.sub_regions.is_empty() {
        if input.kind == ReportKind::Upward {
            w.chapter("下级地区情况");
            w.para(format!(
                "{}没有导入规划的下级地区，本报告只含本级情况。",
                input.region.name
            ));
        }
        return;
    }
    w.chapter("下级地区比较");
    let lines: Vec<SubRegionLine> = input.sub_regions.iter().map(sub_region_line).collect();
    let with_rate: Vec<&SubRegionLine> = lines.iter().filter(|l| l.rate.is_some()).collect();
    let mut s = format!("{}下辖{}个已导入规划的地区", input.region.name, lines.len());
    if with_rate.is_empty() {
        s.push_str(&format!("，{}年均没有监测数据。", input.year));
    } else {
        let best = with_rate.iter().copied().max_by(|a, b| {
            a.rate
                .partial_cmp(&b.rate)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let worst = with_rate.iter().copied().min_by(|a, b| {
            a.rate
                .partial_cmp(&b.rate)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        s.push_str(&format!("，{}个有监测数据", with_rate.len()));
        if let (Some(b), Some(wo)) = (best, worst)
            && let (Some(br), Some(wr)) = (b.rate, wo.rate)
        {
            if with_rate.len() > 1 && br != wr {
                s.push_str(&format!(
                    "；达标率最高的是{}（{}），最低的是{}（{}）",
                    b.region.name,
                    percent(br),
                    wo.region.name,
                    percent(wr)
                ));
            } else if with_rate.len() > 1 {
                s.push_str(&format!("；各地达标率均为{}", percent(br)));
            } else {
                s.push_str(&format!("；{}达标率{}", b.region.name, percent(br)));
            }
        }
        let warned: usize = lines.iter().map(|l| l.projected_miss).sum();
        if warned > 0 {
            s.push_str(&format!("；各地共有{warned}项目标预计难以按期达标"));
        }
        s.push('。');
    }
    w.para(s);
    let rows = lines
        .iter()
        .map(|l| {
            let n = |x: usize| Cell::number(x as f64, x.to_string());
            vec![
                // Only a made-up region is named so; a real one with demo values is
                // covered by the report's demo notice.
                Cell::text(if l.generated {
                    format!("{}（{}）", l.region.name, super::GENERATED_REGION)
                } else {
                    l.region.name.clone()
                }),
                Cell::text(l.level.clone()),
                n(l.total),
                n(l.with_data),
                n(l.achieved),
                match l.rate {
                    Some(r) => Cell::number(r, percent(r)),
                    None => Cell::text("—"),
                },
                n(l.warned),
                match l.reported_share {
                    Some(r) => Cell::number(r, percent(r)),
                    None => Cell::text("—"),
                },
            ]
        })
        .collect();
    w.table(
        "下级地区目标实现情况",
        &[
            "地区",
            "层级",
            "目标数",
            "有数据",
            "已达标",
            "达标率",
            "有预警",
            "本年报送率",
        ],
        rows,
    );
}

/// 附：名词解释 — the words the report uses, each with how it is judged.
fn glossary(w: &mut Writer, rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    w.heading(1, "附：名词解释".to_string());
    let items = glossary::TERMS
        .iter()
        .map(|t| format!("{}：{}", t.word, t.meaning))
        .collect();
    w.blocks.push(Block::List { items });
}

/// Numbers chapters, tables and charts as it goes.
#[derive(Default)]
struct Writer {
    blocks: Vec<Block>,
    chapters: usize,
    tables: usize,
    charts: usize,
}

impl Writer {
    fn chapter(&mut self, text: &str) {
        self.chapters += 1;
        let text = format!("{}、{text}", chinese_ordinal(self.chapters));
        self.heading(1, text);
    }

    fn heading(&mut self, level: u8, text: String) {
        self.blocks.push(Block::Heading { level, text });
    }

    fn para(&mut self, text: String) {
        self.blocks.push(Block::Paragraph { text });
    }

    fn table(&mut self, caption: &str, columns: &[&str], rows: Vec<Vec<Cell>>) {
        self.tables += 1;
        self.blocks.push(Block::Table(Table {
            caption: format!("表{}　{caption}", self.tables),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
        }));
    }
}

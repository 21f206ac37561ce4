//! `planwatch data import|history|export`: reported values (监测数据) in the monitoring
//! database.
//!
//! The import file is the plain form `region,indicator,year,value[,source]` (a header row
//! names the columns, in any order; Chinese headers 地区,指标,年份,数值,来源 work too). A
//! region is named as in the imported plan (name or path); an indicator as the plan names
//! it, or by its catalog code, name or alias. The whole file is checked first and stored in
//! one transaction: one bad line and nothing is stored.

use super::db;
use super::plan::Format;
use super::target::{DbArg, catalog, region};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::normalize;
use planwatch_core::evaluation::numfmt::format_g6;
use planwatch_core::quality::{self, Allowance};
use planwatch_store::system::{Change, Observation, SystemTarget};
use planwatch_store::{RegionRow, Store, StoreError, resolve_region};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum DataCommand {
    /// 导入监测数据（CSV：region,indicator,year,value[,source]），整个文件一次导入，有错误则不导入任何数据
    Import(ImportArgs),
    /// 显示地区监测数据的修改记录（新增、更正：谁、何时、为何）
    History(HistoryArgs),
    /// 导出地区的监测数据为 CSV（可再次导入）
    Export(ExportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// 监测数据文件（CSV，UTF-8 或 GBK）
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
    /// 导入人（默认：命令行导入）
    #[arg(long, value_name = "姓名")]
    pub by: Option<String>,
    /// 导入原因（默认：导入 文件名）
    #[arg(long, value_name = "原因")]
    pub why: Option<String>,
    /// 数据来源，用于文件中没有 source 列或该列为空的行（默认：导入文件 文件名）
    #[arg(long, value_name = "来源")]
    pub source: Option<String>,
    /// 允许超过单位上限的指标及其上限，可多次使用，如 --max 高中阶段毛入学率=150（毛入学率可超过 100%）；指标写文件中的名称或编码
    #[arg(long, value_name = "指标=上限")]
    pub max: Vec<String>,
}

#[derive(Args)]
pub struct HistoryArgs {
    /// 地区：名称（唯一时）或路径
    pub region: String,
    /// 只看一个指标：规划中的名称、目录编码或名称
    #[arg(long, value_name = "指标")]
    pub indicator: Option<String>,
    #[command(flatten)]
    pub db: DbArg,
    /// 输出格式：table（中文表格）或 json
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args)]
pub struct ExportArgs {
    /// 地区：名称（唯一时）或路径
    pub region: String,
    #[command(flatten)]
    pub db: DbArg,
    /// 同时导出演示数据（默认只导出实际报送的数据）
    #[arg(long)]
    pub include_demo: bool,
}

pub fn run(cmd: DataCommand) -> Result<()> {
    db::runtime()?.block_on(async {
        match cmd {
            DataCommand::Import(a) => import(a).await,
            DataCommand::History(a) => history(a).await,
            DataCommand::Export(a) => export(a).await,
        }
    })
}

/// A column of the import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Region,
    Indicator,
    Year,
    Value,
    Source,
}

impl Col {
    fn parse(h: &str) -> Option<Col> {
        Some(match h.trim().to_ascii_lowercase().as_str() {
            "region" | "地区" => Col::Region,
            "indicator" | "指标" => Col::Indicator,
            "year" | "年份" => Col::Year,
            "value" | "数值" | "值" => Col::Value,
            "source" | "来源" | "数据来源" => Col::Source,
            _ => return None,
        })
    }

    fn label(self) -> &'static str {
        match self {
            Col::Region => "region（地区）",
            Col::Indicator => "indicator（指标）",
            Col::Year => "year（年份）",
            Col::Value => "value（数值）",
            Col::Source => "source（来源）",
        }
    }
}

/// Splits one CSV line (RFC 4180 quoting within the line).
fn split_csv(line: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                c => cur.push(c),
            }
        } else {
            match c {
                '"' if at_start => quoted = true,
                ',' => {
                    out.push(std::mem::take(&mut cur));
                    at_start = true;
                    continue;
                }
                c => cur.push(c),
            }
        }
        at_start = false;
    }
    if quoted {
        return Err("引号未闭合");
    }
    out.push(cur);
    Ok(out)
}

/// Quotes a CSV field when it needs it.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Characters that make a spreadsheet read a cell as a formula when they start it.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text field a spreadsheet opens as text, never as a formula: a leading `'` before
/// = + - @ tab or CR (OWASP's CSV injection advice), then quoted when it needs it. Only for
/// text columns: a value column holds numbers, and `-5` stays a number.
fn csv_text(s: &str) -> String {
    if s.starts_with(FORMULA_START) {
        csv_field(&format!("'{s}"))
    } else {
        csv_field(s)
    }
}

/// A text field read back from an export: the `'` [`csv_text`] put before a formula
/// character taken off again, so that exported files import unchanged.
fn unescape_text(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// `--max 指标=上限`: the indicators allowed above their unit's bound.
fn parse_max(args: &[String]) -> Result<Vec<(String, f64)>> {
    args.iter()
        .map(|a| {
            let (name, max) = a
                .rsplit_once('=')
                .with_context(|| format!("--max “{a}”应写成 指标=上限，如 高中阶段毛入学率=150"))?;
            let max = quality::parse_value(max, "")
                .map_err(|e| anyhow::anyhow!("--max “{a}”的上限：{e}"))?;
            Ok((name.trim().to_string(), max))
        })
        .collect()
}

/// How an indicator named in a file resolves for one region.
struct RegionIndicators {
    region: RegionRow,
    targets: Vec<SystemTarget>,
}

impl RegionIndicators {
    async fn load(store: &dyn Store, region: RegionRow) -> Result<RegionIndicators, StoreError> {
        let targets = store
            .system_targets(region.id)
            .await?
            .into_iter()
            .filter(|t| !t.state.retired)
            .collect();
        Ok(RegionIndicators { region, targets })
    }

    /// The unit reported values of `key` are in (its first target's).
    fn unit(&self, key: &str) -> &str {
        self.targets
            .iter()
            .find(|t| t.state.indicator_key() == key)
            .map(|t| t.state.unit.as_str())
            .unwrap_or("")
    }

    /// The indicator key for `name`: a target's name as the plan writes it (exactly, then
    /// as the catalog normalises names), a catalog code, a catalog name or alias, or a key.
    fn key(&self, catalog: &Catalog, name: &str) -> Result<String, String> {
        let name = name.trim();
        let keys_of = |pred: &dyn Fn(&SystemTarget) -> bool| -> BTreeSet<String> {
            self.targets
                .iter()
                .filter(|t| pred(t))
                .map(|t| t.state.indicator_key())
                .collect()
        };
        let one = |keys: BTreeSet<String>| -> Option<Result<String, String>> {
            match keys.len() {
                0 => None,
                1 => keys.into_iter().next().map(Ok),
                _ => Some(Err(format!(
                    "指标“{name}”在地区“{}”对应多个指标编码（{}），请改用编码",
                    self.region.path,
                    keys.into_iter().collect::<Vec<_>>().join("、")
                ))),
            }
        };
        if let Some(r) = one(keys_of(&|t| t.state.indicator == name)) {
            return r;
        }
        let n = normalize(name);
        if let Some(r) = one(keys_of(&|t| normalize(&t.state.indicator) == n)) {
            return r;
        }
        if let Some(r) = one(keys_of(&|t| t.state.indicator_key() == name)) {
            return r;
        }
        let code = catalog
            .get(name)
            .or_else(|| catalog.by_name(name))
            .map(|i| i.code.clone());
        match code {
            Some(code) => match one(keys_of(&|t| t.state.code.as_deref() == Some(code.as_str()))) {
                Some(r) => r,
                None => Err(format!(
                    "地区“{}”的指标体系中没有指标 {code}（{name}）的目标。可用 `planwatch target add` 新增",
                    self.region.path
                )),
            },
            None => Err(format!(
                "地区“{}”的指标体系中没有指标“{name}”，目录中也没有这个编码或名称。\
                 可用 `planwatch target list {}` 查看该地区的指标",
                self.region.path, self.region.path
            )),
        }
    }
}

/// One line of the file, checked.
struct Row {
    line: usize,
    region_id: i64,
    key: String,
    year: i32,
    value: f64,
    source: String,
}

/// Reads and checks the whole file; every problem names the file, the line and the field.
async fn read_file(
    store: &dyn Store,
    catalog: &Catalog,
    path: &Path,
    default_source: &str,
    max: &[(String, f64)],
) -> Result<Vec<Row>> {
    let file = path.display().to_string();
    let text = planwatch_ingest::load(path)?;
    let mut lines = text
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.as_str()))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((head_no, head)) = lines.next() else {
        bail!("{file}：文件为空");
    };
    let head = split_csv(head.trim_start_matches('\u{feff}'))
        .map_err(|e| anyhow::anyhow!("{file}：第 {head_no} 行（表头）：{e}"))?;
    let mut cols: Vec<Col> = Vec::with_capacity(head.len());
    for (i, h) in head.iter().enumerate() {
        let Some(c) = Col::parse(h) else {
            bail!(
                "{file}：第 {head_no} 行（表头）第 {} 列“{}”不是可识别的列名。应为 region,indicator,year,value[,source]",
                i + 1,
                h.trim()
            );
        };
        if cols.contains(&c) {
            bail!("{file}：第 {head_no} 行（表头）：列 {} 出现两次", c.label());
        }
        cols.push(c);
    }
    for need in [Col::Region, Col::Indicator, Col::Year, Col::Value] {
        if !cols.contains(&need) {
            bail!(
                "{file}：第 {head_no} 行（表头）缺少列 {}。应为 region,indicator,year,value[,source]",
                need.label()
            );
        }
    }

    let all_regions = store.regions().await?;
    let mut regions: HashMap<String, Result<RegionIndicators, String>> = HashMap::new();
    let mut errors: Vec<String> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut seen: HashMap<(i64, String, i32), usize> = HashMap::new();
    const MAX_ERRORS: usize = 20;
    for (no, line) in lines {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let at = |col: Col, msg: String| format!("{file}：第 {no} 行，{} 列：{msg}", col.label());
        let fields = match split_csv(line) {
            Ok(f) => f,
            Err(e) => {
                errors.push(format!("{file}：第 {no} 行：{e}"));
                continue;
            }
        };
        if fields.len() != cols.len() {
            errors.push(format!(
                "{file}：第 {no} 行：有 {} 列，表头有 {} 列",
                fields.len(),
                cols.len()
            ));
            continue;
        }
        let get = |c: Col| -> &str {
            cols.iter()
                .position(|x| *x == c)
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let region_name = get(Col::Region);
        if region_name.is_empty() {
            errors.push(at(Col::Region, "地区为空".into()));
            continue;
        }
        if !regions.contains_key(region_name) {
            let r = match resolve_region(&all_regions, region_name) {
                Ok(r) => RegionIndicators::load(store, r.clone())
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            regions.insert(region_name.to_string(), r);
        }
        let ri = match regions.get(region_name) {
            Some(Ok(ri)) => ri,
            Some(Err(e)) => {
                errors.push(at(Col::Region, e.clone()));
                continue;
            }
            None => continue,
        };
        let indicator = get(Col::Indicator);
        let key = match ri.key(catalog, indicator) {
            Ok(k) => Some(k),
            Err(e) => {
                errors.push(at(Col::Indicator, e));
                None
            }
        };
        let year_text = get(Col::Year);
        let year = match year_text.parse::<i32>() {
            Ok(y) => match quality::check_year(y) {
                None => Some(y),
                Some(f) => {
                    errors.push(at(Col::Year, f.message));
                    None
                }
            },
            Err(_) => {
                errors.push(at(
                    Col::Year,
                    format!(
                        "“{year_text}”不是年份，请填写 {}—{} 之间的四位数字年份，如 2024",
                        quality::YEARS.start(),
                        quality::YEARS.end()
                    ),
                ));
                None
            }
        };
        let Some(key) = key else {
            continue;
        };
        // A count per so many people (每千名儿童…医师数) need not be whole.
        let named = catalog.get(&key).map_or(indicator, |i| i.name.as_str());
        let unit = quality::rule_unit(named, quality::rule_unit(indicator, ri.unit(&key)));
        let allowance = Allowance {
            // `--max` first; else the catalog's bound for the indicator (gross rates).
            max: max
                .iter()
                .find(|(name, _)| name == indicator || *name == key)
                .map(|(_, m)| *m)
                .or_else(|| catalog.get(&key).and_then(|i| i.max)),
            yoy: None,
        };
        let value_text = get(Col::Value);
        let value = match quality::parse_value(value_text, unit) {
            Ok(v) => match quality::check_value("value", v, unit, &allowance) {
                None => Some(v),
                Some(f) => {
                    errors.push(at(Col::Value, f.message));
                    None
                }
            },
            Err(e) => {
                errors.push(at(Col::Value, e.to_string()));
                None
            }
        };
        let (Some(year), Some(value)) = (year, value) else {
            continue;
        };
        let id = (ri.region.id, key.clone(), year);
        if let Some(first) = seen.get(&id) {
            errors.push(format!(
                "{file}：第 {no} 行：地区“{}”指标 {key} 的 {year}年数据与第 {first} 行重复",
                ri.region.path
            ));
            continue;
        }
        seen.insert(id, no);
        let source = match get(Col::Source) {
            "" => default_source.to_string(),
            s => unescape_text(s).to_string(),
        };
        rows.push(Row {
            line: no,
            region_id: ri.region.id,
            key,
            year,
            value,
            source,
        });
    }
    if !errors.is_empty() {
        let more = if errors.len() >= MAX_ERRORS {
            format!("\n（只列出前 {MAX_ERRORS} 个错误）")
        } else {
            String::new()
        };
        bail!(
            "{file} 有错误，未导入任何数据：\n  {}{more}",
            errors.join("\n  ")
        );
    }
    if rows.is_empty() {
        bail!("{file}：除表头外没有数据行");
    }
    Ok(rows)
}

async fn import(a: ImportArgs) -> Result<()> {
    let store = db::open(a.db.db.as_deref()).await?;
    let catalog = catalog()?;
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| a.file.display().to_string());
    let default_source = a
        .source
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("导入文件 {name}"));
    let max = parse_max(&a.max)?;
    let rows = read_file(store.as_ref(), &catalog, &a.file, &default_source, &max).await?;
    let change = Change::new(
        a.by.as_deref().unwrap_or("命令行导入"),
        &a.why.clone().unwrap_or_else(|| format!("导入 {name}")),
    )?;
    let observations: Vec<Observation> = rows
        .iter()
        .map(|r| Observation {
            region_id: r.region_id,
            indicator_key: r.key.clone(),
            year: r.year,
            value: r.value,
            source: r.source.clone(),
            demo: false,
        })
        .collect();
    let report = store
        .import_observations(&observations, &change)
        .await
        .with_context(|| {
            format!(
                "{}：未导入任何数据（第 {}—{} 行）",
                a.file.display(),
                rows.first().map(|r| r.line).unwrap_or(0),
                rows.last().map(|r| r.line).unwrap_or(0)
            )
        })?;
    let regions: BTreeSet<i64> = rows.iter().map(|r| r.region_id).collect();
    outln!(
        "{}：{}（共 {} 条，{} 个地区）。",
        a.file.display(),
        report.summary_zh(),
        rows.len(),
        regions.len()
    )?;
    Ok(())
}

/// The indicator name for each key of a region (the first live target's).
fn names(targets: &[SystemTarget]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for t in targets {
        out.entry(t.state.indicator_key())
            .or_insert_with(|| t.state.indicator.clone());
    }
    out
}

fn opt_number(v: Option<f64>) -> String {
    v.map(format_g6).unwrap_or_else(|| "—".into())
}

async fn history(a: HistoryArgs) -> Result<()> {
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let ri = RegionIndicators::load(store.as_ref(), region.clone()).await?;
    let key = match &a.indicator {
        None => None,
        Some(x) => Some(
            ri.key(&catalog()?, x)
                .unwrap_or_else(|_| x.trim().to_string()),
        ),
    };
    let log = store.observation_history(region.id, key.as_deref()).await?;
    match a.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&log)?)?,
        Format::Table => {
            let names = names(&store.system_targets(region.id).await?);
            let mut out = format!(
                "{}  监测数据修改记录\n时间\t指标\t年份\t原值\t新值\t来源\t渠道\t修改人\t原因\n",
                region.path
            );
            for c in &log {
                let name = names
                    .get(&c.indicator_key)
                    .cloned()
                    .unwrap_or_else(|| c.indicator_key.clone());
                let source = match (&c.old_source, &c.new_source) {
                    (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
                    (_, Some(n)) => n.clone(),
                    (Some(o), None) => o.clone(),
                    (None, None) => "—".into(),
                };
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}{}",
                    c.changed_at.format("%Y-%m-%d %H:%M:%S"),
                    name,
                    c.year,
                    opt_number(c.old_value),
                    opt_number(c.new_value),
                    source,
                    c.channel.label(),
                    c.changed_by,
                    c.why,
                    if c.demo { "\t（演示数据）" } else { "" }
                );
            }
            let _ = writeln!(out, "\n共 {} 条记录。", log.len());
            out!("{out}")?;
        }
    }
    Ok(())
}

async fn export(a: ExportArgs) -> Result<()> {
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let names = names(&store.system_targets(region.id).await?);
    let mut out = String::from("region,indicator,year,value,source\n");
    for o in store.observations(region.id).await? {
        if o.demo && !a.include_demo {
            continue;
        }
        let indicator = names.get(&o.indicator_key).unwrap_or(&o.indicator_key);
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            csv_text(&region.path),
            csv_text(indicator),
            o.year,
            o.value,
            csv_text(&o.source)
        );
    }
    out!("{out}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{csv_text, split_csv, unescape_text};

    #[test]
    fn text_cells_never_start_a_formula() {
        assert_eq!(
            csv_text("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        for s in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(
                csv_text(s).trim_start_matches('"').starts_with('\''),
                "{s:?}"
            );
        }
        assert_eq!(csv_text("妇幼卫生年报"), "妇幼卫生年报");
        assert_eq!(unescape_text("'=1+1"), "=1+1");
        assert_eq!(unescape_text("'说明"), "'说明");
    }

    #[test]
    fn csv_lines_split_with_quotes() {
        assert_eq!(
            split_csv("a,\"b,c\",\"d\"\"e\",").ok(),
            Some(vec!["a".into(), "b,c".into(), "d\"e".into(), String::new()])
        );
        assert!(split_csv("a,\"b").is_err());
    }
}

//! The annual reporting round on the web: what every page and the API of the round share.
//! Which member unit reports which indicator, the form of a unit (with last year's value,
//! the targets and the catalog's definition, unit and breakdowns), reading what people
//! typed into entries, and the completeness of a round.
//!
//! The pages: `form` (a unit's form, its Excel template and upload), `manage` (rounds,
//! completeness, gaps, review, provisional evaluation, the values' audit trail), and the
//! JSON API in `api`.

pub mod api;
pub mod form;
pub mod manage;

use crate::catalog::catalog;
use crate::format;
use crate::{AppState, WebError};
use chrono::{FixedOffset, NaiveDate, Utc};
use lru::LruCache;
use planwatch_core::PlanKind;
use planwatch_core::quality::{self, Finding};
use planwatch_core::round::{
    self, Completeness, Entry, FormIndicator, SubmissionState, TargetLine,
};
use planwatch_store::people::MemberUnit;
use planwatch_store::rounds::{RoundRow, Submission};
use planwatch_store::system::{StoredObservation, SystemTarget};
use planwatch_store::{RegionRow, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Today in China, where every round's dates are.
pub fn today() -> NaiveDate {
    match FixedOffset::east_opt(8 * 3600) {
        Some(tz) => Utc::now().with_timezone(&tz).date_naive(),
        None => Utc::now().date_naive(),
    }
}

/// Every member unit's form of a region's round, by unit (units with no indicator to
/// report left out), and the indicators no unit reports (no lead unit assigned).
// Read by the round's management pages and API (`manage`, `api`), stubs on this branch.
pub struct RegionForms {
    pub units: Vec<MemberUnit>,
    pub forms: BTreeMap<i64, Vec<FormIndicator>>,
    pub unassigned: Vec<FormIndicator>,
}

// Read by the round's management pages and API (`manage`, `api`), stubs on this branch.
impl RegionForms {
    pub fn form(&self, unit_id: i64) -> &[FormIndicator] {
        self.forms.get(&unit_id).map_or(&[], Vec::as_slice)
    }

    pub fn unit(&self, unit_id: i64) -> Option<&MemberUnit> {
        self.units.iter().find(|u| u.id == unit_id)
    }

    /// The unit that reports an indicator key.
    pub fn reporter_of(&self, key: &str) -> Option<i64> {
        self.forms
            .iter()
            .find(|(_, f)| f.iter().any(|i| i.key == key))
            .map(|(u, _)| *u)
    }
}

/// The forms of regions' rounds kept while the region is unchanged: every save of every
/// reporter needs its unit's form (to check the values), and building it reads the whole
/// indicator system and ten years of values. Kept by the region's write counter, which
/// every change of targets, units, assignments and approved values raises, in any process.
pub struct FormCache {
    forms: Mutex<LruCache<FormKey, (i64, Arc<RegionForms>)>>,
}

/// A region's id and a round's year.
type FormKey = (i64, i32);

/// Regions' forms kept at once: a province's counties in the busy weeks of a round.
const FORMS_KEPT: usize = 512;

impl Default for FormCache {
    fn default() -> FormCache {
        FormCache {
            forms: Mutex::new(LruCache::new(
                NonZeroUsize::new(FORMS_KEPT).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

/// The forms of every unit of `region` for the round's `year` (see [`build_forms`]), from
/// the cache while the region is unchanged.
pub async fn region_forms(
    state: &AppState,
    region: &RegionRow,
    year: i32,
) -> Result<Arc<RegionForms>, WebError> {
    let Some(writes) = state.store.region_writes(region.id).await? else {
        return Err(WebError::NotFound(format!(
            "没有编号为 {} 的地区",
            region.id
        )));
    };
    let key = (region.id, year);
    {
        let mut kept = state.forms.forms.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((seen, forms)) = kept.get(&key)
            && *seen == writes
        {
            return Ok(forms.clone());
        }
    }
    let forms = Arc::new(build_forms(state, region, year).await?);
    let mut kept = state.forms.forms.lock().unwrap_or_else(|e| e.into_inner());
    kept.put(key, (writes, forms.clone()));
    Ok(forms)
}

/// The forms of every unit of `region` for the round's `year`. An indicator key is
/// reported by the lead unit (牵头单位) of its first live target that has one (women's plan
/// first, then by source line), so that no value is reported twice.
async fn build_forms(
    state: &AppState,
    region: &RegionRow,
    year: i32,
) -> Result<RegionForms, WebError> {
    let store = state.store.as_ref();
    let units = store.member_units(region.id).await?;
    let targets: Vec<SystemTarget> = store
        .system_targets(region.id)
        .await?
        .into_iter()
        .filter(|t| !t.state.retired)
        .collect();
    let leads: HashMap<i64, Option<i64>> = store
        .assignments(region.id)
        .await?
        .into_iter()
        .map(|a| (a.target_id, a.lead))
        .collect();
    let observations = store.observations(region.id).await?;
    let mut history: HashMap<&str, Vec<(i32, f64)>> = HashMap::new();
    for o in &observations {
        if o.year < year {
            history
                .entry(o.indicator_key.as_str())
                .or_default()
                .push((o.year, o.value));
        }
    }
    let catalog = catalog().map_err(WebError::Internal)?;
    // Key → (reporting unit, the key's targets) in the order targets come.
    let mut order: Vec<String> = Vec::new();
    let mut by_key: HashMap<String, (Option<i64>, Vec<&SystemTarget>)> = HashMap::new();
    for t in &targets {
        let key = t.state.indicator_key();
        let lead = leads.get(&t.id).copied().flatten();
        let slot = by_key.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (None, Vec::new())
        });
        if slot.0.is_none() {
            slot.0 = lead;
        }
        slot.1.push(t);
    }
    let mut forms: BTreeMap<i64, Vec<FormIndicator>> = BTreeMap::new();
    let mut unassigned = Vec::new();
    for key in order {
        let Some((lead, ts)) = by_key.remove(&key) else {
            continue;
        };
        let Some(first) = ts.first() else { continue };
        let entry = first.state.code.as_deref().and_then(|c| catalog.get(c));
        let mut earlier = history.remove(key.as_str()).unwrap_or_default();
        earlier.sort_by_key(|h| h.0);
        let last_year = earlier.iter().find(|h| h.0 == year - 1).map(|h| h.1);
        let mut lines: Vec<TargetLine> = ts
            .iter()
            .map(|t| TargetLine {
                text: format::goal(t.state.comparator, t.state.value, &t.state.unit),
                year: t.state.year,
            })
            .collect();
        lines.sort_by(|a, b| a.year.cmp(&b.year).then_with(|| a.text.cmp(&b.text)));
        lines.dedup();
        let children = first.kind == PlanKind::Children;
        let ind = FormIndicator {
            key: key.clone(),
            name: entry.map_or_else(|| first.state.indicator.clone(), |e| e.name.clone()),
            code: first.state.code.clone(),
            domain: first.state.domain.clone(),
            unit: entry.map_or_else(|| first.state.unit.clone(), |e| e.unit.clone()),
            definition: entry.map(|e| e.definition.clone()).unwrap_or_default(),
            numerator: entry.and_then(|e| e.numerator.clone()),
            denominator: entry.and_then(|e| e.denominator.clone()),
            breakdowns: entry
                .map(|e| round::breakdowns(&e.disaggregations, children))
                .unwrap_or_default(),
            last_year,
            targets: lines,
            history: earlier,
            max: entry.and_then(|e| e.max),
            required: true,
        };
        match lead {
            Some(unit) => forms.entry(unit).or_default().push(ind),
            None => unassigned.push(ind),
        }
    }
    Ok(RegionForms {
        units,
        forms,
        unassigned,
    })
}

/// The round of a region's year, or a 404 that says what to do.
pub async fn round_of(
    state: &AppState,
    region: &RegionRow,
    year: &str,
) -> Result<RoundRow, WebError> {
    let year: i32 = year
        .trim()
        .parse()
        .map_err(|_| WebError::NotFound(format!("“{year}”不是年度")))?;
    state.store.round(region.id, year).await?.ok_or_else(|| {
        WebError::NotFound(format!("{} 尚未开启 {year} 年度的数据填报", region.name))
    })
}

/// A member unit of the region, or a 404.
pub async fn unit_of(
    state: &AppState,
    region: &RegionRow,
    raw: &str,
) -> Result<MemberUnit, WebError> {
    let id: i64 = raw
        .trim()
        .parse()
        .map_err(|_| WebError::NotFound(format!("“{raw}”不是成员单位编号")))?;
    state
        .store
        .member_units(region.id)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| WebError::NotFound(format!("{}没有编号为 {id} 的成员单位", region.name)))
}

/// Why a typed field is not a value: the indicator key, the field (`value`, `numerator`,
/// `性别:女` …) and what to fix.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(test, derive(Eq))]
pub struct FieldError {
    pub key: String,
    pub field: String,
    pub message: String,
}

/// What a person typed for one indicator: the total, the parts by field name, the
/// explanation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Typed {
    pub value: String,
    pub parts: BTreeMap<String, String>,
    pub explanation: String,
}

/// Reads typed text into entries, by the form's indicators (a key not on the form is an
/// error); every field that is not a value is named.
pub fn parse_typed(
    indicators: &[FormIndicator],
    typed: &BTreeMap<String, Typed>,
) -> Result<BTreeMap<String, Entry>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = BTreeMap::new();
    for (key, t) in typed {
        let Some(ind) = indicators.iter().find(|i| i.key == *key) else {
            errors.push(FieldError {
                key: key.clone(),
                field: "value".into(),
                message: format!("指标“{key}”不是本单位本年度要填报的指标"),
            });
            continue;
        };
        let mut entry = Entry {
            explanation: Some(t.explanation.trim().to_string()).filter(|e| !e.is_empty()),
            ..Entry::default()
        };
        let mut read = |field: &str, text: &str, unit: &str| -> Option<f64> {
            if text.trim().is_empty() {
                return None;
            }
            match quality::parse_value(text, unit) {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.push(FieldError {
                        key: key.clone(),
                        field: field.to_string(),
                        message: format!("{}：{e}", field_label(ind, field)),
                    });
                    None
                }
            }
        };
        let unit = quality::rule_unit(&ind.name, &ind.unit);
        entry.value = read("value", &t.value, unit);
        for (field, text) in &t.parts {
            let unit = if field == round::NUMERATOR || field == round::DENOMINATOR {
                ""
            } else {
                unit
            };
            if let Some(v) = read(field, text, unit) {
                entry.parts.insert(field.clone(), v);
            }
        }
        out.insert(key.clone(), entry);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// How a field of an indicator is called on the page.
pub fn field_label(ind: &FormIndicator, field: &str) -> String {
    match field {
        "value" => format!("{}（合计）", ind.name),
        round::NUMERATOR => format!(
            "{}的分子（{}）",
            ind.name,
            ind.numerator.as_deref().unwrap_or("")
        ),
        round::DENOMINATOR => format!(
            "{}的分母（{}）",
            ind.name,
            ind.denominator.as_deref().unwrap_or("")
        ),
        other => format!("{}（{}）", ind.name, other.replace(':', "·")),
    }
}

/// The findings of a form by key, and whether any blocks submission.
pub fn check(
    indicators: &[FormIndicator],
    year: i32,
    entries: &BTreeMap<String, Entry>,
    complete: bool,
) -> (BTreeMap<String, Vec<Finding>>, usize) {
    let check = round::check_form(indicators, year, entries, complete);
    let blocking = check.blocking(entries);
    (check.findings, blocking)
}

/// Where a unit's submission stands.
pub fn state_of(submission: Option<&Submission>) -> SubmissionState {
    submission.map_or(SubmissionState::NotStarted, |s| s.row.state)
}

/// How many of `form`'s indicators `submission` has values for, and how many approved.
pub fn completeness(form: &[FormIndicator], submission: Option<&Submission>) -> Completeness {
    let entries = submission.map(Submission::entries).unwrap_or_default();
    let reported = form
        .iter()
        .filter(|i| entries.get(&i.key).is_some_and(|e| e.value.is_some()))
        .count();
    let approved = match submission {
        Some(s) if s.row.state == SubmissionState::Approved => reported,
        _ => 0,
    };
    Completeness {
        expected: form.len(),
        reported,
        approved,
    }
}

/// What a store refusal says to the person who tried (the 500s stay errors).
pub fn refusal(e: StoreError) -> Result<String, WebError> {
    match e {
        StoreError::EditRefused(m) => Ok(m),
        e @ StoreError::SubmissionChanged { .. } => Ok(e.to_string()),
        StoreError::Busy { .. } => {
            Ok("数据库正忙（另一项写入尚未完成），您的填写未保存，请稍后再试".into())
        }
        e => Err(WebError::Store(e)),
    }
}

/// A value with the indicator's unit, as pages write it: "8.2/10万", "95%".
pub fn with_unit(v: f64, unit: &str) -> String {
    format::with_unit(v, unit)
}

/// The approved values of a region with a round's submitted (not yet approved) values put
/// in their place: what the provisional evaluation judges.
// Read by the round's management pages and API (`manage`, `api`), stubs on this branch.
pub fn provisional(
    approved: Vec<StoredObservation>,
    region_id: i64,
    year: i32,
    submitted: &[Submission],
) -> Vec<StoredObservation> {
    let mut out: BTreeMap<(String, i32), StoredObservation> = approved
        .into_iter()
        .map(|o| ((o.indicator_key.clone(), o.year), o))
        .collect();
    for s in submitted
        .iter()
        .filter(|s| s.row.state == SubmissionState::Submitted)
    {
        for (key, entry) in s.entries() {
            if let Some(value) = entry.value {
                out.insert(
                    (key.clone(), year),
                    StoredObservation {
                        region_id,
                        indicator_key: key,
                        year,
                        value,
                        source: "待审核的报送数据".into(),
                        demo: false,
                        recorded_at: s.row.saved_at,
                        recorded_by: s.row.saved_by.clone(),
                    },
                );
            }
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind() -> FormIndicator {
        FormIndicator {
            key: "W-HEA-03".into(),
            name: "孕产妇死亡率".into(),
            code: Some("W-HEA-03".into()),
            domain: "妇女与健康".into(),
            unit: "1/10万".into(),
            definition: String::new(),
            numerator: Some("孕产妇死亡人数".into()),
            denominator: Some("活产数".into()),
            breakdowns: round::breakdowns(&["urban_rural".into()], false),
            last_year: None,
            targets: vec![],
            history: vec![],
            max: None,
            required: true,
        }
    }

    fn typed(value: &str, parts: &[(&str, &str)]) -> BTreeMap<String, Typed> {
        [(
            "W-HEA-03".to_string(),
            Typed {
                value: value.into(),
                parts: parts
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
                explanation: String::new(),
            },
        )]
        .into()
    }

    #[test]
    fn typed_text_becomes_values_or_named_errors() {
        let form = [ind()];
        let ok = parse_typed(&form, &typed("８．２", &[("城乡:农村", "9.1")])).expect("ok");
        assert_eq!(ok["W-HEA-03"].value, Some(8.2));
        assert_eq!(ok["W-HEA-03"].parts["城乡:农村"], 9.1);
        let errors = parse_typed(&form, &typed("8,2", &[("numerator", "三")])).expect_err("errors");
        assert_eq!(errors.len(), 2);
        assert!(
            errors
                .iter()
                .any(|e| e.field == "value" && e.message.contains("小数点"))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.field == "numerator" && e.message.contains("分子"))
        );
        let mut other = typed("1", &[]);
        other.insert("C-EDU-06".into(), Typed::default());
        let errors = parse_typed(&form, &other).expect_err("not on the form");
        assert!(errors[0].message.contains("不是本单位"));
    }
}

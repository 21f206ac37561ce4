//! A member unit's form of a round (`/regions/{id}/rounds/{year}/units/{unit}`): the
//! reporter fills, saves drafts and submits; everyone else who may read the unit sees it
//! read-only. Its Excel template (`…/template.xlsx`) and the upload of a filled one
//! (`…/upload`).
//!
//! Whatever the channel, what is typed passes `rounds::parse_typed` and `rounds::check`;
//! nothing is stored unless all of it is read (a form with one unreadable field, an upload
//! with one bad cell, are refused whole and shown back with every problem named).

use crate::auth::Caller;
use crate::format;
use crate::regions::{region_of, segment};
use crate::rounds::{self, FieldError, Typed};
use crate::{AppState, WebError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use planwatch_core::access::Action;
use planwatch_core::quality::{Finding, Severity};
use planwatch_core::round::{self, Channel, Entry, FormIndicator, SubmissionState};
use planwatch_export::{CellError, FormRow, FormSpec, TemplateColumn, UploadLimits};
use planwatch_store::people::MemberUnit;
use planwatch_store::rounds::{RoundRow, Save, Submission};
use planwatch_store::{RegionRow, StoreError};
use serde::Deserialize;
use std::collections::BTreeMap;

type UnitPath = Result<Path<(String, String, String)>, PathRejection>;

/// What every handler of the form reads first.
struct Ctx {
    region: RegionRow,
    round: RoundRow,
    unit: MemberUnit,
    form: Vec<FormIndicator>,
    submission: Option<Submission>,
}

async fn load(state: &AppState, path: UnitPath) -> Result<Ctx, WebError> {
    let (raw_region, raw_year, raw_unit) = segment(path)?;
    let region = region_of(state, &raw_region).await?;
    let round = rounds::round_of(state, &region, &raw_year).await?;
    let unit = rounds::unit_of(state, &region, &raw_unit).await?;
    let forms = rounds::region_forms(state, &region, round.year).await?;
    let form = forms.form(unit.id).to_vec();
    let submission = state.store.submission(round.id, unit.id).await?;
    Ok(Ctx {
        region,
        round,
        unit,
        form,
        submission,
    })
}

impl Ctx {
    fn href(&self) -> String {
        format!(
            "/regions/{}/rounds/{}/units/{}",
            self.region.id, self.round.year, self.unit.id
        )
    }

    fn state(&self) -> SubmissionState {
        rounds::state_of(self.submission.as_ref())
    }

    fn version(&self) -> Option<i64> {
        self.submission.as_ref().map(|s| s.row.version)
    }

    fn stored(&self) -> BTreeMap<String, Entry> {
        self.submission
            .as_ref()
            .map(Submission::entries)
            .unwrap_or_default()
    }

    /// Why the caller cannot change the form now, as the page says it; `None` when they
    /// can.
    fn why_locked(&self, caller: &Caller) -> Option<String> {
        if !caller.may(Action::ReportData(self.unit.id), &self.region) {
            return Some(format!(
                "本表由{}的填报人员填写，您可以查看，不能修改。",
                self.unit.name
            ));
        }
        if self.form.is_empty() {
            return Some(format!(
                "{}在{}年度没有需要填报的指标。如有疑问，请联系本级妇儿工委办公室。",
                self.unit.name, self.round.year
            ));
        }
        match self.state() {
            SubmissionState::Submitted => {
                return Some(
                    "本单位数据已报送，正在等待统计局审核，审核前不能修改；如需修改，请联系统计局退回。"
                        .into(),
                );
            }
            SubmissionState::Approved => {
                return Some("本单位数据已审核通过并锁定；如需修改，请联系统计局重新开启。".into());
            }
            _ => {}
        }
        self.round.window().refusal(rounds::today())
    }

    /// The Excel template of this form.
    fn spec(&self) -> FormSpec {
        FormSpec {
            region: self.region.name.clone(),
            region_id: self.region.id,
            year: self.round.year,
            unit_name: self.unit.name.clone(),
            unit_id: self.unit.id,
            rows: self
                .form
                .iter()
                .map(|i| FormRow {
                    key: i.key.clone(),
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    definition: i.definition.clone(),
                    last_year: i.history.last().copied(),
                    target: targets_text(i),
                    breakdowns: i
                        .breakdowns
                        .iter()
                        .flat_map(|b| b.groups.iter().cloned())
                        .collect(),
                })
                .collect(),
        }
    }
}

/// "92%以上（2030年）；…"
fn targets_text(ind: &FormIndicator) -> String {
    ind.targets
        .iter()
        .map(|t| format!("{}（{}年）", t.text, t.year))
        .collect::<Vec<_>>()
        .join("；")
}

// ----- the page -----

struct Note {
    hard: bool,
    text: String,
}

struct Field {
    id: String,
    name: String,
    label: String,
    text: String,
    class: &'static str,
    notes: Vec<Note>,
    /// What another reporter saved meanwhile, when it differs from what is typed here.
    theirs: Option<String>,
}

impl Field {
    fn new(id: String, name: String, label: String, text: String) -> Field {
        Field {
            id,
            name,
            label,
            text,
            class: "",
            notes: Vec::new(),
            theirs: None,
        }
    }

    /// Marks what `saved` holds for this field when it is not what is typed.
    fn compare(&mut self, saved: &str) {
        if saved.trim() != self.text.trim() {
            self.theirs = Some(if saved.trim().is_empty() {
                "（空）".into()
            } else {
                saved.trim().to_string()
            });
        }
    }

    fn note(&mut self, hard: bool, text: String) {
        self.notes.push(Note { hard, text });
        self.class = if self.notes.iter().any(|n| n.hard) {
            "has-hard"
        } else {
            "has-soft"
        };
    }
}

struct Block {
    anchor: String,
    name: String,
    unit: String,
    definition: String,
    code: String,
    last_year: String,
    targets: String,
    comment: Option<String>,
    changed: bool,
    fields: Vec<Field>,
    explanation: Field,
}

/// One problem of a refused upload.
struct CellLine {
    sheet: String,
    cell: String,
    message: String,
}

impl From<CellError> for CellLine {
    fn from(e: CellError) -> CellLine {
        CellLine {
            sheet: e.sheet,
            cell: e.cell,
            message: e.message,
        }
    }
}

#[derive(Template)]
#[template(path = "round_form.html")]
struct FormPage {
    region: String,
    region_href: Option<String>,
    round_href: Option<String>,
    unit: String,
    unit_href: String,
    year: i32,
    href: String,
    template_href: String,
    upload_href: String,
    opens: String,
    deadline: String,
    phase: &'static str,
    state: &'static str,
    late: bool,
    reported: usize,
    expected: usize,
    saved: Option<String>,
    submitted: Option<String>,
    review_comment: Option<String>,
    /// The indicators the bureau commented on when it returned the form: (anchor, name).
    commented: Vec<(String, String)>,
    changed: usize,
    editable: bool,
    has_template: bool,
    locked: Option<String>,
    csrf: String,
    based_on: String,
    notice: Option<String>,
    error: Option<String>,
    reload: bool,
    general: Vec<String>,
    upload_errors: Vec<CellLine>,
    blocks: Vec<Block>,
}

/// What a page shows beside the stored form.
struct Shown {
    status: StatusCode,
    /// What the person typed (kept on a refusal); `None`: the stored values.
    typed: Option<BTreeMap<String, Typed>>,
    /// The version the typed values are based on, when they are shown back.
    based_on: Option<Option<i64>>,
    errors: Vec<FieldError>,
    /// `None`: the drafting checks of the stored values.
    findings: Option<BTreeMap<String, Vec<Finding>>>,
    notice: Option<String>,
    error: Option<String>,
    reload: bool,
    /// Another reporter saved since the typed values were based: mark what they saved.
    theirs: bool,
    upload_errors: Vec<CellLine>,
}

impl Shown {
    fn plain(status: StatusCode) -> Shown {
        Shown {
            status,
            typed: None,
            based_on: None,
            errors: Vec::new(),
            findings: None,
            notice: None,
            error: None,
            reload: false,
            theirs: false,
            upload_errors: Vec::new(),
        }
    }
}

/// Stored entries as the text the fields show.
fn typed_of(entries: &BTreeMap<String, Entry>) -> BTreeMap<String, Typed> {
    entries
        .iter()
        .map(|(key, e)| {
            (
                key.clone(),
                Typed {
                    value: e.value.map(format::number).unwrap_or_default(),
                    parts: e
                        .parts
                        .iter()
                        .map(|(p, v)| (p.clone(), format::number(*v)))
                        .collect(),
                    explanation: e.explanation.clone().unwrap_or_default(),
                },
            )
        })
        .collect()
}

fn blocks(
    ctx: &Ctx,
    typed: &BTreeMap<String, Typed>,
    errors: &[FieldError],
    findings: &BTreeMap<String, Vec<Finding>>,
    theirs: Option<&BTreeMap<String, Typed>>,
) -> Vec<Block> {
    let comments = ctx
        .submission
        .as_ref()
        .map(Submission::comments)
        .unwrap_or_default();
    let changed = ctx
        .submission
        .as_ref()
        .map(Submission::changed_since_approval)
        .unwrap_or_default();
    let empty = Typed::default();
    ctx.form
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let t = typed.get(&ind.key).unwrap_or(&empty);
            let id = |suffix: &str| format!("f{i}-{suffix}");
            let part_text = |part: &str| t.parts.get(part).cloned().unwrap_or_default();
            let mut fields = vec![Field::new(
                id("v"),
                format!("v:{}", ind.key),
                if ind.breakdowns.is_empty() {
                    format!("{}年数值（{}）", ctx.round.year, ind.unit)
                } else {
                    format!("合计（{}）", ind.unit)
                },
                t.value.clone(),
            )];
            let mut parts: Vec<String> = Vec::new();
            for (field, what, label) in [
                (round::NUMERATOR, ind.numerator.as_deref(), "分子"),
                (round::DENOMINATOR, ind.denominator.as_deref(), "分母"),
            ] {
                if let Some(what) = what {
                    fields.push(Field::new(
                        id(&format!("p{}", fields.len())),
                        format!("p:{}:{field}", ind.key),
                        format!("{label}：{what}（选填）"),
                        part_text(field),
                    ));
                    parts.push(field.to_string());
                }
            }
            for b in &ind.breakdowns {
                for g in &b.groups {
                    let part = round::part_name(&b.name, g);
                    fields.push(Field::new(
                        id(&format!("p{}", fields.len())),
                        format!("p:{}:{part}", ind.key),
                        format!("{}·{g}（{}，选填）", b.name, ind.unit),
                        part_text(&part),
                    ));
                    parts.push(part);
                }
            }
            let mut explanation = Field::new(
                id("e"),
                format!("e:{}", ind.key),
                "说明（数值变化较大、缺项等请写明原因）".into(),
                t.explanation.clone(),
            );
            // Each note goes to the field it names; anything else (the year, a part the
            // form does not have) to the total.
            let slot = |field: &str| -> usize {
                if field == "value" {
                    0
                } else {
                    parts.iter().position(|p| p == field).map_or(0, |p| p + 1)
                }
            };
            for e in errors.iter().filter(|e| e.key == ind.key) {
                let at = slot(&e.field);
                fields[at].note(true, e.message.clone());
            }
            let mut soft = false;
            for f in findings.get(&ind.key).into_iter().flatten() {
                let at = slot(&f.field);
                let hard = f.severity == Severity::Hard;
                soft |= !hard;
                fields[at].note(hard, f.message.clone());
            }
            if soft && t.explanation.trim().is_empty() {
                explanation.note(false, "请在此写明原因，写明后即可报送".into());
            }
            if let Some(theirs) = theirs {
                let saved = theirs.get(&ind.key).unwrap_or(&empty);
                fields[0].compare(&saved.value);
                for (j, part) in parts.iter().enumerate() {
                    let text = saved.parts.get(part).map_or("", String::as_str);
                    fields[j + 1].compare(text);
                }
                explanation.compare(&saved.explanation);
            }
            let last_year = match ind.history.last() {
                Some((y, v)) => format!("{}（{y}年）", rounds::with_unit(*v, &ind.unit)),
                None => "暂无".into(),
            };
            Block {
                anchor: format!("i{i}"),
                name: ind.name.clone(),
                unit: ind.unit.clone(),
                definition: ind.definition.clone(),
                code: ind.code.clone().unwrap_or_default(),
                last_year,
                targets: Some(targets_text(ind))
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "—".into()),
                comment: comments.get(&ind.key).cloned(),
                changed: changed.contains(&ind.key),
                fields,
                explanation,
            }
        })
        .collect()
}

fn render(ctx: &Ctx, caller: &Caller, shown: Shown) -> Result<Response, WebError> {
    let href = ctx.href();
    let stored = ctx.stored();
    let typed = shown.typed.unwrap_or_else(|| typed_of(&stored));
    let findings = shown
        .findings
        .unwrap_or_else(|| rounds::check(&ctx.form, ctx.round.year, &stored, false).0);
    // Errors about keys not on the form have no field to stand by.
    let general: Vec<String> = shown
        .errors
        .iter()
        .filter(|e| !ctx.form.iter().any(|i| i.key == e.key))
        .map(|e| e.message.clone())
        .collect();
    let row = ctx.submission.as_ref().map(|s| &s.row);
    let locked = ctx.why_locked(caller);
    let completeness = rounds::completeness(&ctx.form, ctx.submission.as_ref());
    let based_on = shown.based_on.unwrap_or_else(|| ctx.version());
    let page = FormPage {
        region: ctx.region.name.clone(),
        region_href: caller
            .may(Action::ReadRegion, &ctx.region)
            .then(|| format!("/regions/{}", ctx.region.id)),
        round_href: caller
            .may(Action::ReadRegion, &ctx.region)
            .then(|| format!("/regions/{}/rounds/{}", ctx.region.id, ctx.round.year)),
        unit: ctx.unit.name.clone(),
        unit_href: format!("/regions/{}/units/{}", ctx.region.id, ctx.unit.id),
        year: ctx.round.year,
        template_href: format!("{href}/template.xlsx"),
        upload_href: format!("{href}/upload"),
        href,
        opens: round::day(ctx.round.opens_on),
        deadline: round::day(ctx.round.closes_on),
        phase: ctx.round.window().phase(rounds::today()).label(),
        state: ctx.state().label(),
        late: row.is_some_and(|r| r.late),
        reported: completeness.reported,
        expected: completeness.expected,
        saved: row.map(|r| format!("{} · {}", r.saved_by, format::local_time(r.saved_at))),
        submitted: row.and_then(|r| {
            let at = r.submitted_at?;
            Some(format!(
                "{} · {}",
                r.submitted_by.as_deref().unwrap_or(""),
                format::local_time(at)
            ))
        }),
        review_comment: row
            .filter(|r| r.state == SubmissionState::Returned)
            .and_then(|r| r.review_comment.clone().or_else(|| r.reopen_reason.clone())),
        changed: ctx
            .submission
            .as_ref()
            .map_or(0, |s| s.changed_since_approval().len()),
        editable: locked.is_none(),
        has_template: !ctx.form.is_empty(),
        locked,
        csrf: caller.csrf().to_string(),
        based_on: based_on.map(|v| v.to_string()).unwrap_or_default(),
        notice: shown.notice,
        error: shown.error,
        reload: shown.reload,
        general,
        upload_errors: shown.upload_errors,
        blocks: blocks(
            ctx,
            &typed,
            &shown.errors,
            &findings,
            shown.theirs.then(|| typed_of(&stored)).as_ref(),
        ),
        commented: Vec::new(),
    };
    let mut page = page;
    page.commented = page
        .blocks
        .iter()
        .filter(|b| b.comment.is_some())
        .map(|b| (b.anchor.clone(), b.name.clone()))
        .collect();
    let mut response = (shown.status, Html(page.render()?)).into_response();
    // The page carries the session's form token and unsaved values: never kept by a cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Deserialize)]
pub struct Banner {
    saved: Option<String>,
    submitted: Option<String>,
    uploaded: Option<usize>,
}

/// GET: the form.
pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    path: UnitPath,
    query: Result<Query<Banner>, QueryRejection>,
) -> Result<Response, WebError> {
    let ctx = load(&state, path).await?;
    let mut shown = Shown::plain(StatusCode::OK);
    if let Ok(Query(q)) = query {
        shown.notice = if q.submitted.is_some() {
            Some("已报送，等待统计局审核。".into())
        } else if let Some(n) = q.uploaded {
            Some(format!("已从 Excel 导入 {n} 项数值，请核对后报送。"))
        } else if q.saved.is_some() {
            Some("已保存草稿。全部填好并核对后，请点击“报送”。".into())
        } else {
            None
        };
    }
    render(&ctx, &caller, shown)
}

/// What a posted form holds.
struct Posted {
    action: String,
    based_on: Option<i64>,
    typed: BTreeMap<String, Typed>,
}

/// Splits `{key}:{part}` of a `p:` field. A key may hold `:` itself (`local:名称`), and so
/// may a part (`性别:女`): the form's keys are tried first, the longest that fits.
fn split_part(form: &[FormIndicator], rest: &str) -> (String, String) {
    let fits = form
        .iter()
        .filter(|i| {
            rest.strip_prefix(i.key.as_str())
                .is_some_and(|after| after.starts_with(':'))
        })
        .max_by_key(|i| i.key.len());
    match fits {
        Some(i) => (i.key.clone(), rest[i.key.len() + 1..].to_string()),
        None => match rest.split_once(':') {
            Some((k, p)) => (k.to_string(), p.to_string()),
            None => (rest.to_string(), String::new()),
        },
    }
}

fn read_posted(form: &[FormIndicator], pairs: Vec<(String, String)>) -> Posted {
    let mut posted = Posted {
        action: String::new(),
        based_on: None,
        typed: BTreeMap::new(),
    };
    for (name, value) in pairs {
        match name.split_once(':') {
            Some(("v", key)) => posted.typed.entry(key.to_string()).or_default().value = value,
            Some(("e", key)) => {
                posted.typed.entry(key.to_string()).or_default().explanation = value;
            }
            Some(("p", rest)) => {
                let (key, part) = split_part(form, rest);
                posted
                    .typed
                    .entry(key)
                    .or_default()
                    .parts
                    .insert(part, value);
            }
            _ => match name.as_str() {
                "action" => posted.action = value,
                "based_on" => posted.based_on = value.trim().parse().ok(),
                _ => {}
            },
        }
    }
    posted
}

/// Stored entries with `given` put in their place: what the unit's submission holds after
/// the save.
fn merged(
    stored: BTreeMap<String, Entry>,
    given: &BTreeMap<String, Entry>,
) -> BTreeMap<String, Entry> {
    let mut out = stored;
    for (k, e) in given {
        out.insert(k.clone(), e.clone());
    }
    out.retain(|_, e| !e.is_empty());
    out
}

/// A store refusal shown on the page, the person's typed values kept; a failure that is
/// not a refusal stays an error. When another reporter saved meanwhile, the page is based
/// on what they saved and marks it beside each field that differs: saving again is then a
/// decision made seeing both, never a silent overwrite.
async fn refused(
    state: &AppState,
    ctx: &mut Ctx,
    caller: &Caller,
    e: StoreError,
    mut shown: Shown,
) -> Result<Response, WebError> {
    shown.status = match &e {
        StoreError::SubmissionChanged { .. } | StoreError::EditRefused(_) => StatusCode::CONFLICT,
        StoreError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let changed = matches!(e, StoreError::SubmissionChanged { .. });
    let message = rounds::refusal(e)?;
    if changed {
        ctx.submission = state.store.submission(ctx.round.id, ctx.unit.id).await?;
        shown.based_on = Some(ctx.version());
        shown.reload = true;
        shown.theirs = true;
        shown.error = Some(format!(
            "{message}。您的填写仍在下方，对方保存的值标在各项旁；核对后再次保存，将以您的填写为准。"
        ));
    } else {
        shown.error = Some(message);
    }
    render(ctx, caller, shown)
}

/// POST: save a draft, or submit.
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    path: UnitPath,
    body: Bytes,
) -> Result<Response, WebError> {
    let mut ctx = load(&state, path).await?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| WebError::BadRequest("表单内容无法读取，请在页面上重新提交。".into()))?;
    let posted = read_posted(&ctx.form, pairs);
    let mut shown = Shown::plain(StatusCode::CONFLICT);
    shown.typed = Some(posted.typed.clone());
    shown.based_on = Some(posted.based_on);
    if let Some(why) = ctx.why_locked(&caller) {
        shown.error = Some(format!("未保存：{why}"));
        shown.findings = Some(BTreeMap::new());
        return render(&ctx, &caller, shown);
    }
    let entries = match rounds::parse_typed(&ctx.form, &posted.typed) {
        Ok(entries) => entries,
        Err(errors) => {
            shown.status = StatusCode::UNPROCESSABLE_ENTITY;
            shown.error = Some(format!(
                "有 {} 处填写无法识别，本次没有保存任何内容。请按各项旁的提示修改后再保存。",
                errors.len()
            ));
            shown.errors = errors;
            shown.findings = Some(BTreeMap::new());
            return render(&ctx, &caller, shown);
        }
    };
    let submit = posted.action == "submit";
    let today = rounds::today();
    let href = ctx.href();
    let mut save = Save {
        round_id: ctx.round.id,
        unit_id: ctx.unit.id,
        based_on: posted.based_on,
        entries: &entries,
        channel: Channel::Form,
        by: caller.name(),
        submit: false,
        late: false,
    };
    if submit {
        let all = merged(ctx.stored(), &entries);
        let (findings, blocking) = rounds::check(&ctx.form, ctx.round.year, &all, true);
        if blocking > 0 {
            // Nothing typed is lost: saved as a draft, shown back with what to fix.
            shown.findings = Some(findings);
            return match state.store.save_submission(&save, today).await {
                Ok(saved) => {
                    shown.based_on = Some(Some(saved.row.version));
                    ctx.submission = Some(saved);
                    shown.status = StatusCode::UNPROCESSABLE_ENTITY;
                    shown.error = Some(format!(
                        "{blocking} 项需要修改或说明，尚未报送。您的填写已保存为草稿；请按各项旁的提示修改或填写说明后，再点击“报送”。"
                    ));
                    render(&ctx, &caller, shown)
                }
                Err(e) => refused(&state, &mut ctx, &caller, e, shown).await,
            };
        }
        save.submit = true;
        save.late = ctx.round.window().is_late(today);
    }
    match state.store.save_submission(&save, today).await {
        Ok(_) if submit => Ok(Redirect::to(&format!("{href}?submitted=1")).into_response()),
        Ok(_) => Ok(Redirect::to(&format!("{href}?saved=1")).into_response()),
        Err(e) => {
            shown.findings = Some(rounds::check(&ctx.form, ctx.round.year, &entries, false).0);
            refused(&state, &mut ctx, &caller, e, shown).await
        }
    }
}

/// `Content-Disposition` of a download named `name` (RFC 6266: an ASCII fallback, and the
/// UTF-8 name percent-encoded for every browser in use).
fn attachment(name: &str) -> Result<HeaderValue, WebError> {
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "attachment; filename=\"form.xlsx\"; filename*=UTF-8''{encoded}"
    ))
    .map_err(|e| WebError::Internal(format!("content-disposition: {e}")))
}

/// GET: the unit's Excel template for the round.
pub async fn template(
    State(state): State<AppState>,
    _caller: Caller,
    path: UnitPath,
) -> Result<Response, WebError> {
    let ctx = load(&state, path).await?;
    if ctx.form.is_empty() {
        return Err(WebError::NotFound(format!(
            "{}在{}年度没有需要填报的指标，因此没有填报模板。",
            ctx.unit.name, ctx.round.year
        )));
    }
    let bytes = planwatch_export::write_template(&ctx.spec())
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    let name = format!(
        "{}-{}-{}年度监测数据填报表.xlsx",
        ctx.region.name, ctx.unit.name, ctx.round.year
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ),
            (header::CONTENT_DISPOSITION, attachment(&name)?),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}

/// The template column a finding's field is in; `None` for numerator and denominator,
/// which the template does not ask for.
fn column_of(field: &str) -> Option<TemplateColumn<'_>> {
    match field {
        round::NUMERATOR | round::DENOMINATOR => None,
        f => match f.split_once(':') {
            Some((_, group)) => Some(TemplateColumn::Breakdown(group)),
            None => Some(TemplateColumn::Value),
        },
    }
}

/// An upload's rows as entries. The template asks for totals, breakdowns and
/// explanations; numerator and denominator are typed on the web form, so the stored ones
/// are kept.
fn upload_entries(
    form: &[FormIndicator],
    rows: Vec<planwatch_export::FilledRow>,
    stored: &BTreeMap<String, Entry>,
) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    for row in rows {
        let Some(ind) = form.iter().find(|i| i.key == row.key) else {
            continue;
        };
        let mut entry = Entry {
            value: row.value,
            parts: BTreeMap::new(),
            explanation: row.explanation,
        };
        for (label, v) in row.breakdowns {
            if let Some(b) = ind.breakdowns.iter().find(|b| b.groups.contains(&label)) {
                entry.parts.insert(round::part_name(&b.name, &label), v);
            }
        }
        if let Some(old) = stored.get(&row.key) {
            for part in [round::NUMERATOR, round::DENOMINATOR] {
                if let Some(v) = old.parts.get(part) {
                    entry.parts.insert(part.to_string(), *v);
                }
            }
        }
        out.insert(row.key, entry);
    }
    out
}

/// POST: a filled template, stored whole or not at all.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    path: UnitPath,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let mut ctx = load(&state, path).await?;
    // The cause goes to the log; the clerk is told what to do.
    let unreadable = |e: &dyn std::fmt::Display| {
        tracing::info!(error = %e, "an upload could not be read");
        WebError::BadRequest("上传的内容未能完整接收，请重新选择文件后上传。".into())
    };
    let mut multipart = multipart.map_err(|e| unreadable(&e))?;
    let mut file: Option<Bytes> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| unreadable(&e))? {
        if field.name() == Some("file") {
            file = Some(field.bytes().await.map_err(|e| unreadable(&e))?);
        }
    }
    let mut shown = Shown::plain(StatusCode::CONFLICT);
    if let Some(why) = ctx.why_locked(&caller) {
        shown.error = Some(format!("未导入：{why}"));
        return render(&ctx, &caller, shown);
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        shown.status = StatusCode::UNPROCESSABLE_ENTITY;
        shown.error =
            Some("请先选择要上传的填报表（从本页下载的 Excel 模板，填好后上传）。".into());
        return render(&ctx, &caller, shown);
    };
    let spec = ctx.spec();
    let size = file.len();
    // Inflating and reading up to 10 MB of zip is seconds of CPU in the worst case: off the
    // threads that serve everyone else's pages.
    let read = {
        let spec = spec.clone();
        tokio::task::spawn_blocking(move || planwatch_export::read_upload(&file, &spec))
            .await
            .map_err(|e| WebError::Internal(format!("reading an upload: {e}")))?
    };
    let rows = match read {
        Ok(rows) => rows,
        Err(errors) => {
            shown.status = if size > UploadLimits::default().max_bytes {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            shown.error = Some(format!(
                "上传的文件有 {} 处问题，没有导入任何数值。请按下表在 Excel 中改正后重新上传。",
                errors.len()
            ));
            shown.upload_errors = errors.into_iter().map(CellLine::from).collect();
            return render(&ctx, &caller, shown);
        }
    };
    let stored = ctx.stored();
    let entries = upload_entries(&ctx.form, rows, &stored);
    let all = merged(stored, &entries);
    let (findings, _) = rounds::check(&ctx.form, ctx.round.year, &all, false);
    let mut problems = Vec::new();
    for ind in &ctx.form {
        for f in findings.get(&ind.key).into_iter().flatten() {
            if f.severity != Severity::Hard {
                continue;
            }
            let cell = column_of(&f.field)
                .and_then(|c| planwatch_export::template_cell(&spec, &ind.key, c));
            problems.push(CellLine {
                sheet: planwatch_export::form::SHEET_FORM.to_string(),
                message: match &cell {
                    Some(_) => format!("指标“{}”：{}", ind.name, f.message),
                    None => format!(
                        "指标“{}”：{}（分子、分母请在网页上修改）",
                        ind.name, f.message
                    ),
                },
                cell: cell.unwrap_or_default(),
            });
        }
    }
    if !problems.is_empty() {
        shown.status = StatusCode::UNPROCESSABLE_ENTITY;
        shown.error = Some(format!(
            "上传的文件有 {} 处数值必须修改，没有导入任何数值。请按下表在 Excel 中改正后重新上传。",
            problems.len()
        ));
        shown.upload_errors = problems;
        return render(&ctx, &caller, shown);
    }
    let imported = entries
        .values()
        .filter(|e| e.value.is_some() || !e.parts.is_empty())
        .count();
    let save = Save {
        round_id: ctx.round.id,
        unit_id: ctx.unit.id,
        based_on: ctx.version(),
        entries: &entries,
        channel: Channel::Upload,
        by: caller.name(),
        submit: false,
        late: false,
    };
    match state.store.save_submission(&save, rounds::today()).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?uploaded={imported}", ctx.href())).into_response()),
        Err(e) => {
            // Another save won the race since the page was read: show the current form.
            ctx.submission = state.store.submission(ctx.round.id, ctx.unit.id).await?;
            shown.error = Some(rounds::refusal(e)?);
            render(&ctx, &caller, shown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(key: &str) -> FormIndicator {
        FormIndicator {
            key: key.into(),
            name: "指标".into(),
            code: None,
            domain: String::new(),
            unit: "%".into(),
            definition: String::new(),
            numerator: None,
            denominator: None,
            breakdowns: round::breakdowns(&["sex".into()], false),
            last_year: None,
            targets: vec![],
            history: vec![],
            max: None,
            required: true,
        }
    }

    #[test]
    fn posted_fields_find_their_keys_and_parts() {
        let form = [ind("C-EDU-06"), ind("local:每千人口医师数")];
        let pairs = vec![
            ("csrf".to_string(), "x".to_string()),
            ("based_on".into(), "3".into()),
            ("action".into(), "submit".into()),
            ("v:C-EDU-06".into(), "92.5".into()),
            ("p:C-EDU-06:性别:女".into(), "93".into()),
            ("p:C-EDU-06:numerator".into(), "900".into()),
            ("e:C-EDU-06".into(), "说明".into()),
            ("p:local:每千人口医师数:性别:男".into(), "2".into()),
        ];
        let posted = read_posted(&form, pairs);
        assert_eq!(posted.action, "submit");
        assert_eq!(posted.based_on, Some(3));
        let t = &posted.typed["C-EDU-06"];
        assert_eq!(t.value, "92.5");
        assert_eq!(t.parts["性别:女"], "93");
        assert_eq!(t.parts["numerator"], "900");
        assert_eq!(t.explanation, "说明");
        assert_eq!(posted.typed["local:每千人口医师数"].parts["性别:男"], "2");
    }

    #[test]
    fn file_names_are_percent_encoded() {
        let v = attachment("连平县-卫健委-2025年度.xlsx").expect("header");
        let text = v.to_str().expect("ascii");
        assert!(
            text.ends_with("UTF-8''%E8%BF%9E%E5%B9%B3%E5%8E%BF-%E5%8D%AB%E5%81%A5%E5%A7%94-2025%E5%B9%B4%E5%BA%A6.xlsx"),
            "{text}"
        );
    }
}

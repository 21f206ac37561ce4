//! Reporting rounds, submissions and their values (`Rounds`).

use super::observations::{channel, region_data, remove_observation, write_observation};
use super::people::{append_audit, audit_line, is_unique_violation};
use super::subtree::below;
use super::{
    BYTE_ORDER, Db, FOR_SHARE, FOR_UPDATE, Row, SqlStore, Tx, begin_write, get, q, touch_region,
};
use crate::StoreError;
use crate::model_support as ms;
use crate::people::AuditAction;
use crate::rounds::{
    NewRound, Review, RoundChange, RoundRow, Rounds, Save, Submission, SubmissionRow,
    SubmissionValue, ValueChange, ValueChangeFilter,
};
use crate::sql::WriteLock;
use crate::system::{Change, Observation, check_observations, observation_write};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use planwatch_core::round::{Channel, RoundState, SubmissionState, check_dates};
use sqlx::Pool;
use std::collections::{BTreeMap, HashMap};

const ROUND_COLUMNS: &str = "id, region_id, year, opens_on, closes_on, state, version, \
     created_at, created_by, changed_at, changed_by, why";

const SUBMISSION_COLUMNS: &str = "id, round_id, unit_id, state, version, saved_at, saved_by, \
     submitted_at, submitted_by, late, reviewed_at, reviewed_by, review_comment, approved_at, \
     reopen_reason";

fn date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("日期：{text}")))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn row_round(row: &Row) -> Result<RoundRow, StoreError> {
    let state: String = get(row, 5)?;
    Ok(RoundRow {
        id: get(row, 0)?,
        region_id: get(row, 1)?,
        year: ms::year(get(row, 2)?)?,
        opens_on: date(&get::<String>(row, 3)?)?,
        closes_on: date(&get::<String>(row, 4)?)?,
        state: RoundState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("填报轮次状态：{state}")))?,
        version: get(row, 6)?,
        created_at: get(row, 7)?,
        created_by: get(row, 8)?,
        changed_at: get(row, 9)?,
        changed_by: get(row, 10)?,
        why: get(row, 11)?,
    })
}

fn row_submission(row: &Row) -> Result<SubmissionRow, StoreError> {
    let state: String = get(row, 3)?;
    Ok(SubmissionRow {
        id: get(row, 0)?,
        round_id: get(row, 1)?,
        unit_id: get(row, 2)?,
        state: SubmissionState::parse(&state)
            .filter(|s| *s != SubmissionState::NotStarted)
            .ok_or_else(|| StoreError::Corrupt(format!("报送状态：{state}")))?,
        version: get(row, 4)?,
        saved_at: get(row, 5)?,
        saved_by: get(row, 6)?,
        submitted_at: get(row, 7)?,
        submitted_by: get(row, 8)?,
        late: get(row, 9)?,
        reviewed_at: get(row, 10)?,
        reviewed_by: get(row, 11)?,
        review_comment: get(row, 12)?,
        approved_at: get(row, 13)?,
        reopen_reason: get(row, 14)?,
    })
}

fn row_value(row: &Row) -> Result<(i64, SubmissionValue), StoreError> {
    Ok((
        get(row, 0)?,
        SubmissionValue {
            key: get(row, 1)?,
            part: get(row, 2)?,
            value: get(row, 3)?,
            explanation: get(row, 4)?,
            comment: get(row, 5)?,
            approved_value: get(row, 6)?,
        },
    ))
}

const VALUE_COLUMNS: &str =
    "submission_id, indicator_key, part, value, explanation, comment, approved_value";

/// The round, locked (on PostgreSQL) against changes while the caller works in it: `lock`
/// is `FOR_UPDATE` to change the round itself, `FOR_SHARE` to write in it (saves of
/// different units go on side by side; closing waits for them).
async fn round_in(tx: &mut Tx<'_>, round_id: i64, lock: &str) -> Result<RoundRow, StoreError> {
    let sql = format!("SELECT {ROUND_COLUMNS} FROM rounds t WHERE t.id = $1{lock}");
    let row = sqlx::query(&sql)
        .bind(round_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("读取填报轮次"))?;
    match row {
        Some(row) => row_round(&row),
        None => Err(StoreError::EditRefused(format!(
            "未找到填报轮次（编号 {round_id}）"
        ))),
    }
}

async fn submission_in(
    tx: &mut Tx<'_>,
    round_id: i64,
    unit_id: i64,
) -> Result<Option<SubmissionRow>, StoreError> {
    let sql = format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submissions t WHERE t.round_id = $1 AND t.unit_id = $2{FOR_UPDATE}"
    );
    sqlx::query(&sql)
        .bind(round_id)
        .bind(unit_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("读取报送"))?
        .as_ref()
        .map(row_submission)
        .transpose()
}

async fn values_in(
    tx: &mut Tx<'_>,
    submission_id: i64,
) -> Result<Vec<SubmissionValue>, StoreError> {
    let sql = format!(
        "SELECT {VALUE_COLUMNS} FROM submission_values WHERE submission_id = $1 \
         ORDER BY indicator_key{BYTE_ORDER}, part{BYTE_ORDER}"
    );
    sqlx::query(&sql)
        .bind(submission_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(q("读取报送数值"))?
        .iter()
        .map(|r| row_value(r).map(|v| v.1))
        .collect()
}

async fn unit_in_region(
    tx: &mut Tx<'_>,
    unit_id: i64,
    region_id: i64,
) -> Result<String, StoreError> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM member_units WHERE id = $1 AND region_id = $2")
            .bind(unit_id)
            .bind(region_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(q("读取成员单位"))?;
    name.ok_or_else(|| {
        StoreError::EditRefused(format!("成员单位（编号 {unit_id}）不属于本轮次的地区"))
    })
}

fn changed(s: &SubmissionRow) -> StoreError {
    StoreError::SubmissionChanged {
        by: s.saved_by.clone(),
        at: china_time(s.saved_at),
    }
}

/// A moment as a clerk in China reads it.
fn china_time(at: DateTime<Utc>) -> String {
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(tz) => at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The rows one entry stands for: (part, value, explanation).
fn entry_rows(entry: &planwatch_core::round::Entry) -> Vec<(String, Option<f64>, Option<String>)> {
    let mut rows = vec![(
        String::new(),
        entry.value,
        entry.explanation().map(str::to_string),
    )];
    for (part, v) in &entry.parts {
        rows.push((part.clone(), Some(*v), None));
    }
    rows
}

/// One value a save changes.
struct ValueWrite<'a> {
    key: &'a str,
    part: String,
    value: Option<f64>,
    explanation: Option<String>,
    old_value: Option<f64>,
    old_explanation: Option<&'a str>,
}

async fn write_values(
    tx: &mut Tx<'_>,
    submission_id: i64,
    writes: &[ValueWrite<'_>],
) -> Result<(), StoreError> {
    if writes.is_empty() {
        return Ok(());
    }
    let mut query = sqlx::QueryBuilder::<Db>::new(
        "INSERT INTO submission_values (submission_id, indicator_key, part, value, explanation) ",
    );
    query.push_values(writes, |mut row, w| {
        row.push_bind(submission_id)
            .push_bind(w.key)
            .push_bind(w.part.as_str())
            .push_bind(w.value)
            .push_bind(w.explanation.as_deref());
    });
    query.push(
        " ON CONFLICT (submission_id, indicator_key, part) \
         DO UPDATE SET value = excluded.value, explanation = excluded.explanation",
    );
    query
        .build()
        .execute(&mut **tx)
        .await
        .map_err(q("保存填报数值"))?;
    Ok(())
}

async fn append_value_changes(
    tx: &mut Tx<'_>,
    submission_id: i64,
    round: &RoundRow,
    unit_id: i64,
    writes: &[ValueWrite<'_>],
    (channel, at, by, why): (Channel, DateTime<Utc>, &str, &str),
) -> Result<(), StoreError> {
    if writes.is_empty() {
        return Ok(());
    }
    let mut query = sqlx::QueryBuilder::<Db>::new(
        "INSERT INTO value_changes (submission_id, region_id, unit_id, year, indicator_key, \
         part, old_value, new_value, old_explanation, new_explanation, channel, changed_at, \
         changed_by, why) ",
    );
    query.push_values(writes, |mut row, w| {
        row.push_bind(submission_id)
            .push_bind(round.region_id)
            .push_bind(unit_id)
            .push_bind(i64::from(round.year))
            .push_bind(w.key)
            .push_bind(w.part.as_str())
            .push_bind(w.old_value)
            .push_bind(w.value)
            .push_bind(w.old_explanation)
            .push_bind(w.explanation.as_deref())
            .push_bind(channel.code())
            .push_bind(at)
            .push_bind(by)
            .push_bind(why);
    });
    query
        .build()
        .execute(&mut **tx)
        .await
        .map_err(q("写入填报修改记录"))?;
    Ok(())
}

async fn load_submission(
    pool: &Pool<Db>,
    round_id: i64,
    unit_id: i64,
) -> Result<Option<Submission>, StoreError> {
    let sql = format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE round_id = $1 AND unit_id = $2"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(round_id)
        .bind(unit_id)
        .fetch_optional(pool)
        .await
        .map_err(q("读取报送"))?
    else {
        return Ok(None);
    };
    let row = row_submission(&row)?;
    let sql = format!(
        "SELECT {VALUE_COLUMNS} FROM submission_values WHERE submission_id = $1 \
         ORDER BY indicator_key{BYTE_ORDER}, part{BYTE_ORDER}"
    );
    let values = sqlx::query(&sql)
        .bind(row.id)
        .fetch_all(pool)
        .await
        .map_err(q("读取报送数值"))?
        .iter()
        .map(|r| row_value(r).map(|v| v.1))
        .collect::<Result<_, _>>()?;
    Ok(Some(Submission { row, values }))
}

fn trimmed(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[async_trait]
impl Rounds for SqlStore {
    async fn open_round(&self, round: &NewRound, by: &str) -> Result<RoundRow, StoreError> {
        check_dates(round.year, round.opens_on, round.closes_on)
            .map_err(StoreError::EditRefused)?;
        let mut tx = begin_write(&self.writer, WriteLock::Rounds)
            .await
            .map_err(q("开启填报"))?;
        let region: Option<String> = sqlx::query_scalar("SELECT path FROM regions WHERE id = $1")
            .bind(round.region_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(q("读取地区"))?;
        let Some(region) = region else {
            return Err(StoreError::EditRefused(format!(
                "编号为 {} 的地区不存在",
                round.region_id
            )));
        };
        let now = Utc::now();
        let sql = format!(
            "INSERT INTO rounds (region_id, year, opens_on, closes_on, state, version, \
             created_at, created_by, changed_at, changed_by, why) \
             VALUES ($1, $2, $3, $4, 'open', 1, $5, $6, $5, $6, NULL) RETURNING {ROUND_COLUMNS}"
        );
        let row = match sqlx::query(&sql)
            .bind(round.region_id)
            .bind(i64::from(round.year))
            .bind(date_text(round.opens_on))
            .bind(date_text(round.closes_on))
            .bind(now)
            .bind(by)
            .fetch_one(&mut *tx)
            .await
        {
            Ok(row) => row_round(&row)?,
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::EditRefused(format!(
                    "{region} 的 {} 年度填报已经开启过，不能重复开启；如需调整，请修改该轮次的日期或重新开启",
                    round.year
                )));
            }
            Err(e) => return Err(q("开启填报")(e)),
        };
        append_audit(
            &mut tx,
            &audit_line(
                by,
                AuditAction::RoundOpened,
                Some(round.region_id),
                format!("{} 年度数据填报", round.year),
                format!(
                    "{} 至 {}",
                    planwatch_core::round::day(round.opens_on),
                    planwatch_core::round::day(round.closes_on)
                ),
            ),
            now,
        )
        .await?;
        tx.commit().await.map_err(q("开启填报"))?;
        Ok(row)
    }

    async fn change_round(
        &self,
        round_id: i64,
        expected: i64,
        change: &RoundChange,
        by: &str,
    ) -> Result<RoundRow, StoreError> {
        let Some(why) = trimmed(&change.why) else {
            return Err(StoreError::EditRefused(
                "请写明关闭、重新开启或调整日期的原因".into(),
            ));
        };
        let mut tx = begin_write(&self.writer, WriteLock::Rounds)
            .await
            .map_err(q("调整填报轮次"))?;
        let round = round_in(&mut tx, round_id, FOR_UPDATE).await?;
        check_dates(round.year, change.opens_on, change.closes_on)
            .map_err(StoreError::EditRefused)?;
        if round.version != expected {
            return Err(StoreError::EditRefused(format!(
                "该轮次已由 {} 修改过，请刷新后再操作",
                round.changed_by
            )));
        }
        let now = Utc::now();
        let sql = format!(
            "UPDATE rounds SET state = $2, opens_on = $3, closes_on = $4, version = version + 1, \
             changed_at = $5, changed_by = $6, why = $7 WHERE id = $1 RETURNING {ROUND_COLUMNS}"
        );
        let row = sqlx::query(&sql)
            .bind(round_id)
            .bind(change.state.code())
            .bind(date_text(change.opens_on))
            .bind(date_text(change.closes_on))
            .bind(now)
            .bind(by)
            .bind(&why)
            .fetch_one(&mut *tx)
            .await
            .map_err(q("调整填报轮次"))?;
        let row = row_round(&row)?;
        let what = match (round.state, change.state) {
            (RoundState::Closed, RoundState::Closed) | (_, RoundState::Open) => "调整日期",
            (_, RoundState::Closed) => "关闭",
            (_, RoundState::Reopened) => "重新开启",
        };
        append_audit(
            &mut tx,
            &audit_line(
                by,
                AuditAction::RoundChanged,
                Some(round.region_id),
                format!("{} 年度数据填报", round.year),
                format!(
                    "{what}（{} 至 {}）：{why}",
                    planwatch_core::round::day(change.opens_on),
                    planwatch_core::round::day(change.closes_on)
                ),
            ),
            now,
        )
        .await?;
        tx.commit().await.map_err(q("调整填报轮次"))?;
        Ok(row)
    }

    async fn rounds(&self, region_id: i64) -> Result<Vec<RoundRow>, StoreError> {
        let sql =
            format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE region_id = $1 ORDER BY year DESC");
        sqlx::query(&sql)
            .bind(region_id)
            .fetch_all(&self.pool)
            .await
            .map_err(q("读取填报轮次"))?
            .iter()
            .map(row_round)
            .collect()
    }

    async fn round(&self, region_id: i64, year: i32) -> Result<Option<RoundRow>, StoreError> {
        let sql = format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE region_id = $1 AND year = $2");
        sqlx::query(&sql)
            .bind(region_id)
            .bind(i64::from(year))
            .fetch_optional(&self.pool)
            .await
            .map_err(q("读取填报轮次"))?
            .as_ref()
            .map(row_round)
            .transpose()
    }

    async fn subtree_rounds(&self, root: &str, year: i32) -> Result<Vec<RoundRow>, StoreError> {
        let columns = ROUND_COLUMNS
            .split(", ")
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM rounds o JOIN regions r ON r.id = o.region_id \
             WHERE o.year = $3 AND (r.path = $1 OR r.path LIKE $2 ESCAPE '\\') ORDER BY r.path"
        );
        sqlx::query(&sql)
            .bind(root)
            .bind(below(Some(root)))
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await
            .map_err(q("读取下级地区的填报轮次"))?
            .iter()
            .map(row_round)
            .collect()
    }

    async fn submissions(&self, round_id: i64) -> Result<Vec<Submission>, StoreError> {
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE round_id = $1 ORDER BY unit_id"
        );
        let rows = sqlx::query(&sql)
            .bind(round_id)
            .fetch_all(&self.pool)
            .await
            .map_err(q("读取报送"))?
            .iter()
            .map(row_submission)
            .collect::<Result<Vec<_>, _>>()?;
        let columns = VALUE_COLUMNS
            .split(", ")
            .map(|c| format!("v.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM submission_values v JOIN submissions s \
             ON s.id = v.submission_id WHERE s.round_id = $1 \
             ORDER BY v.submission_id, v.indicator_key{BYTE_ORDER}, v.part{BYTE_ORDER}"
        );
        let mut values: HashMap<i64, Vec<SubmissionValue>> = HashMap::new();
        for row in sqlx::query(&sql)
            .bind(round_id)
            .fetch_all(&self.pool)
            .await
            .map_err(q("读取报送数值"))?
        {
            let (id, value) = row_value(&row)?;
            values.entry(id).or_default().push(value);
        }
        Ok(rows
            .into_iter()
            .map(|row| Submission {
                values: values.remove(&row.id).unwrap_or_default(),
                row,
            })
            .collect())
    }

    async fn submission(
        &self,
        round_id: i64,
        unit_id: i64,
    ) -> Result<Option<Submission>, StoreError> {
        load_submission(&self.pool, round_id, unit_id).await
    }

    async fn save_submission(
        &self,
        save: &Save<'_>,
        today: NaiveDate,
    ) -> Result<Submission, StoreError> {
        let mut tx = begin_write(&self.writer, WriteLock::Rounds)
            .await
            .map_err(q("保存填报"))?;
        let round = round_in(&mut tx, save.round_id, FOR_SHARE).await?;
        if let Some(why) = round.window().refusal(today) {
            return Err(StoreError::EditRefused(why));
        }
        let unit = unit_in_region(&mut tx, save.unit_id, round.region_id).await?;
        // Microseconds, as both databases keep them: what a save returns equals what is read.
        let now = Utc::now().trunc_subsecs(6);
        let existing = submission_in(&mut tx, save.round_id, save.unit_id).await?;
        let submission = match existing {
            Some(s) => {
                if save.based_on != Some(s.version) {
                    return Err(changed(&s));
                }
                if !s.state.editable() {
                    return Err(StoreError::EditRefused(match s.state {
                        SubmissionState::Submitted => format!(
                            "{unit}的数据已报送，正在等待统计局审核，不能再修改；如需修改，请联系统计局退回"
                        ),
                        _ => {
                            format!("{unit}的数据已审核通过并锁定；如需修改，请联系统计局重新开启")
                        }
                    }));
                }
                s
            }
            None => {
                if save.based_on.is_some() {
                    return Err(StoreError::EditRefused(
                        "这张表的记录不存在，请刷新后再保存".into(),
                    ));
                }
                let sql = format!(
                    "INSERT INTO submissions (round_id, unit_id, state, version, saved_at, \
                     saved_by, late) VALUES ($1, $2, 'draft', 1, $3, $4, FALSE) \
                     ON CONFLICT (round_id, unit_id) DO NOTHING RETURNING {SUBMISSION_COLUMNS}"
                );
                let row = sqlx::query(&sql)
                    .bind(save.round_id)
                    .bind(save.unit_id)
                    .bind(now)
                    .bind(save.by)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(q("保存填报"))?;
                match row {
                    Some(row) => row_submission(&row)?,
                    // Another reporter of the unit saved first, a moment ago.
                    None => match submission_in(&mut tx, save.round_id, save.unit_id).await? {
                        Some(s) => return Err(changed(&s)),
                        None => return Err(StoreError::EditRefused("保存未成功，请重试".into())),
                    },
                }
            }
        };
        let stored = values_in(&mut tx, submission.id).await?;
        let mut by_key: BTreeMap<&str, Vec<&SubmissionValue>> = BTreeMap::new();
        for v in &stored {
            by_key.entry(v.key.as_str()).or_default().push(v);
        }
        let why = if save.submit {
            "报送"
        } else {
            "保存草稿"
        };
        // Every changed value, written in two statements whatever their number: a busy
        // round's saves queue on the one writer.
        let mut writes: Vec<ValueWrite<'_>> = Vec::new();
        for (key, entry) in save.entries {
            let mut rows = entry_rows(entry);
            // Parts stored before and not given now are cleared.
            for old in by_key.get(key.as_str()).into_iter().flatten() {
                if !old.part.is_empty() && !entry.parts.contains_key(&old.part) {
                    rows.push((old.part.clone(), None, None));
                }
            }
            for (part, value, explanation) in rows {
                let old = by_key
                    .get(key.as_str())
                    .and_then(|vs| vs.iter().find(|v| v.part == part));
                let (old_value, old_explanation) =
                    old.map_or((None, None), |v| (v.value, v.explanation.as_deref()));
                if old.is_some() && old_value == value && old_explanation == explanation.as_deref()
                {
                    continue;
                }
                if old.is_none() && value.is_none() && explanation.is_none() {
                    continue;
                }
                writes.push(ValueWrite {
                    key,
                    part,
                    value,
                    explanation,
                    old_value,
                    old_explanation,
                });
            }
        }
        write_values(&mut tx, submission.id, &writes).await?;
        append_value_changes(
            &mut tx,
            submission.id,
            &round,
            save.unit_id,
            &writes,
            (save.channel, now, save.by, why),
        )
        .await?;
        let state = if save.submit {
            SubmissionState::Submitted
        } else if submission.state == SubmissionState::Returned {
            SubmissionState::Returned
        } else {
            SubmissionState::Draft
        };
        if save.submit {
            sqlx::query(
                "UPDATE submissions SET state = $2, version = version + 1, saved_at = $3, \
                 saved_by = $4, submitted_at = $3, submitted_by = $4, late = $5 WHERE id = $1",
            )
            .bind(submission.id)
            .bind(state.code())
            .bind(now)
            .bind(save.by)
            .bind(save.late)
            .execute(&mut *tx)
            .await
            .map_err(q("报送"))?;
            sqlx::query("UPDATE submission_values SET comment = NULL WHERE submission_id = $1")
                .bind(submission.id)
                .execute(&mut *tx)
                .await
                .map_err(q("报送"))?;
            append_audit(
                &mut tx,
                &audit_line(
                    save.by,
                    AuditAction::Submitted,
                    Some(round.region_id),
                    format!("{unit} {} 年度数据", round.year),
                    format!(
                        "{}{}",
                        save.channel.label(),
                        if save.late { "（逾期）" } else { "" }
                    ),
                ),
                now,
            )
            .await?;
        } else {
            sqlx::query(
                "UPDATE submissions SET state = $2, version = version + 1, saved_at = $3, \
                 saved_by = $4 WHERE id = $1",
            )
            .bind(submission.id)
            .bind(state.code())
            .bind(now)
            .bind(save.by)
            .execute(&mut *tx)
            .await
            .map_err(q("保存填报"))?;
        }
        // What is stored now, without reading it again.
        let mut values: BTreeMap<(String, String), SubmissionValue> = stored
            .iter()
            .map(|v| ((v.key.clone(), v.part.clone()), v.clone()))
            .collect();
        for w in &writes {
            let v = values
                .entry((w.key.to_string(), w.part.clone()))
                .or_insert_with(|| SubmissionValue {
                    key: w.key.to_string(),
                    part: w.part.clone(),
                    value: None,
                    explanation: None,
                    comment: None,
                    approved_value: None,
                });
            v.value = w.value;
            v.explanation = w.explanation.clone();
        }
        if save.submit {
            for v in values.values_mut() {
                v.comment = None;
            }
        }
        let mut row = submission;
        row.state = state;
        row.version += 1;
        row.saved_at = now;
        row.saved_by = save.by.to_string();
        if save.submit {
            row.submitted_at = Some(now);
            row.submitted_by = Some(save.by.to_string());
            row.late = save.late;
        }
        tx.commit().await.map_err(q("保存填报"))?;
        Ok(Submission {
            row,
            values: values.into_values().collect(),
        })
    }

    async fn review_submission(
        &self,
        round_id: i64,
        unit_id: i64,
        expected: i64,
        review: &Review,
        by: &str,
    ) -> Result<Submission, StoreError> {
        let lock = match review {
            Review::Approve { .. } => WriteLock::Observations,
            _ => WriteLock::Rounds,
        };
        let mut tx = begin_write(&self.writer, lock).await.map_err(q("审核"))?;
        let round = round_in(&mut tx, round_id, FOR_SHARE).await?;
        let unit = unit_in_region(&mut tx, unit_id, round.region_id).await?;
        let Some(submission) = submission_in(&mut tx, round_id, unit_id).await? else {
            return Err(StoreError::EditRefused(format!("{unit}还没有填报数据")));
        };
        if submission.version != expected {
            return Err(changed(&submission));
        }
        let now = Utc::now();
        let subject = format!("{unit} {} 年度数据", round.year);
        match review {
            Review::Approve { source } => {
                if submission.state != SubmissionState::Submitted {
                    return Err(StoreError::EditRefused(format!(
                        "{unit}的数据当前为“{}”，只有待审核的数据可以审核通过",
                        submission.state.label()
                    )));
                }
                let values = values_in(&mut tx, submission.id).await?;
                let region = region_data(&mut tx, round.region_id).await?;
                let change = Change {
                    by: by.to_string(),
                    why: format!("{} 年度报送审核通过（{unit}）", round.year),
                };
                let mut rows = Vec::new();
                for v in values.iter().filter(|v| v.part.is_empty()) {
                    if let Some(value) = v.value {
                        rows.push(Observation {
                            region_id: round.region_id,
                            indicator_key: v.key.clone(),
                            year: round.year,
                            value,
                            source: source.clone(),
                            demo: false,
                        });
                    }
                }
                check_observations(&rows)?;
                for row in &rows {
                    if !region.live.contains(&row.indicator_key) {
                        return Err(StoreError::EditRefused(format!(
                            "指标“{}”在{}的指标体系中已没有有效目标，不能入库；请先核对指标体系",
                            row.indicator_key, region.path
                        )));
                    }
                    let old = region
                        .stored
                        .get(&(row.indicator_key.clone(), row.year))
                        .map(|(v, s, d)| (*v, s.as_str(), *d));
                    let write = observation_write(row, old);
                    write_observation(&mut tx, row, old, write, now, &change, Channel::Review)
                        .await?;
                }
                // An approved value the unit withdrew since leaves the monitoring data.
                for v in values
                    .iter()
                    .filter(|v| v.part.is_empty() && v.value.is_none())
                {
                    if v.approved_value.is_some()
                        && let Some((value, source, demo)) =
                            region.stored.get(&(v.key.clone(), round.year))
                    {
                        remove_observation(
                            &mut tx,
                            round.region_id,
                            &v.key,
                            round.year,
                            (*value, source.as_str(), *demo),
                            now,
                            &change,
                            Channel::Review,
                        )
                        .await?;
                    }
                }
                sqlx::query(
                    "UPDATE submission_values SET approved_value = value, comment = NULL \
                     WHERE submission_id = $1",
                )
                .bind(submission.id)
                .execute(&mut *tx)
                .await
                .map_err(q("审核通过"))?;
                sqlx::query(
                    "UPDATE submissions SET state = 'approved', version = version + 1, \
                     reviewed_at = $2, reviewed_by = $3, approved_at = $2, \
                     review_comment = NULL, reopen_reason = NULL WHERE id = $1",
                )
                .bind(submission.id)
                .bind(now)
                .bind(by)
                .execute(&mut *tx)
                .await
                .map_err(q("审核通过"))?;
                touch_region(&mut tx, round.region_id).await?;
                append_audit(
                    &mut tx,
                    &audit_line(
                        by,
                        AuditAction::Approved,
                        Some(round.region_id),
                        subject,
                        format!("{} 项数值入库", rows.len()),
                    ),
                    now,
                )
                .await?;
            }
            Review::Return { comment, per_value } => {
                if submission.state != SubmissionState::Submitted {
                    return Err(StoreError::EditRefused(format!(
                        "{unit}的数据当前为“{}”，只有待审核的数据可以退回",
                        submission.state.label()
                    )));
                }
                let comment = comment.as_deref().and_then(trimmed);
                let per_value: BTreeMap<&str, String> = per_value
                    .iter()
                    .filter_map(|(k, c)| trimmed(c).map(|c| (k.as_str(), c)))
                    .collect();
                if comment.is_none() && per_value.is_empty() {
                    return Err(StoreError::EditRefused(
                        "退回时请写明原因：对整张表，或对需要修改的数值".into(),
                    ));
                }
                for (key, text) in &per_value {
                    sqlx::query(
                        "INSERT INTO submission_values (submission_id, indicator_key, part, \
                         value, explanation, comment) VALUES ($1, $2, '', NULL, NULL, $3) \
                         ON CONFLICT (submission_id, indicator_key, part) \
                         DO UPDATE SET comment = excluded.comment",
                    )
                    .bind(submission.id)
                    .bind(*key)
                    .bind(text)
                    .execute(&mut *tx)
                    .await
                    .map_err(q("退回"))?;
                }
                sqlx::query(
                    "UPDATE submissions SET state = 'returned', version = version + 1, \
                     reviewed_at = $2, reviewed_by = $3, review_comment = $4 WHERE id = $1",
                )
                .bind(submission.id)
                .bind(now)
                .bind(by)
                .bind(comment.as_deref())
                .execute(&mut *tx)
                .await
                .map_err(q("退回"))?;
                let mut detail: Vec<String> = comment.iter().cloned().collect();
                detail.extend(per_value.iter().map(|(k, c)| format!("{k}：{c}")));
                append_audit(
                    &mut tx,
                    &audit_line(
                        by,
                        AuditAction::Returned,
                        Some(round.region_id),
                        subject,
                        detail.join("；"),
                    ),
                    now,
                )
                .await?;
            }
            Review::Reopen { reason } => {
                let Some(reason) = trimmed(reason) else {
                    return Err(StoreError::EditRefused(
                        "重新开启已通过的数据，请写明原因".into(),
                    ));
                };
                if submission.state != SubmissionState::Approved {
                    return Err(StoreError::EditRefused(format!(
                        "{unit}的数据当前为“{}”，只有已通过的数据需要重新开启",
                        submission.state.label()
                    )));
                }
                sqlx::query(
                    "UPDATE submissions SET state = 'returned', version = version + 1, \
                     reviewed_at = $2, reviewed_by = $3, review_comment = $4, \
                     reopen_reason = $4 WHERE id = $1",
                )
                .bind(submission.id)
                .bind(now)
                .bind(by)
                .bind(&reason)
                .execute(&mut *tx)
                .await
                .map_err(q("重新开启"))?;
                append_audit(
                    &mut tx,
                    &audit_line(
                        by,
                        AuditAction::SubmissionReopened,
                        Some(round.region_id),
                        subject,
                        reason,
                    ),
                    now,
                )
                .await?;
            }
        }
        tx.commit().await.map_err(q("审核"))?;
        load_submission(&self.pool, round_id, unit_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("刚审核的报送不见了".into()))
    }

    async fn value_changes(
        &self,
        region_id: i64,
        filter: &ValueChangeFilter,
    ) -> Result<Vec<ValueChange>, StoreError> {
        sqlx::query(
            "SELECT id, submission_id, region_id, unit_id, year, indicator_key, part, old_value, \
             new_value, old_explanation, new_explanation, channel, changed_at, changed_by, why \
             FROM value_changes WHERE region_id = $1 \
             AND (CAST($2 AS BIGINT) IS NULL OR unit_id = $2) \
             AND (CAST($3 AS TEXT) IS NULL OR indicator_key = $3) \
             AND (CAST($4 AS BIGINT) IS NULL OR year = $4) \
             ORDER BY id DESC LIMIT $5",
        )
        .bind(region_id)
        .bind(filter.unit_id)
        .bind(filter.key.as_deref())
        .bind(filter.year.map(i64::from))
        .bind(filter.limit.unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取填报修改记录"))?
        .iter()
        .map(|row: &Row| {
            Ok(ValueChange {
                id: get(row, 0)?,
                submission_id: get(row, 1)?,
                region_id: get(row, 2)?,
                unit_id: get(row, 3)?,
                year: ms::year(get(row, 4)?)?,
                key: get(row, 5)?,
                part: get(row, 6)?,
                old_value: get(row, 7)?,
                new_value: get(row, 8)?,
                old_explanation: get(row, 9)?,
                new_explanation: get(row, 10)?,
                channel: channel(get(row, 11)?)?,
                changed_at: get(row, 12)?,
                changed_by: get(row, 13)?,
                why: get(row, 14)?,
            })
        })
        .collect()
    }
}

//! Published reports (`Publications`).

use super::people::{append_audit, audit_line};
use super::{FOR_UPDATE, Row, SqlStore, begin_write, get, q};
use crate::StoreError;
use crate::model_support as ms;
use crate::people::AuditAction;
use crate::publications::{NewPublication, Publication, PublicationSummary, Publications};
use crate::sql::WriteLock;
use async_trait::async_trait;
use chrono::{SubsecRound, Utc};
use planwatch_core::reporting::ReportKind;

/// The summary's columns (`p` the publication, `r` its region), then the body.
const SUMMARY_COLUMNS: &str = "p.id, p.region_id, r.name, r.path, p.year, p.kind, p.version, \
     p.title, p.published_at, p.published_by, p.why";

fn row_summary(row: &Row) -> Result<PublicationSummary, StoreError> {
    let kind: String = get(row, 5)?;
    Ok(PublicationSummary {
        id: get(row, 0)?,
        region_id: get(row, 1)?,
        region_name: get(row, 2)?,
        region_path: get(row, 3)?,
        year: ms::year(get(row, 4)?)?,
        kind: ReportKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("报告类型：{kind}")))?,
        version: get(row, 6)?,
        title: get(row, 7)?,
        published_at: get(row, 8)?,
        published_by: get(row, 9)?,
        why: get(row, 10)?,
    })
}

fn row_publication(row: &Row) -> Result<Publication, StoreError> {
    Ok(Publication {
        summary: row_summary(row)?,
        report_json: get(row, 11)?,
    })
}

#[async_trait]
impl Publications for SqlStore {
    async fn publish(&self, p: &NewPublication<'_>) -> Result<Publication, StoreError> {
        if p.title.trim().is_empty() || p.report_json.trim().is_empty() {
            return Err(StoreError::EditRefused(
                "报告没有标题或内容，不能发布".into(),
            ));
        }
        let why = p.why.map(str::trim).filter(|w| !w.is_empty());
        let mut tx = begin_write(&self.writer, WriteLock::Publications)
            .await
            .map_err(q("发布报告"))?;
        // The region's row, locked on PostgreSQL: publications of one region take their
        // version numbers one after the other.
        let region: Option<String> = sqlx::query_scalar(&format!(
            "SELECT t.path FROM regions t WHERE t.id = $1{FOR_UPDATE}"
        ))
        .bind(p.region_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("读取地区"))?;
        let Some(region) = region else {
            return Err(StoreError::EditRefused(format!(
                "编号为 {} 的地区不存在",
                p.region_id
            )));
        };
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(version) FROM publications \
             WHERE region_id = $1 AND year = $2 AND kind = $3",
        )
        .bind(p.region_id)
        .bind(i64::from(p.year))
        .bind(p.kind.code())
        .fetch_one(&mut *tx)
        .await
        .map_err(q("读取已发布版本"))?;
        let version = latest.unwrap_or(0) + 1;
        // Whole microseconds: what both databases keep, so the row reads back equal.
        let now = Utc::now().trunc_subsecs(6);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO publications (region_id, year, kind, version, title, report_json, \
             published_at, published_by, why) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(p.region_id)
        .bind(i64::from(p.year))
        .bind(p.kind.code())
        .bind(version)
        .bind(p.title)
        .bind(p.report_json)
        .bind(now)
        .bind(p.by)
        .bind(why)
        .fetch_one(&mut *tx)
        .await
        .map_err(q("发布报告"))?;
        append_audit(
            &mut tx,
            &audit_line(
                p.by,
                AuditAction::Published,
                Some(p.region_id),
                p.title,
                format!(
                    "{region} {}年{} 第{version}版（编号 {id}）{}",
                    p.year,
                    p.kind.label_zh(),
                    why.map(|w| format!("：{w}")).unwrap_or_default()
                ),
            ),
            now,
        )
        .await?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, p.report_json FROM publications p \
             JOIN regions r ON r.id = p.region_id WHERE p.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(q("读取已发布报告"))?;
        let publication = row_publication(&row)?;
        tx.commit().await.map_err(q("发布报告"))?;
        Ok(publication)
    }

    async fn publications(
        &self,
        region_id: Option<i64>,
    ) -> Result<Vec<PublicationSummary>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications p JOIN regions r ON r.id = p.region_id \
             WHERE CAST($1 AS BIGINT) IS NULL OR p.region_id = $1 ORDER BY p.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(region_id)
            .fetch_all(&self.pool)
            .await
            .map_err(q("读取已发布报告"))?;
        rows.iter().map(row_summary).collect()
    }

    async fn publication(&self, id: i64) -> Result<Option<Publication>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, p.report_json FROM publications p \
             JOIN regions r ON r.id = p.region_id WHERE p.id = $1"
        );
        sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(q("读取已发布报告"))?
            .as_ref()
            .map(row_publication)
            .transpose()
    }

    async fn publication_version(
        &self,
        region_id: i64,
        year: i32,
        kind: ReportKind,
        version: i64,
    ) -> Result<Option<Publication>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, p.report_json FROM publications p \
             JOIN regions r ON r.id = p.region_id \
             WHERE p.region_id = $1 AND p.year = $2 AND p.kind = $3 AND p.version = $4"
        );
        sqlx::query(&sql)
            .bind(region_id)
            .bind(i64::from(year))
            .bind(kind.code())
            .bind(version)
            .fetch_optional(&self.pool)
            .await
            .map_err(q("读取已发布报告"))?
            .as_ref()
            .map(row_publication)
            .transpose()
    }
}

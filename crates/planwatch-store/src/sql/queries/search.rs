//! The header's search: targets whose indicator, catalog code or text contains the words,
//! within one subtree, a bounded number.

use super::subtree::below;
use super::system::{SELECT, row_target};
use super::{Db, q};
use crate::StoreError;
use crate::system::SystemTarget;
use sqlx::Pool;

/// `%words%` with LIKE's wildcards taken literally.
fn contains(words: &str) -> String {
    let escaped = words
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub async fn search_targets(
    pool: &Pool<Db>,
    root: Option<&str>,
    words: &str,
    limit: u32,
) -> Result<Vec<SystemTarget>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE v.version = t.version AND NOT v.retired \
         AND (CAST($1 AS TEXT) IS NULL OR r.path = $1 OR r.path LIKE $2 ESCAPE '\\') \
         AND (v.indicator LIKE $3 ESCAPE '\\' OR v.code LIKE $3 ESCAPE '\\' \
              OR v.text LIKE $3 ESCAPE '\\') \
         ORDER BY r.path, CASE t.kind WHEN 'women' THEN 0 ELSE 1 END, v.year, t.id LIMIT $4"
    );
    sqlx::query(&sql)
        .bind(root)
        .bind(below(root))
        .bind(contains(words))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
        .map_err(q("搜索目标"))?
        .iter()
        .map(row_target)
        .collect()
}

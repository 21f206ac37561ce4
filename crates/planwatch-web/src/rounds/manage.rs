//! The office's and the bureau's side of a round: the rounds of a region and opening one
//! (`/regions/{id}/rounds`), a round's completeness per member unit or per sub-region with
//! closing and reopening (`…/rounds/{year}`), what is still missing (`…/gaps`, `.xlsx`),
//! reviewing a unit's submission (`…/units/{unit}/review`), the provisional evaluation
//! with submitted values (`…/provisional`) and the values' audit trail (`…/changes`,
//! `.csv`).

use crate::auth::Caller;
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::response::Response;

/// GET: the region's rounds, and the form to open one.
pub async fn list(
    State(_state): State<AppState>,
    _caller: Caller,
    Path(_id): Path<String>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: open a round.
pub async fn open(
    State(_state): State<AppState>,
    _caller: Caller,
    Path(_id): Path<String>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: a round's completeness.
pub async fn show(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: close, reopen or move a round.
pub async fn change(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: what is still missing.
pub async fn gaps(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: what is still missing, as .xlsx.
pub async fn gaps_xlsx(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: the provisional evaluation with submitted values.
pub async fn provisional(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: the values' audit trail.
pub async fn changes(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: the values' audit trail as CSV.
pub async fn changes_csv(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: a unit's submission for review.
pub async fn review_page(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: approve, return or reopen.
pub async fn review(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

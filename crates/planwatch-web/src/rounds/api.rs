//! The round through the JSON API: what is due, a unit's form with its values and state,
//! saving, submitting, reviewing; described in the OpenAPI document.

use crate::auth::Caller;
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::response::Response;

/// GET: a region's rounds.
pub async fn region_rounds(
    State(_state): State<AppState>,
    _caller: Caller,
    Path(_id): Path<String>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: open a round.
pub async fn open_round(
    State(_state): State<AppState>,
    _caller: Caller,
    Path(_id): Path<String>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: a round's completeness per unit.
pub async fn round(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: a unit's form, values, checks and state.
pub async fn unit_form(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// PUT: save a unit's values as a draft.
pub async fn save(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: submit a unit's values.
pub async fn submit(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: approve, return or reopen a unit's submission.
pub async fn review(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: what is due for the caller's member units.
pub async fn due(State(_state): State<AppState>, _caller: Caller) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

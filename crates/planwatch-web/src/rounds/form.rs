//! A member unit's form of a round (`/regions/{id}/rounds/{year}/units/{unit}`): the
//! reporter fills, saves drafts and submits; everyone else who may read the unit sees it
//! read-only. Its Excel template (`…/template.xlsx`) and the upload of a filled one
//! (`…/upload`).

use crate::auth::Caller;
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::response::Response;

/// GET: the form.
pub async fn page(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: save a draft, or submit.
pub async fn save(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// GET: the unit's Excel template for the round.
pub async fn template(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

/// POST: a filled template, stored whole or not at all.
pub async fn upload(
    State(_state): State<AppState>,
    _caller: Caller,
    Path((_id, _year, _unit)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    Err(WebError::NotFound("尚未提供".into()))
}

//! Errors as Chinese pages. Nothing internal (SQL, paths, backtraces) reaches the page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use planwatch_store::StoreError;
use std::any::Any;

#[derive(Debug)]
pub enum WebError {
    /// An unknown region, plan, version or address; the text says which.
    NotFound(String),
    /// A query the page cannot use (a `year` that is no year …); the text says what to do.
    BadRequest(String),
    /// The database failed; logged, shown as a generic 500 page.
    Store(StoreError),
    /// A template failed to render (a bug); logged, shown as a generic 500 page.
    Render(askama::Error),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        WebError::Store(e)
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> WebError {
        WebError::Render(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    code: u16,
    message: &'a str,
}

/// How long a client is asked to wait when another writer holds the database.
pub(crate) const RETRY_AFTER_SECONDS: &str = "5";

const INTERNAL: &str = "服务器内部错误，请稍后再试。如果问题持续出现，请联系系统管理员。";

pub(crate) fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = ErrorPage {
        title,
        code: status.as_u16(),
        message,
    }
    .render()
    // The error page has no data that can fail; a plain fallback keeps the promise of a
    // Chinese page even so.
    .unwrap_or_else(|_| format!("<!doctype html><meta charset=utf-8><p>{title}</p>"));
    (status, Html(body)).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound(message) => {
                page(StatusCode::NOT_FOUND, "页面不存在（404）", &message)
            }
            WebError::BadRequest(message) => {
                page(StatusCode::BAD_REQUEST, "请求有误（400）", &message)
            }
            WebError::Store(e @ StoreError::Busy { .. }) => {
                tracing::warn!(error = %e, "the database was busy");
                let mut response = page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "系统正忙（503）",
                    "另一项数据导入正在进行，请稍后刷新本页。",
                );
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
                );
                response
            }
            WebError::Store(e) => {
                tracing::error!(error = %e, "database error while serving a page");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误（500）",
                    INTERNAL,
                )
            }
            WebError::Render(e) => {
                tracing::error!(error = %e, "template error while serving a page");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误（500）",
                    INTERNAL,
                )
            }
        }
    }
}

/// A handler panicked: log it and answer with the 500 page.
pub(crate) fn panic_page(err: Box<dyn Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = what, "a handler panicked");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "服务器内部错误（500）",
        INTERNAL,
    )
}

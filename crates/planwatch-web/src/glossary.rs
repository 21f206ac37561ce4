//! `GET /glossary` (名词解释): every status, warning and report word with how it is judged,
//! from `planwatch_core::evaluation::glossary`. Public: published reports use the words too.

use crate::WebError;
use askama::Template;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use planwatch_core::evaluation::glossary::{Group, TERMS, Term};

pub struct Section {
    pub title: &'static str,
    pub terms: Vec<&'static Term>,
}

#[derive(Template)]
#[template(path = "glossary.html")]
struct GlossaryPage {
    sections: Vec<Section>,
}

pub async fn page() -> Result<Response, WebError> {
    let sections = Group::ALL
        .iter()
        .map(|g| Section {
            title: g.label_zh(),
            terms: TERMS.iter().filter(|t| t.group == *g).collect(),
        })
        .collect();
    let mut response = Html(GlossaryPage { sections }.render()?).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(response)
}

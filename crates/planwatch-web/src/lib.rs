//! planwatch's web pages: server-rendered Chinese HTML that works without JavaScript.
//!
//! Routes (one module per feature):
//! - `/` — the regions, grouped by province and city ([`regions`]);
//! - `/regions/{id}` — a region with its plans and sub-regions ([`regions`]);
//! - `/plans/{id}` and `/plans/{id}/versions/{n}` — a plan's domains, targets, qualitative
//!   targets and baselines ([`plans`]);
//! - `/plans/{id}/versions/{n}/source` — the plan's source text, every target's line
//!   highlighted and anchored as `#L{line}` ([`plans`]);
//! - `/search?q=` — the header's search: regions, catalog indicators and the targets of the
//!   regions the caller may read ([`search`]);
//! - `/indicators` — the monitoring catalog by plan kind and domain; `/indicators/{code}` —
//!   an indicator's definition and every region's targets for it ([`catalog`]);
//! - `/regions/{id}/dashboard`, `/regions/{id}/indicators/{key}`,
//!   `/regions/{id}/compare/{key}` (each `?year=R`) — the dashboard: a region's overview,
//!   one indicator's chart and explanation, sub-regions compared ([`dashboard`]);
//! - `/api/regions/{id}/targets…` — the JSON API for editing a region's indicator system
//!   ([`api`]; `…/targets/check` against the levels above, [`above`]); `/api/regions/{id}/dashboard` — the overview as JSON ([`dashboard`]);
//!   `/api/openapi.json` — the API's OpenAPI document, built from the handlers'
//!   annotations ([`openapi`]);
//! - `/regions/{id}/report?kind=&year=&format=docx|xlsx|html` — a report built live, as
//!   Word, Excel or a page; `/api/regions/{id}/report` — the same as JSON;
//!   `/regions/{id}/publications` — a region's published reports and the office's publish
//!   form; `/public`, `/public/reports/{id}` and its files — published reports, frozen,
//!   for everyone without login ([`reports`]);
//! - `/static/style.css` — the stylesheet, compiled into the binary; `/static/dashboard.js`
//!   and `/static/vendor/echarts-{version}/echarts.min.js` — the charts' script and the
//!   charting library, compiled in too ([`assets`]).
//!
//! Invariants: only this crate knows HTTP; every error is a Chinese page (404 for anything
//! unknown, 400 for a query it cannot use, 500 without details for the rest — details go to
//! the log); a panic in a handler becomes a 500 page, never a stack trace; every page works
//! without JavaScript (charts have their figures in a table too) and nothing is loaded from
//! another host.
//!
//! Every request passes the server's guards first ([`guard`]: security headers, the host
//! allow-list, same-origin writes, JSON bodies, limits; [`server`]: timeouts and connection
//! limits), applied around [`app`] by [`router`] and [`serve_with`].

mod above;
mod api;
mod assets;
pub mod auth;
mod catalog;
mod dashboard;
mod error;
mod format;
mod glossary;
mod guard;
mod json_error;
mod openapi;
mod overview;
mod page_cache;
mod plans;
mod regions;
mod reports;
mod rounds;
mod search;
mod server;
mod system_rows;
mod units;
mod users;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use planwatch_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

pub use dashboard::encode_segment;
pub use error::WebError;
pub use rounds::today as today_in_china;
pub use server::ServeOptions;

/// What every handler gets: the database, and the judged subtrees kept for the level
/// above.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub levels: Arc<overview::LevelCache>,
    pub pages: Arc<page_cache::PageCache>,
    pub forms: Arc<rounds::FormCache>,
    pub renders: Arc<reports::Renders>,
}

const STYLE: &str = include_str!("../static/style.css");

/// All pages of the application over `store`, behind the default guards.
pub fn router(store: Arc<dyn Store>) -> Router {
    let state = AppState {
        store,
        levels: Arc::default(),
        pages: Arc::default(),
        forms: Arc::default(),
        renders: Arc::default(),
    };
    guard::apply(app(state), &ServeOptions::default())
}

fn app(state: AppState) -> Router {
    Router::new()
        .route("/login", get(auth::pages::login_form).post(auth::pages::login))
        .route("/logout", post(auth::pages::logout))
        .route("/account", get(auth::pages::account))
        .route("/account/password", post(auth::pages::change_password))
        .route("/account/tokens", post(auth::pages::create_token))
        .route("/account/tokens/{token}/revoke", post(auth::pages::revoke_token))
        .route("/users", get(users::all))
        .route("/audit", get(users::all_audit))
        .route("/regions/{id}/users", get(users::list).post(users::create))
        .route("/regions/{id}/users/{user}/password", post(users::reset_password))
        .route("/regions/{id}/users/{user}/disable", post(users::disable))
        .route("/regions/{id}/users/{user}/enable", post(users::enable))
        .route("/regions/{id}/users/{user}/revoke", post(users::revoke))
        .route("/regions/{id}/audit", get(users::region_audit))
        .route("/regions/{id}/units", get(units::list).post(units::add))
        .route("/regions/{id}/units/assign", post(units::assign))
        .route("/regions/{id}/units/{unit}", get(units::show))
        .route(
            "/regions/{id}/rounds",
            get(rounds::manage::list).post(rounds::manage::open),
        )
        .route("/regions/{id}/rounds/{year}", get(rounds::manage::show))
        .route("/regions/{id}/rounds/{year}/state", post(rounds::manage::change))
        .route("/regions/{id}/rounds/{year}/gaps", get(rounds::manage::gaps))
        .route(
            "/regions/{id}/rounds/{year}/gaps.xlsx",
            get(rounds::manage::gaps_xlsx),
        )
        .route(
            "/regions/{id}/rounds/{year}/provisional",
            get(rounds::manage::provisional),
        )
        .route("/regions/{id}/rounds/{year}/changes", get(rounds::manage::changes))
        .route(
            "/regions/{id}/rounds/{year}/changes.csv",
            get(rounds::manage::changes_csv),
        )
        .route(
            "/regions/{id}/rounds/{year}/units/{unit}",
            get(rounds::form::page).post(rounds::form::save),
        )
        .route(
            "/regions/{id}/rounds/{year}/units/{unit}/template.xlsx",
            get(rounds::form::template),
        )
        .route(
            "/regions/{id}/rounds/{year}/units/{unit}/upload",
            // The guard has read this body whole, bounded by its own larger limit for this
            // route (`ServeOptions::upload_limit`); the global 1 MiB must not apply again.
            post(rounds::form::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/regions/{id}/rounds/{year}/units/{unit}/review",
            get(rounds::manage::review_page).post(rounds::manage::review),
        )
        .route("/api/rounds/due", get(rounds::api::due))
        .route(
            "/api/regions/{id}/rounds",
            get(rounds::api::region_rounds).post(rounds::api::open_round),
        )
        .route("/api/regions/{id}/rounds/{year}", get(rounds::api::round))
        .route(
            "/api/regions/{id}/rounds/{year}/units/{unit}",
            get(rounds::api::unit_form_get).put(rounds::api::save),
        )
        .route(
            "/api/regions/{id}/rounds/{year}/units/{unit}/submit",
            post(rounds::api::submit),
        )
        .route(
            "/api/regions/{id}/rounds/{year}/units/{unit}/review",
            post(rounds::api::review),
        )
        .route("/regions/{id}/report", get(reports::download::page))
        .route(
            "/regions/{id}/publications",
            get(reports::publish::list).post(reports::publish::publish),
        )
        .route("/api/regions/{id}/report", get(reports::download::api))
        .route("/public", get(reports::public::index))
        .route("/glossary", get(glossary::page))
        .route("/search", get(search::page))
        .route("/public/data-dictionary", get(reports::public::dictionary))
        .route("/public/reports/{id}", get(reports::public::report))
        .route("/public/reports/{id}/report.docx", get(reports::public::docx))
        .route("/public/reports/{id}/report.xlsx", get(reports::public::xlsx))
        .route("/public/reports/{id}/data.csv", get(reports::public::csv))
        .route("/public/reports/{id}/data.json", get(reports::public::json))
        .route("/public/reports/{id}/sdmx.csv", get(reports::public::sdmx))
        .route("/", get(regions::list))
        .route("/regions/{id}", get(regions::show))
        .route("/regions/{id}/review", post(system_rows::decide))
        .route("/regions/{id}/dashboard", get(dashboard::page))
        .route("/regions/{id}/indicators/{key}", get(dashboard::indicator))
        .route("/regions/{id}/compare/{key}", get(dashboard::compare))
        .route("/regions/{id}/overview", get(overview::region_page))
        .route("/overview", get(overview::national_page))
        .route("/overview/compare/{key}", get(dashboard::compare_national))
        .route("/plans/{id}", get(plans::latest))
        .route("/plans/{id}/versions/{version}", get(plans::show))
        .route("/plans/{id}/versions/{version}/source", get(plans::source))
        .route("/indicators", get(catalog::list))
        .route("/indicators/{code}", get(catalog::show))
        .route("/api/regions/{id}/targets", get(api::list).post(api::add))
        .route(
            "/api/regions/{id}/targets/{tid}",
            get(api::one).patch(api::patch),
        )
        .route("/api/regions/{id}/targets/{tid}/history", get(api::history))
        .route("/api/regions/{id}/targets/check", get(above::api))
        .route("/api/regions/{id}/dashboard", get(dashboard::api))
        .route("/api/regions/{id}/overview", get(overview::region_api))
        .route("/api/overview", get(overview::national_api))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/{*rest}", axum::routing::any(api::not_found))
        .route("/static/style.css", get(stylesheet))
        .route(assets::DASHBOARD_JS_PATH, get(assets::dashboard_js))
        .route(
            assets::ECHARTS_PATH,
            get(assets::echarts).layer(CompressionLayer::new()),
        )
        .route(assets::ECHARTS_LICENSE_PATH, get(assets::echarts_license))
        .route(assets::ECHARTS_NOTICE_PATH, get(assets::echarts_notice))
        // Every route, once routed, passes the access rule of its pattern.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::rules::gate,
        ))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(CatchPanicLayer::custom(error::panic_page))
        // One `info` line per request when its response is ready: method and path (the
        // span's fields, which also label what a handler logs, e.g. the cause of a 500),
        // status and latency. The query string is left out: a value in it may be anything
        // a person typed. Outside the panic layer, so a panic is logged as the 500 it
        // became. A 500's cause is logged where the error becomes the page (`WebError`),
        // so the layer's own failure line, which would only repeat the status, is off.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(|res: &Response, latency: Duration, _: &Span| {
                    // Tenths of a millisecond: enough to tell a cached page from a query.
                    let ms = (latency.as_secs_f64() * 10_000.0).round() / 10.0;
                    tracing::info!(status = res.status().as_u16(), latency_ms = ms, "response");
                })
                .on_failure(()),
        )
        .with_state(state)
}

/// Serves the application on `listener` until Ctrl+C or SIGTERM, with the default
/// [`ServeOptions`]; requests under way are finished first.
pub async fn serve(listener: TcpListener, store: Arc<dyn Store>) -> std::io::Result<()> {
    serve_with(listener, store, ServeOptions::default()).await
}

/// [`serve`] with `options`: the host names allowed, the limits and timeouts.
pub async fn serve_with(
    listener: TcpListener,
    store: Arc<dyn Store>,
    options: ServeOptions,
) -> std::io::Result<()> {
    let state = AppState {
        store,
        levels: Arc::default(),
        pages: Arc::default(),
        forms: Arc::default(),
        renders: Arc::default(),
    };
    // Judging the whole database takes seconds at national scale: do it once now, so that
    // the first person to open the national overview does not wait for it.
    let warm = state.clone();
    tokio::spawn(async move {
        let year = match warm.levels.latest_year(warm.store.as_ref(), None).await {
            Ok(Some(year)) => year,
            _ => return,
        };
        if let Err(e) = warm.levels.get(warm.store.as_ref(), None, year).await {
            tracing::warn!(error = %e, "judging every region in advance failed");
        }
    });
    // Sessions past their timeouts are refused when used; this removes the ones never used
    // again, so the table holds only live sessions.
    let sweeper = state.store.clone();
    tokio::spawn(async move {
        // The first sweep an hour after start: sessions expire in hours, not at once.
        let hour = Duration::from_secs(3600);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
        loop {
            every.tick().await;
            let now = chrono::Utc::now();
            match sweeper
                .purge_sessions(now - auth::IDLE_TIMEOUT, now - auth::ABSOLUTE_TIMEOUT)
                .await
            {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "expired sessions could not be removed"),
            }
        }
    });
    let app = guard::apply(app(state), &options);
    server::run(listener, app, &options, shutdown_signal()).await
}

async fn shutdown_signal() {
    // A signal handler that cannot be installed must not stop the server: wait forever then.
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        STYLE,
    )
        .into_response()
}

async fn not_found() -> WebError {
    WebError::NotFound("您访问的页面不存在。".into())
}

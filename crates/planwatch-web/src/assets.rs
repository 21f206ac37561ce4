//! Files the pages load besides the stylesheet, compiled into the binary: the charting
//! library (Apache ECharts, vendored from npm, see `vendor/README.md`) and the script that
//! draws the dashboard's charts from the data each page embeds. Nothing is loaded from
//! another host.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The vendored ECharts version (update with `vendor/`); also a part of its URL, so a new version is a new URL and
/// the file can be cached for a year.
macro_rules! echarts_version {
    () => {
        "6.1.0"
    };
}

/// Where pages load ECharts from.
pub const ECHARTS_PATH: &str = concat!(
    "/static/vendor/echarts-",
    echarts_version!(),
    "/echarts.min.js"
);
pub const ECHARTS_LICENSE_PATH: &str =
    concat!("/static/vendor/echarts-", echarts_version!(), "/LICENSE");
pub const ECHARTS_NOTICE_PATH: &str =
    concat!("/static/vendor/echarts-", echarts_version!(), "/NOTICE");
/// Where pages load the chart script from.
pub const DASHBOARD_JS_PATH: &str = "/static/dashboard.js";

const ECHARTS_JS: &[u8] = include_bytes!(concat!(
    "../static/vendor/echarts-",
    echarts_version!(),
    "/echarts.min.js"
));
const ECHARTS_LICENSE: &str = include_str!(concat!(
    "../static/vendor/echarts-",
    echarts_version!(),
    "/LICENSE"
));
const ECHARTS_NOTICE: &str = include_str!(concat!(
    "../static/vendor/echarts-",
    echarts_version!(),
    "/NOTICE"
));
const DASHBOARD_JS: &str = include_str!("../static/dashboard.js");

const JS: HeaderValue = HeaderValue::from_static("text/javascript; charset=utf-8");
const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
/// Versioned URLs never change content.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Like the stylesheet: the script changes with the binary.
const HOUR: HeaderValue = HeaderValue::from_static("public, max-age=3600");

fn file(ctype: HeaderValue, cache: HeaderValue, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, cache),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn echarts() -> Response {
    file(JS, IMMUTABLE, ECHARTS_JS)
}

pub async fn echarts_license() -> Response {
    file(TEXT, IMMUTABLE, ECHARTS_LICENSE)
}

pub async fn echarts_notice() -> Response {
    file(TEXT, IMMUTABLE, ECHARTS_NOTICE)
}

pub async fn dashboard_js() -> Response {
    file(JS, HOUR, DASHBOARD_JS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_library_is_the_minified_echarts_of_its_version() {
        assert!(ECHARTS_JS.len() > 500_000, "{} bytes", ECHARTS_JS.len());
        let head = String::from_utf8_lossy(&ECHARTS_JS[..4096.min(ECHARTS_JS.len())]);
        assert!(head.contains("Apache Software Foundation"));
        let text = String::from_utf8_lossy(ECHARTS_JS);
        assert!(text.contains(concat!("\"", echarts_version!(), "\"")));
        assert!(ECHARTS_LICENSE.contains("Apache License"));
        assert!(ECHARTS_NOTICE.contains("Apache ECharts"));
    }
}

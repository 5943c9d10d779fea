//! Logs: `tracing` to stderr, as text or JSON. Every request line carries its
//! request id; no personal data is ever a field or a message.

use tracing::Level;
use tracing_subscriber::filter::{EnvFilter, FilterFn};
use tracing_subscriber::prelude::*;

use crate::config::LogFormat;

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(format: LogFormat, filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt::layer()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let fmt = match format {
        LogFormat::Json => fmt.json().flatten_event(true).with_current_span(true).boxed(),
        LogFormat::Text => fmt.with_target(false).boxed(),
    };
    let _ = tracing_subscriber::registry()
        .with(fmt.with_filter(filter).with_filter(no_request_paths()))
        .try_init();
}

/// Whatever the filter asks for: actix's debug and trace lines are dropped. They
/// carry the request's path ("Failed to deserialize Json from payload. Request
/// path: …"), and a path may hold what a user typed; our own request line logs
/// the route pattern instead.
fn no_request_paths() -> FilterFn<impl Fn(&tracing::Metadata<'_>) -> bool> {
    FilterFn::new(|meta: &tracing::Metadata<'_>| {
        let target = meta.target();
        let actix = ["actix_web", "actix_http", "actix_server", "actix_router"]
            .iter()
            .any(|c| target == *c || target.strip_prefix(c).is_some_and(|rest| rest.starts_with("::")));
        !(actix && *meta.level() > Level::INFO)
    })
}

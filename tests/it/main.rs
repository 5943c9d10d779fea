//! Integration tests: one binary, one module per area. Storage tests run on SQLite
//! and PostgreSQL (see `support::db::on_both_backends!`).

mod support;

mod audit_log;
mod auth_api;
mod backup;
mod case_lists;
mod case_pages;
mod case_services;
mod case_summary;
mod cases_api;
mod closed_lists;
mod corrections;
mod demo_data;
mod encryption;
mod faults;
mod first_password;
mod home_pages;
mod house_pages;
mod http_basics;
mod intake_steps;
mod list_scope;
mod load;
mod log_privacy;
mod onboarding;
mod pages;
mod placement_pages;
mod placements;
mod policies;
mod probe_findings;
mod risk_at_intake;
mod route_walk;
mod scale_out;
mod schema;
mod serve_process;
mod sign_in_pages;
mod sqlite_settings;
mod stats;
mod stays;
mod supervision;
mod units_import;

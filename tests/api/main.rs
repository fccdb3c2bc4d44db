//! The one integration-test binary. Runs on SQLite by default and on
//! PostgreSQL when `KOERS_TEST_DATABASE_URL=postgres://...` is set.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failing test panics"
)]

mod helpers;

mod access_log;
mod assets;
mod audit;
mod audit_chain;
mod auth;
mod backups;
mod binary;
mod board_reports;
mod breakdowns;
mod cli;
mod concurrency;
mod conventions;
mod crash;
mod csrf;
mod effects;
mod governance;
mod hostile_text;
mod i18n;
mod idea_platform;
mod ideas;
mod imports;
mod indicators;
mod mail_sink;
mod multi_server;
mod oidc_mock;
mod organisations;
mod partners;
mod platform;
mod portfolio;
mod public;
mod second_factor;
mod services;
mod skills;
mod snapshots;
mod sso;
mod steering;
mod survey_insights;
mod survey_waves;
mod surveys;
mod tenancy;
mod tokens;
mod units;
mod users;

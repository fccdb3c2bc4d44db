//! Koers: a steering platform for digital transformation in the public
//! sector. See `docs/architecture.md` for a map of the modules.

#[macro_use]
mod macros;

pub mod audit;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod data_assets;
pub mod demo;
pub mod domain;
pub mod effects;
mod error;
pub mod governance;
pub mod home;
pub mod http;
pub mod i18n;
pub mod ideas;
pub mod indicators;
pub mod mail;
pub mod markdown;
pub mod notifications;
pub mod organisations;
pub mod pagination;
pub mod portfolio;
pub mod public;
pub mod reports;
pub mod services;
pub mod sessions;
pub mod skills;
pub mod spreadsheet;
pub mod sso;
pub mod startup;
pub mod store;
pub mod strategic_assets;
pub mod surveys;
pub mod telemetry;
pub mod tokens;
pub mod units;
pub mod users;

pub use error::{Error, Result};

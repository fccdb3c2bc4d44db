//! Effect analysis: what an initiative did to the indicators it should
//! move, estimated with the `koers-effects` crate. `assess` turns a series
//! and a go-live into the estimate pages and API show; `batch` runs many
//! estimates from files for analysts (`koers effects estimate`); `refresh`
//! keeps the stored estimates up to date in the background.

pub mod api;
pub mod assess;
pub mod batch;
pub mod chart;
pub mod pages;
pub mod refresh;
pub mod service;

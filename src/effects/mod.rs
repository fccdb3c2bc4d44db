//! Effect analysis: what an intervention did to an indicator, estimated
//! with the `koers-effects` crate. `batch` runs many estimates from files
//! for analysts (`koers effects estimate`).

pub mod batch;

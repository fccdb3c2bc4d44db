//! Every upload (measurements, people and skills, services, strategic
//! assets) goes through `spreadsheet::read`, CSV or XLSX: any bytes give a
//! table or a clear refusal, never a panic, and never more rows than asked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = koers::spreadsheet::read(data, 50) {
        assert!(table.rows.len() <= 50);
    }
});

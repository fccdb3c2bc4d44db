//! A backup archive is read from a file someone hands over: any bytes are
//! an archive or a plain refusal, and an archive's tables are checked
//! against ours without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(archive) = koers::backup::service::from_bytes(data) {
        for archived in &archive.tables {
            if let Some(table) = koers::backup::tables::TABLES
                .iter()
                .find(|t| t.name == archived.name)
            {
                if koers::backup::pack::check_columns(table.name, table.columns, &archived.columns)
                    .is_ok()
                {
                    let maps = koers::backup::pack::Maps::new();
                    for row in &archived.rows {
                        let _ =
                            koers::backup::pack::prepare(table.name, table.columns, row, 1, &maps);
                    }
                }
            }
        }
    }
});

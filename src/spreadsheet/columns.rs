//! What the register imports share: finding our columns by their code or
//! their heading in either language, reading a code or its label, and
//! placing a row's errors by row and column, once per cell.

use crate::domain::{FieldError, Locale, Validator};
use crate::i18n::Tr;

/// Which of `columns` a header names: the code itself or its heading
/// `<section>.<code>` in Dutch or English, case-insensitive.
pub fn column_of(header: &str, columns: &[&'static str], section: &str) -> Option<&'static str> {
    let header = header.trim().to_lowercase();
    columns.iter().copied().find(|code| {
        *code == header
            || [Locale::Nl, Locale::En].iter().any(|locale| {
                Tr::new(*locale)
                    .get(&format!("{section}.{code}"))
                    .to_lowercase()
                    == header
            })
    })
}

/// A code, or its label in either language, case-insensitive.
pub fn labelled<T: Copy>(
    text: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Result<T, &'static str> {
    let text = text.trim().to_lowercase();
    all.iter()
        .copied()
        .find(|v| {
            code(*v) == text
                || [Locale::Nl, Locale::En]
                    .iter()
                    .any(|l| Tr::new(*l).get(label(*v)).to_lowercase() == text)
        })
        .ok_or("unknown_choice")
}

/// Adds a row's errors as `rows[<line>].<column>`, the first per cell;
/// `column` turns a field of the register's input (`owner_unit_id`,
/// `channels[2]`) into the column it came from.
pub fn place_errors(
    v: &mut Validator,
    line: usize,
    errors: Vec<FieldError>,
    column: impl Fn(&str) -> String,
) {
    let mut placed: Vec<String> = Vec::new();
    for error in errors {
        let field = format!("rows[{line}].{}", column(&error.field));
        if !placed.contains(&field) {
            v.add(&field, error.code);
            placed.push(field);
        }
    }
}

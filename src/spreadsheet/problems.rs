//! An import's errors as a spreadsheet user looks for them: by row and by
//! column in the reader's language, the file's own problems apart; and
//! the upload field of an import form.

use axum::extract::Multipart;

use crate::Error;
use crate::domain::FieldError;
use crate::i18n::Tr;

/// One problem in a file, placed where a spreadsheet user looks for it.
pub struct Problem {
    /// The spreadsheet row; empty for the file as a whole.
    pub row: String,
    /// The column in the reader's language; empty for the file as a whole.
    pub column: String,
    pub message: String,
}

/// The message about the file as a whole, shown beside the upload field.
pub fn file_error(problems: &[Problem]) -> Option<String> {
    problems
        .iter()
        .find(|p| p.row.is_empty() && p.column.is_empty())
        .map(|p| p.message.clone())
}

/// Reads the `file` field of the upload form.
pub async fn file_field(mut form: Multipart) -> Result<(String, Vec<u8>), Error> {
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| Error::invalid("file", "file_unreadable"))?
    {
        if field.name() == Some("file") {
            let filename = field.file_name().unwrap_or("").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| Error::invalid("file", "file_unreadable"))?;
            return Ok((filename, bytes.to_vec()));
        }
    }
    Err(Error::invalid("file", "required"))
}

/// `rows[12].value` → row 12, column "waarde"; `columns.period` → the
/// missing column; `file` → the file as a whole. Column names are the
/// texts under `columns` (e.g. `import.column`).
pub fn problems_of(t: Tr, errors: &[FieldError], columns: &str) -> Vec<Problem> {
    errors
        .iter()
        .map(|error| {
            let message = t.get(&format!("validation.{}", error.code)).to_owned();
            let column_name = |name: &str| {
                let key = format!("{columns}.{name}");
                if t.has(&key) {
                    t.get(&key).to_owned()
                } else {
                    name.to_owned()
                }
            };
            if let Some(rest) = error.field.strip_prefix("rows[") {
                let (row, column) = rest.split_once(']').unwrap_or((rest, ""));
                Problem {
                    row: row.to_owned(),
                    column: column_name(column.trim_start_matches('.')),
                    message,
                }
            } else if let Some(column) = error.field.strip_prefix("columns.") {
                Problem {
                    row: "1".to_owned(),
                    column: column_name(column),
                    message,
                }
            } else {
                Problem {
                    row: String::new(),
                    column: String::new(),
                    message,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Locale;

    #[test]
    fn problems_name_row_and_column_in_the_readers_language() {
        let t = Tr::new(Locale::Nl);
        let problems = problems_of(
            t,
            &[
                FieldError::new("rows[12].value", "number"),
                FieldError::new("columns.period", "missing_column"),
                FieldError::new("file", "file_empty"),
            ],
            "import.column",
        );
        assert_eq!(
            (problems[0].row.as_str(), problems[0].column.as_str()),
            ("12", "waarde")
        );
        assert_eq!(problems[1].column, "periode");
        assert!(problems[2].row.is_empty() && problems[2].column.is_empty());
        assert_eq!(problems[2].message, t.get("validation.file_empty"));
    }
}

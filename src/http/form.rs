//! Validation messages for HTML forms: beside each field, and summarised at
//! the top with links to the fields.

use crate::Error;
use crate::domain::FieldError;
use crate::i18n::Tr;

#[derive(Debug, Clone)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    pub messages: Vec<FieldMessage>,
}

impl FormErrors {
    pub fn new(errors: &[FieldError], t: Tr) -> Self {
        Self {
            messages: errors
                .iter()
                .map(|e| FieldMessage {
                    field: e.field.clone(),
                    message: t.get(&format!("validation.{}", e.code)).to_owned(),
                })
                .collect(),
        }
    }

    /// The form errors carried by `error`, or `None` when it is another
    /// kind of failure (which the caller presents as an error page).
    pub fn of(error: &Error, t: Tr) -> Option<Self> {
        match error {
            Error::Invalid(errors) => Some(Self::new(errors, t)),
            Error::Conflict(error) => Some(Self::new(std::slice::from_ref(error), t)),
            _ => None,
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.messages
            .iter()
            .find(|m| m.field == field)
            .map(|m| m.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

/// Puts each error of a failed save beside the form field that caused it:
/// `field_of` names the form field for a service field, or `None` to keep it.
pub fn relabel(error: crate::Error, field_of: impl Fn(&str) -> Option<String>) -> crate::Error {
    let move_one = |mut e: crate::domain::FieldError| {
        if let Some(field) = field_of(&e.field) {
            e.field = field;
        }
        e
    };
    match error {
        crate::Error::Invalid(errors) => {
            crate::Error::Invalid(errors.into_iter().map(move_one).collect())
        }
        crate::Error::Conflict(e) => crate::Error::Conflict(move_one(e)),
        other => other,
    }
}

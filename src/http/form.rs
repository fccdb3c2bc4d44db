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

//! What a token may do: read only or also write, in every module or only
//! in the ones named. Modules are the API's tags, so every operation
//! belongs to exactly one and a new route is covered the day it is added.

use serde::{Deserialize, Serialize};

/// Read-only tokens may only use GET (and HEAD); write tokens anything
/// their owner's role allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    Write,
}

impl Access {
    pub const ALL: [Access; 2] = [Access::Read, Access::Write];

    pub fn code(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }

    pub fn parse(text: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == text)
            .ok_or("unknown_choice")
    }
}

/// The modules a token can be limited to: the API's tags, without the
/// public dashboards (no login needed there).
pub const MODULES: &[&str] = &[
    "organisation",
    "units",
    "users",
    "tokens",
    "audit",
    "exports",
    "indicators",
    "governance",
    "portfolio",
    "effects",
    "skills",
    "surveys",
    "ideas",
    "notifications",
    "services",
    "reports",
];

/// A token's scope. No modules means every module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub access: Access,
    pub modules: Vec<String>,
}

impl Scope {
    /// Everything the owner may do: tokens made before scopes existed.
    pub fn full() -> Self {
        Scope {
            access: Access::Write,
            modules: Vec::new(),
        }
    }

    /// Whether a call with this method to an operation of `module` (None:
    /// an operation the API document does not list) is inside the scope.
    pub fn allows(&self, method: &axum::http::Method, module: Option<&str>) -> bool {
        let reads = matches!(
            *method,
            axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
        );
        if self.access == Access::Read && !reads {
            return false;
        }
        if self.modules.is_empty() {
            return true;
        }
        // Unknown operations are refused to limited tokens: failing closed
        // keeps a route added without a tag out of a narrow token's reach.
        module.is_some_and(|m| self.modules.iter().any(|allowed| allowed == m))
    }

    /// Stored as the module names separated by spaces, like OAuth scopes.
    pub fn modules_text(&self) -> String {
        self.modules.join(" ")
    }

    pub fn modules_from_text(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }
}

#[cfg(test)]
mod tests {
    use axum::http::Method;

    use super::*;

    #[test]
    fn read_tokens_only_read_and_limited_tokens_stay_in_their_modules() {
        let read_indicators = Scope {
            access: Access::Read,
            modules: vec!["indicators".into()],
        };
        assert!(read_indicators.allows(&Method::GET, Some("indicators")));
        assert!(!read_indicators.allows(&Method::POST, Some("indicators")));
        assert!(!read_indicators.allows(&Method::GET, Some("skills")));
        assert!(!read_indicators.allows(&Method::GET, None), "fails closed");
        let write_all = Scope::full();
        assert!(write_all.allows(&Method::DELETE, Some("skills")));
        assert!(write_all.allows(&Method::PATCH, None));
        let read_all = Scope {
            access: Access::Read,
            modules: Vec::new(),
        };
        assert!(read_all.allows(&Method::GET, Some("audit")));
        assert!(!read_all.allows(&Method::PUT, Some("audit")));
    }

    #[test]
    fn modules_round_trip_through_their_stored_text() {
        let scope = Scope {
            access: Access::Write,
            modules: vec!["ideas".into(), "reports".into()],
        };
        assert_eq!(scope.modules_text(), "ideas reports");
        assert_eq!(Scope::modules_from_text("ideas reports"), scope.modules);
        assert!(Scope::modules_from_text("").is_empty());
    }
}

use serde::Serialize;

/// A syntactically plausible email address, trimmed and lower-cased so that
/// one person cannot end up with two accounts by capitalisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err("required");
        }
        if value.len() > 254 {
            return Err("too_long");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err("email");
        };
        let plausible = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !value.chars().any(|c| c.is_whitespace() || c.is_control());
        if plausible {
            Ok(Self(value))
        } else {
            Err("email")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn normalises_case_and_space() {
        let email = Email::parse("  Anna@Voorbeeldstad.NL ").unwrap();
        assert_eq!(email.as_str(), "anna@voorbeeldstad.nl");
    }

    #[test]
    fn rejects_implausible_addresses() {
        for bad in [
            "", "anna", "anna@", "@x.nl", "a@b", "a@@b.nl", "a b@c.nl", "a@.nl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}

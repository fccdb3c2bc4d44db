use serde::Serialize;

/// Free text that names something: trimmed, not empty, at most 200
/// characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = input.trim();
        if value.is_empty() {
            return Err("required");
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err("too_long");
        }
        if value.chars().any(char::is_control) {
            return Err("control_characters");
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn trims_and_limits() {
        assert_eq!(
            Name::parse("  Team Burgerzaken ").unwrap().as_str(),
            "Team Burgerzaken"
        );
        assert_eq!(Name::parse("   "), Err("required"));
        assert_eq!(Name::parse(&"x".repeat(201)), Err("too_long"));
        assert!(Name::parse(&"é".repeat(200)).is_ok());
        assert_eq!(Name::parse("a\u{0}b"), Err("control_characters"));
    }
}

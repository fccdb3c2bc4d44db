use serde::Serialize;

/// The short name of an organisation in URLs and on the command line:
/// lower-case letters, digits and single hyphens, 2 to 50 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = input.trim();
        if value.is_empty() {
            return Err("required");
        }
        if value.len() < 2 || value.len() > 50 {
            return Err("slug_length");
        }
        let allowed = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !allowed || value.starts_with('-') || value.ends_with('-') || value.contains("--") {
            return Err("slug");
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Slug;

    #[test]
    fn accepts_kebab_case_only() {
        assert!(Slug::parse("voorbeeldstad").is_ok());
        assert!(Slug::parse("provincie-utrecht-2").is_ok());
        for bad in ["", "a", "Voorbeeld", "-x", "x-", "a--b", "a_b", "ä-b"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}

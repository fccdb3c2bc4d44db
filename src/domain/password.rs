/// A new password as chosen by a person. Never logged or serialised: the
/// `Debug` output is redacted.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let count = input.chars().count();
        if count == 0 {
            return Err("required");
        }
        if count < Self::MIN_CHARS {
            return Err("password_too_short");
        }
        if count > Self::MAX_CHARS {
            return Err("too_long");
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn enforces_length_and_hides_itself() {
        assert_eq!(Password::parse("kort").err(), Some("password_too_short"));
        let password = Password::parse("een lange zin als wachtwoord").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}

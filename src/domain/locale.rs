use serde::{Deserialize, Serialize};

/// The interface languages. Dutch first: it is the default everywhere.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Nl,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        match input.trim() {
            "" => Err("required"),
            "nl" => Ok(Locale::Nl),
            "en" => Ok(Locale::En),
            _ => Err("unknown_choice"),
        }
    }

    /// Picks the first supported language from an `Accept-Language` header,
    /// honouring q-values; Dutch when nothing matches.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let locale = match primary {
                "nl" => Locale::Nl,
                "en" => Locale::En,
                _ => continue,
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, locale));
            }
        }
        best.map_or(Locale::Nl, |(_, locale)| locale)
    }
}

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn negotiates_from_accept_language() {
        assert_eq!(Locale::negotiate("en-GB,en;q=0.9,nl;q=0.8"), Locale::En);
        assert_eq!(Locale::negotiate("de-DE, nl;q=0.5, en;q=0.7"), Locale::En);
        assert_eq!(Locale::negotiate("nl-NL"), Locale::Nl);
        assert_eq!(Locale::negotiate("fr"), Locale::Nl);
        assert_eq!(Locale::negotiate(""), Locale::Nl);
    }
}

//! Every user-facing string lives in `locales/{nl,en}/*.toml`, embedded in
//! the binary. Templates call `t.get("key")`. A test fails when a key is
//! missing in either language or a template uses a key that does not exist.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::Locale;

/// The embedded locale files: (language, file name, contents).
pub const SOURCES: &[(Locale, &str, &str)] = &[
    (
        Locale::Nl,
        "main.toml",
        include_str!("../locales/nl/main.toml"),
    ),
    (
        Locale::En,
        "main.toml",
        include_str!("../locales/en/main.toml"),
    ),
];

type Catalog = HashMap<String, String>;

/// The parsed catalogues; read-only after the first use.
fn catalogs() -> &'static HashMap<Locale, Catalog> {
    static CATALOGS: OnceLock<HashMap<Locale, Catalog>> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        let mut all: HashMap<Locale, Catalog> = HashMap::new();
        for (locale, name, text) in SOURCES {
            let entry = all.entry(*locale).or_default();
            match parse_catalog(text) {
                Ok(parsed) => entry.extend(parsed),
                Err(error) => tracing::error!(locale.file = name, %error, "invalid locale file"),
            }
        }
        all
    })
}

/// Flattens nested TOML tables into dotted keys.
pub fn parse_catalog(text: &str) -> Result<Catalog, toml::de::Error> {
    let table: toml::Table = toml::from_str(text)?;
    let mut out = Catalog::new();
    flatten("", &table, &mut out);
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

/// A translator for one language; cheap to copy into every template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    /// The text for `key`. A missing key (the tests prevent that) shows
    /// as "[?]" and is logged.
    pub fn get(&self, key: &str) -> &'static str {
        match catalogs()
            .get(&self.locale)
            .and_then(|catalog| catalog.get(key))
        {
            Some(text) => text.as_str(),
            None => {
                tracing::warn!(
                    i18n.key = key,
                    i18n.locale = self.locale.code(),
                    "missing translation"
                );
                "[?]"
            }
        }
    }

    /// Whether `key` exists in this language.
    pub fn has(&self, key: &str) -> bool {
        catalogs()
            .get(&self.locale)
            .is_some_and(|catalog| catalog.contains_key(key))
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    /// All keys of one language, for the completeness test.
    pub fn keys(locale: Locale) -> Vec<String> {
        catalogs()
            .get(&locale)
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default()
    }
}

//! Every user-facing string exists in Dutch and English.

use std::collections::BTreeSet;

use koers::domain::{Locale, Permission, Role, VALIDATION_CODES};
use koers::i18n::Tr;

fn keys(locale: Locale) -> BTreeSet<String> {
    Tr::keys(locale).into_iter().collect()
}

#[test]
fn both_languages_have_the_same_keys() {
    let nl = keys(Locale::Nl);
    let en = keys(Locale::En);
    assert!(nl.len() > 100);
    let only_nl: Vec<_> = nl.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&nl).collect();
    assert!(
        only_nl.is_empty() && only_en.is_empty(),
        "missing in en: {only_nl:?}; missing in nl: {only_en:?}"
    );
}

/// Every `t.get("...")` literal in templates and `get("...")` in the code
/// names an existing key.
#[test]
fn every_key_used_in_templates_and_code_exists() {
    let nl = keys(Locale::Nl);
    let mut used = BTreeSet::new();
    let mut files = Vec::new();
    for dir in ["templates", "src"] {
        collect(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(dir)
                .as_path(),
            &mut files,
        );
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for marker in [
            "t.get(\"",
            ".get(\"",
            "flash(&state, \"",
            "shell(page.t.get(\"",
            "fill(\"",
        ] {
            let mut rest = text.as_str();
            while let Some(start) = rest.find(marker) {
                rest = &rest[start + marker.len()..];
                let end = rest.find('"').unwrap();
                let key = &rest[..end];
                if key.contains('.') && !key.contains(' ') && !key.contains('{') {
                    used.insert((key.to_owned(), file.display().to_string()));
                }
            }
        }
    }
    assert!(used.len() > 100, "found only {} keys in use", used.len());
    let missing: Vec<_> = used.iter().filter(|(key, _)| !nl.contains(key)).collect();
    assert!(
        missing.is_empty(),
        "keys used but not translated: {missing:?}"
    );
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "html" || e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn dynamic_keys_exist_in_both_languages() {
    for locale in Locale::ALL {
        let t = Tr::new(locale);
        let mut wanted: Vec<String> = VALIDATION_CODES
            .iter()
            .map(|c| format!("validation.{c}"))
            .collect();
        wanted.extend(Role::ALL.iter().map(|r| r.label_key().to_owned()));
        wanted.extend(Locale::ALL.iter().map(|l| format!("locale.{}", l.code())));
        wanted.extend(
            koers::domain::OrganisationKind::ALL
                .iter()
                .map(|k| format!("organisation_kind.{}", k.code())),
        );
        for slug in [
            "not-found",
            "invalid-input",
            "conflict",
            "forbidden",
            "unauthenticated",
            "too-many-attempts",
            "unexpected",
            "form-refused",
        ] {
            wanted.push(format!("problem.{slug}.title"));
            wanted.push(format!("problem.{slug}.detail"));
        }
        for key in wanted {
            assert!(t.has(&key), "{key} missing in {locale:?}");
        }
    }
}

/// docs/permissions.md mirrors `Role::can`; this keeps them equal.
#[test]
fn the_permissions_document_matches_the_code() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/permissions.md"),
    )
    .unwrap();
    let header = doc
        .lines()
        .find(|l| l.starts_with("| permission"))
        .expect("table header");
    let roles: Vec<&str> = header
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .skip(1)
        .collect();
    assert_eq!(roles, Role::ALL.map(Role::code));
    for permission in Permission::ALL {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}`", permission.code())))
            .unwrap_or_else(|| panic!("{} missing from docs/permissions.md", permission.code()));
        let cells: Vec<&str> = row
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .skip(1)
            .collect();
        for (role, cell) in Role::ALL.iter().zip(cells) {
            assert_eq!(
                cell == "yes",
                role.can(permission),
                "{} for {}",
                permission.code(),
                role.code()
            );
        }
    }
}

#[test]
fn both_catalogues_are_valid_toml() {
    for file in ["locales/nl/main.toml", "locales/en/main.toml"] {
        let text = std::fs::read_to_string(file).unwrap();
        if let Err(error) = koers::i18n::parse_catalog(&text) {
            panic!("{file}: {error}");
        }
    }
}

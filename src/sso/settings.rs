//! The single sign-on connection of one organisation: as it arrives, as it
//! is validated, and as it is shown (never with its client secret).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{Role, Validator};

code_enum!(
    /// A starting point for a well-known identity provider: it fills the
    /// scopes and claim names that provider uses when they are left empty.
    Preset, "sso.preset", {
        Generic => "generic",
        EntraId => "entra_id",
        Keycloak => "keycloak",
    }
);

impl Preset {
    /// An example issuer, shown as a hint beside the field.
    pub fn issuer_example(self) -> &'static str {
        match self {
            Preset::Generic => "https://login.example.nl",
            Preset::EntraId => "https://login.microsoftonline.com/<tenant-id>/v2.0",
            Preset::Keycloak => "https://sso.example.nl/realms/<realm>",
        }
    }

    fn scopes(self) -> &'static str {
        "openid profile email"
    }

    fn groups_claim(self) -> &'static str {
        match self {
            // Entra ID sends group object ids in `groups` once the app
            // registration asks for group claims; Keycloak sends group
            // names there with its group membership mapper.
            Preset::EntraId | Preset::Keycloak => "groups",
            Preset::Generic => "",
        }
    }
}

/// One line of the role mapping: members of `group` get `role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoleRule {
    pub group: String,
    pub role: Role,
}

/// The connection as it arrives from the form or JSON.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoInput {
    /// generic, entra_id or keycloak; fills empty scopes and claim names.
    #[schema(nullable = false, value_type = Option<Preset>)]
    pub preset: Option<String>,
    /// The provider's issuer URL (https; http only on this machine).
    #[schema(required = true, nullable = false, max_length = 500)]
    pub issuer: Option<String>,
    #[schema(required = true, nullable = false, max_length = 200)]
    pub client_id: Option<String>,
    /// Write-only; leave out or empty to keep the stored secret.
    #[schema(nullable = false, max_length = 500)]
    pub client_secret: Option<String>,
    /// Scopes asked for, separated by spaces; `openid` is always added.
    #[schema(nullable = false, max_length = 500)]
    pub scopes: Option<String>,
    /// The ID-token claim holding the e-mail address [default: email].
    #[schema(nullable = false, max_length = 100)]
    pub email_claim: Option<String>,
    /// The ID-token claim holding the groups; empty: no role mapping.
    #[schema(nullable = false, max_length = 100)]
    pub groups_claim: Option<String>,
    /// Role mapping, first match wins: one `group = role` per line.
    #[schema(nullable = false, max_length = 10000)]
    pub role_rules: Option<String>,
    /// The role of people created at their first login when no rule
    /// matches (not admin).
    #[schema(nullable = false, value_type = Option<Role>)]
    pub default_role: Option<String>,
    /// On a first login, link an existing account with the same verified
    /// e-mail address.
    #[schema(nullable = false)]
    pub match_by_email: Option<bool>,
    /// Members may no longer log in with a password.
    #[schema(nullable = false)]
    pub password_login_off: Option<bool>,
    /// Offer single sign-on on the login page.
    #[schema(nullable = false)]
    pub enabled: Option<bool>,
}

/// What a connection says, apart from its secret: the same in the
/// validated input, the stored row and the view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConnectionOptions {
    pub preset: Preset,
    pub issuer: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub email_claim: String,
    pub groups_claim: Option<String>,
    pub role_rules: Vec<RoleRule>,
    pub default_role: Role,
    pub match_by_email: bool,
    pub password_login_off: bool,
    pub enabled: bool,
}

/// A validated connection. `client_secret` is a new secret, if one was given.
#[derive(Debug, Clone)]
pub struct SsoSettings {
    pub options: ConnectionOptions,
    pub client_secret: Option<String>,
}

/// The connection as shown to administrators and the API.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SsoConnection {
    /// Whether a connection has been saved at all.
    pub configured: bool,
    #[serde(flatten)]
    pub options: ConnectionOptions,
    /// A client secret is stored (it is never shown again).
    pub client_secret_set: bool,
    /// Register this as the redirect URI at the provider.
    pub redirect_uri: String,
    /// Register this as the post-logout redirect URI at the provider.
    pub post_logout_redirect_uri: String,
    /// The link that starts a login with this organisation's provider.
    pub login_url: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

/// What "test connection" found at an issuer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConnectionTest {
    pub issuer: String,
    /// Discovery and the key set were read and make sense.
    pub ok: bool,
    /// What went wrong, in the provider library's words, when not ok.
    pub problem: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub end_session_endpoint: Option<String>,
    /// Signing keys published by the provider.
    pub signing_keys: usize,
    /// The provider says it supports PKCE with SHA-256.
    pub pkce_s256: bool,
}

const MAX_RULES: usize = 50;

/// Scope and claim names: letters, digits and `_ : . / -`.
fn token_like(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '/' | '-'))
}

/// Whether an address may be used for a provider: https, or http on this
/// machine when the installation allows it (tests).
pub fn provider_address_ok(url: &openidconnect::url::Url, allow_local_http: bool) -> bool {
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    url.scheme() == "https" || (allow_local_http && url.scheme() == "http" && loopback)
}

/// An issuer URL: https (or http on this machine when allowed), without
/// query, fragment or user name.
pub fn parse_issuer(text: &str, allow_local_http: bool) -> Result<String, &'static str> {
    // Kept exactly as typed (a trailing slash too): discovery compares the
    // provider's own issuer with it character for character.
    let text = text.trim();
    if text.is_empty() {
        return Err("required");
    }
    if text.len() > 500 {
        return Err("too_long");
    }
    let url = openidconnect::url::Url::parse(text).map_err(|_| "issuer_url")?;
    if !provider_address_ok(&url, allow_local_http)
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err("issuer_url");
    }
    Ok(text.to_owned())
}

/// Reads `group = role` lines; blank lines are skipped.
pub fn parse_role_rules(text: &str) -> Result<Vec<RoleRule>, &'static str> {
    let mut rules = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (group, role) = line.rsplit_once('=').ok_or("role_rule")?;
        let group = group.trim();
        if group.is_empty() || group.chars().count() > 200 || group.chars().any(char::is_control) {
            return Err("role_rule");
        }
        let role = Role::parse(role.trim()).map_err(|_| "role_rule")?;
        rules.push(RoleRule {
            group: group.to_owned(),
            role,
        });
    }
    if rules.len() > MAX_RULES {
        return Err("too_many_values");
    }
    Ok(rules)
}

/// The rules written back as the form's lines.
pub fn role_rules_text(rules: &[RoleRule]) -> String {
    rules
        .iter()
        .map(|r| format!("{} = {}", r.group, r.role.code()))
        .collect::<Vec<_>>()
        .join("\n")
}

impl SsoSettings {
    /// Validates the input; empty scopes and claim names take the preset's.
    pub fn parse(input: &SsoInput, allow_local_http: bool) -> crate::Result<Self> {
        let mut v = Validator::new();
        let preset = match input.preset.as_deref().map(str::trim) {
            None | Some("") => Some(Preset::Generic),
            Some(code) => v.check("preset", Preset::parse(code)),
        };
        let preset_or_generic = preset.unwrap_or(Preset::Generic);
        let issuer = v.check(
            "issuer",
            parse_issuer(input.issuer.as_deref().unwrap_or(""), allow_local_http),
        );
        let client_id = input.client_id.as_deref().unwrap_or("").trim().to_owned();
        if client_id.is_empty() {
            v.add("client_id", "required");
        } else if client_id.chars().count() > 200 || client_id.chars().any(char::is_control) {
            v.add("client_id", "too_long");
        }
        let client_secret = input
            .client_secret
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if client_secret
            .as_deref()
            .is_some_and(|s| s.chars().count() > 500 || s.chars().any(char::is_control))
        {
            v.add("client_secret", "too_long");
        }
        let scopes_text = match input.scopes.as_deref().map(str::trim) {
            None | Some("") => preset_or_generic.scopes(),
            Some(text) => text,
        };
        let mut scopes: Vec<String> = vec!["openid".to_owned()];
        for scope in scopes_text.split_whitespace() {
            if !token_like(scope) {
                v.add("scopes", "scope_name");
                break;
            }
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
        if scopes.len() > 20 {
            v.add("scopes", "too_many_values");
        }
        let email_claim = match input.email_claim.as_deref().map(str::trim) {
            None | Some("") => "email".to_owned(),
            Some(name) if token_like(name) => name.to_owned(),
            Some(_) => {
                v.add("email_claim", "claim_name");
                String::new()
            }
        };
        let groups_claim = match input.groups_claim.as_deref().map(str::trim) {
            None | Some("") => Some(preset_or_generic.groups_claim().to_owned()),
            Some(name) if token_like(name) => Some(name.to_owned()),
            Some(_) => {
                v.add("groups_claim", "claim_name");
                None
            }
        }
        .filter(|name| !name.is_empty());
        let role_rules = v
            .check(
                "role_rules",
                parse_role_rules(input.role_rules.as_deref().unwrap_or("")),
            )
            .unwrap_or_default();
        if !role_rules.is_empty() && groups_claim.is_none() && !v.has("groups_claim") {
            v.add("groups_claim", "required");
        }
        let default_role = match input.default_role.as_deref().map(str::trim) {
            None | Some("") => Some(Role::Employee),
            Some(code) => v.check("default_role", Role::parse(code)),
        };
        if default_role == Some(Role::Admin) {
            v.add("default_role", "default_role_admin");
        }
        let enabled = input.enabled.unwrap_or(false);
        let password_login_off = input.password_login_off.unwrap_or(false);
        if password_login_off && !enabled {
            v.add("password_login_off", "needs_sso_enabled");
        }
        let parsed = match (preset, issuer, default_role) {
            (Some(preset), Some(issuer), Some(default_role)) => Some(SsoSettings {
                options: ConnectionOptions {
                    preset,
                    issuer,
                    client_id,
                    scopes,
                    email_claim,
                    groups_claim,
                    role_rules,
                    default_role,
                    match_by_email: input.match_by_email.unwrap_or(false),
                    password_login_off,
                    enabled,
                },
                client_secret,
            }),
            _ => None,
        };
        v.finish(parsed)
    }

    /// The role of someone with these groups: the first rule that matches,
    /// else `None` (the caller decides between the default and no change).
    pub fn role_for(rules: &[RoleRule], groups: &[String]) -> Option<Role> {
        rules
            .iter()
            .find(|rule| groups.iter().any(|g| g == &rule.group))
            .map(|rule| rule.role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SsoInput {
        SsoInput {
            issuer: Some("https://login.example.nl/".into()),
            client_id: Some("koers".into()),
            client_secret: Some("s3cret".into()),
            ..SsoInput::default()
        }
    }

    fn codes(result: crate::Result<SsoSettings>) -> Vec<(String, &'static str)> {
        match result {
            Err(crate::Error::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn presets_fill_scopes_and_groups_and_openid_is_always_asked() {
        let mut entra = input();
        entra.preset = Some("entra_id".into());
        let parsed = SsoSettings::parse(&entra, false).unwrap();
        assert_eq!(parsed.options.issuer, "https://login.example.nl/");
        assert_eq!(parsed.options.scopes, ["openid", "profile", "email"]);
        assert_eq!(parsed.options.groups_claim.as_deref(), Some("groups"));
        assert_eq!(parsed.options.default_role, Role::Employee);
        let mut own = input();
        own.scopes = Some("email offline_access".into());
        let parsed = SsoSettings::parse(&own, false).unwrap();
        assert_eq!(parsed.options.scopes, ["openid", "email", "offline_access"]);
        assert_eq!(parsed.options.groups_claim, None);
    }

    #[test]
    fn bad_input_names_each_field() {
        let bad = SsoInput {
            preset: Some("okta".into()),
            issuer: Some("http://login.example.nl".into()),
            client_id: Some(" ".into()),
            scopes: Some("openid <script>".into()),
            role_rules: Some("admins = boss".into()),
            default_role: Some("admin".into()),
            password_login_off: Some(true),
            ..SsoInput::default()
        };
        let found = codes(SsoSettings::parse(&bad, false));
        for expected in [
            ("preset", "unknown_choice"),
            ("issuer", "issuer_url"),
            ("client_id", "required"),
            ("scopes", "scope_name"),
            ("role_rules", "role_rule"),
            ("default_role", "default_role_admin"),
            ("password_login_off", "needs_sso_enabled"),
        ] {
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1)),
                "{expected:?} in {found:?}"
            );
        }
    }

    #[test]
    fn issuers_are_https_or_local_when_allowed() {
        assert!(parse_issuer("https://sso.example.nl/realms/gemeente", false).is_ok());
        assert!(parse_issuer("http://127.0.0.1:9000", true).is_ok());
        assert!(parse_issuer("http://localhost:9000/oidc", true).is_ok());
        assert_eq!(
            parse_issuer("http://127.0.0.1:9000", false),
            Err("issuer_url")
        );
        assert_eq!(
            parse_issuer("http://sso.example.nl", true),
            Err("issuer_url")
        );
        assert_eq!(
            parse_issuer("https://sso.example.nl?x=1", false),
            Err("issuer_url")
        );
        assert_eq!(
            parse_issuer("https://user@sso.example.nl", false),
            Err("issuer_url")
        );
        assert_eq!(
            parse_issuer("ftp://sso.example.nl", true),
            Err("issuer_url")
        );
        assert_eq!(parse_issuer("", false), Err("required"));
    }

    #[test]
    fn role_rules_read_in_order_and_the_first_match_wins() {
        let rules =
            parse_role_rules("koers-admins = admin\n\n cn=hr,ou=groups = hr \nall = viewer")
                .unwrap();
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[1].group, "cn=hr,ou=groups");
        let groups = |gs: &[&str]| gs.iter().map(|g| (*g).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            SsoSettings::role_for(&rules, &groups(&["all", "koers-admins"])),
            Some(Role::Admin)
        );
        assert_eq!(
            SsoSettings::role_for(&rules, &groups(&["all"])),
            Some(Role::Viewer)
        );
        assert_eq!(SsoSettings::role_for(&rules, &groups(&["other"])), None);
        assert_eq!(role_rules_text(&rules).lines().count(), 3);
        assert_eq!(parse_role_rules("no role here"), Err("role_rule"));
        assert_eq!(parse_role_rules("= admin"), Err("role_rule"));
    }

    #[test]
    fn rules_need_a_groups_claim() {
        let mut with_rules = input();
        with_rules.role_rules = Some("a = viewer".into());
        assert!(
            codes(SsoSettings::parse(&with_rules, false))
                .contains(&("groups_claim".into(), "required"))
        );
        with_rules.groups_claim = Some("roles".into());
        assert!(SsoSettings::parse(&with_rules, false).is_ok());
    }
}

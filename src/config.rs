//! Settings, layered: built-in defaults < optional TOML file (`--config`)
//! < `KOERS_*` environment variables < command-line flags. Clap resolves
//! the last two (a flag beats its variable); this module lays the file under
//! them and the defaults under everything.

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;

use crate::auth::login::Throttle;
use crate::auth::password::HashCost;

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The effective settings of one process.
#[derive(Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database_url: String,
    pub database_max_connections: u32,
    /// Mark cookies `Secure` and send HSTS: set when served over TLS.
    pub cookie_secure: bool,
    pub session_idle: time::Duration,
    pub session_absolute: time::Duration,
    /// The address people reach Koers on, used in invitation links.
    pub public_url: String,
    /// Take the client address from `X-Forwarded-For` (behind a proxy only).
    pub trust_forwarded_for: bool,
    pub log_format: LogFormat,
    /// The mail relay for survey invitations (`smtp://user:password@host:port`);
    /// without one, links are handed out as CSV only.
    pub smtp_url: Option<String>,
    /// The sender of Koers's mail.
    pub mail_from: String,
    /// Base64 of the 256-bit key that seals secrets at rest (identity
    /// providers' client secrets); without one, single sign-on cannot be set up.
    pub secret_key: Option<String>,
    /// Accept identity providers over plain http on this machine
    /// (localhost): for tests and trying things out, never in production.
    pub sso_allow_local_http: bool,
    /// How often kept effect estimates are brought up to date in the
    /// background (pages recompute a stale one anyway); `None`: never.
    pub effects_refresh: Option<std::time::Duration>,
    pub demo: bool,
    pub hash_cost: HashCost,
    pub throttle: Throttle,
}

impl std::fmt::Debug for Settings {
    // The database URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("database_max_connections", &self.database_max_connections)
            .field("cookie_secure", &self.cookie_secure)
            .field("session_idle", &self.session_idle)
            .field("session_absolute", &self.session_absolute)
            .field("public_url", &self.public_url)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("log_format", &self.log_format)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "***"))
            .field("sso_allow_local_http", &self.sso_allow_local_http)
            .field("effects_refresh", &self.effects_refresh)
            .field("demo", &self.demo)
            .finish_non_exhaustive()
    }
}

/// Replaces the password in `scheme://user:password@host` with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://koers.db";
pub const DEFAULT_MAIL_FROM: &str = "Koers <koers@localhost>";

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            database_max_connections: 8,
            cookie_secure: false,
            session_idle: time::Duration::minutes(60),
            session_absolute: time::Duration::hours(12),
            public_url: format!("http://{DEFAULT_LISTEN}"),
            trust_forwarded_for: false,
            log_format: LogFormat::Text,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.to_owned(),
            secret_key: None,
            sso_allow_local_http: false,
            effects_refresh: Some(std::time::Duration::from_secs(15 * 60)),
            demo: false,
            hash_cost: HashCost::PRODUCTION,
            throttle: Throttle::default(),
        }
    }
}

/// The settings a TOML file may hold; every one optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub listen: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub database_max_connections: Option<u32>,
    pub cookie_secure: Option<bool>,
    pub session_idle_minutes: Option<u32>,
    pub session_absolute_hours: Option<u32>,
    pub public_url: Option<String>,
    pub trust_forwarded_for: Option<bool>,
    pub log_format: Option<LogFormat>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub secret_key: Option<String>,
    pub sso_allow_local_http: Option<bool>,
    pub effects_refresh_minutes: Option<u32>,
}

impl FileSettings {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        // toml's own message shows the line it stopped at, which may hold
        // a password or key: only where and what kind of fault.
        toml::from_str(&text).map_err(|e: toml::de::Error| {
            let at = e
                .span()
                .map(|span| {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!(" at line {line}")
                })
                .unwrap_or_default();
            // A type or value fault quotes the value it found.
            let message = e.message();
            let message = ["invalid type", "invalid value"]
                .into_iter()
                .find(|kind| message.starts_with(kind))
                .unwrap_or(message);
            format!("invalid {}{at}: {message}", path.display())
        })
    }
}

/// Values from environment variables or flags (clap merges those two).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Overrides {
    /// Address to listen on [env: KOERS_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, env = "KOERS_LISTEN", hide_env = true)]
    pub listen: Option<SocketAddr>,
    /// Maximum database connections per process [default: 8]
    #[arg(long, env = "KOERS_DATABASE_MAX_CONNECTIONS")]
    pub database_max_connections: Option<u32>,
    /// Cookies only over HTTPS, and send HSTS [default: false]
    #[arg(long, env = "KOERS_COOKIE_SECURE")]
    pub cookie_secure: Option<bool>,
    /// Minutes of inactivity after which a session ends [default: 60]
    #[arg(long, env = "KOERS_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<u32>,
    /// Hours after login after which a session always ends [default: 12]
    #[arg(long, env = "KOERS_SESSION_ABSOLUTE_HOURS")]
    pub session_absolute_hours: Option<u32>,
    /// Public base URL, used in invitation links [default: http://<listen>]
    #[arg(long, env = "KOERS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Trust X-Forwarded-For for the client address (only behind a proxy)
    #[arg(long, env = "KOERS_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: Option<bool>,
    /// Log format [default: text]
    #[arg(long, env = "KOERS_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Mail relay for survey invitations, smtp://user:password@host:port
    #[arg(long, env = "KOERS_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of Koers's mail [default: Koers <koers@localhost>]
    #[arg(long, env = "KOERS_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Key that seals stored secrets (base64, 32 bytes; `koers secret-key` makes one)
    #[arg(long, env = "KOERS_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Accept identity providers over http on localhost (testing only) [default: false]
    #[arg(long, env = "KOERS_SSO_ALLOW_LOCAL_HTTP")]
    pub sso_allow_local_http: Option<bool>,
    /// Minutes between background refreshes of effect estimates; 0 switches them off [default: 15]
    #[arg(long, env = "KOERS_EFFECTS_REFRESH_MINUTES")]
    pub effects_refresh_minutes: Option<u32>,
}

impl Settings {
    /// Lays the file and then the overrides over the defaults.
    pub fn layered(
        file: FileSettings,
        database_url: Option<String>,
        overrides: &Overrides,
    ) -> Self {
        let mut settings = Settings::default();
        let listen = overrides.listen.or(file.listen);
        if let Some(listen) = listen {
            settings.listen = listen;
        }
        if let Some(url) = database_url.or(file.database_url) {
            settings.database_url = url;
        }
        if let Some(n) = overrides
            .database_max_connections
            .or(file.database_max_connections)
        {
            settings.database_max_connections = n.max(1);
        }
        if let Some(secure) = overrides.cookie_secure.or(file.cookie_secure) {
            settings.cookie_secure = secure;
        }
        if let Some(minutes) = overrides.session_idle_minutes.or(file.session_idle_minutes) {
            settings.session_idle = time::Duration::minutes(i64::from(minutes.max(1)));
        }
        if let Some(hours) = overrides
            .session_absolute_hours
            .or(file.session_absolute_hours)
        {
            settings.session_absolute = time::Duration::hours(i64::from(hours.max(1)));
        }
        settings.public_url = overrides
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{}", settings.listen));
        settings.public_url = settings.public_url.trim_end_matches('/').to_owned();
        if let Some(trust) = overrides.trust_forwarded_for.or(file.trust_forwarded_for) {
            settings.trust_forwarded_for = trust;
        }
        if let Some(format) = overrides.log_format.or(file.log_format) {
            settings.log_format = format;
        }
        settings.smtp_url = overrides
            .smtp_url
            .clone()
            .or(file.smtp_url)
            .filter(|url| !url.trim().is_empty());
        if let Some(from) = overrides.mail_from.clone().or(file.mail_from) {
            settings.mail_from = from;
        }
        settings.secret_key = overrides
            .secret_key
            .clone()
            .or(file.secret_key)
            .filter(|key| !key.trim().is_empty());
        if let Some(allow) = overrides.sso_allow_local_http.or(file.sso_allow_local_http) {
            settings.sso_allow_local_http = allow;
        }
        if let Some(minutes) = overrides
            .effects_refresh_minutes
            .or(file.effects_refresh_minutes)
        {
            settings.effects_refresh =
                (minutes > 0).then(|| std::time::Duration::from_secs(u64::from(minutes) * 60));
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_settings_file_is_reported_without_its_lines() {
        let path = std::env::temp_dir().join(format!("koers-broken-{}.toml", std::process::id()));
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\nsecret_key = \"geheim-sleutel-123\nsmtp_url = 1\n",
        )
        .unwrap();
        let error = FileSettings::load(&path).unwrap_err();
        assert!(!error.contains("geheim-sleutel"), "{error}");
        assert!(error.contains("at line 2"), "{error}");
        // A value of the wrong type, on a line of its own: named by line.
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\nsecret_key = 123456789\n",
        )
        .unwrap();
        let error = FileSettings::load(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(!error.contains("123456789"), "{error}");
        assert!(error.contains("at line 2: invalid type"), "{error}");
    }

    #[test]
    fn flags_beat_file_and_file_beats_defaults() {
        let file: FileSettings = toml::from_str(
            "listen = \"127.0.0.1:9000\"\nsession_idle_minutes = 15\ndatabase_url = \"sqlite://file.db\"",
        )
        .unwrap();
        let overrides = Overrides {
            listen: Some("127.0.0.1:9100".parse().unwrap()),
            ..Overrides::default()
        };
        let settings = Settings::layered(file, None, &overrides);
        assert_eq!(settings.listen.port(), 9100);
        assert_eq!(settings.session_idle, time::Duration::minutes(15));
        assert_eq!(settings.database_url, "sqlite://file.db");
        assert_eq!(settings.session_absolute, time::Duration::hours(12));
        assert_eq!(settings.public_url, "http://127.0.0.1:9100");
    }

    #[test]
    fn unknown_file_keys_are_errors() {
        assert!(toml::from_str::<FileSettings>("lisen = \"x\"").is_err());
    }

    #[test]
    fn debug_output_hides_database_password() {
        let settings = Settings {
            database_url: "postgres://koers:geheim@db/koers".into(),
            ..Settings::default()
        };
        let printed = format!("{settings:?}");
        assert!(!printed.contains("geheim"), "{printed}");
        assert!(printed.contains("koers:***@db"));
        let settings = Settings {
            smtp_url: Some("smtp://koers:postgeheim@mail:587".into()),
            ..Settings::default()
        };
        let printed = format!("{settings:?}");
        assert!(!printed.contains("postgeheim"), "{printed}");
    }

    #[test]
    fn the_mail_relay_comes_from_file_or_flag_and_blank_means_none() {
        let file: FileSettings =
            toml::from_str("smtp_url = \"smtp://mail:25\"\nmail_from = \"koers@gemeente.nl\"")
                .unwrap();
        let settings = Settings::layered(file, None, &Overrides::default());
        assert_eq!(settings.smtp_url.as_deref(), Some("smtp://mail:25"));
        assert_eq!(settings.mail_from, "koers@gemeente.nl");
        let overrides = Overrides {
            smtp_url: Some(" ".into()),
            ..Overrides::default()
        };
        let settings = Settings::layered(FileSettings::default(), None, &overrides);
        assert_eq!(settings.smtp_url, None);
        assert_eq!(settings.mail_from, DEFAULT_MAIL_FROM);
    }

    #[test]
    fn the_effect_refresh_runs_every_quarter_hour_unless_set_or_switched_off() {
        let minutes = |m: Option<u32>| {
            let overrides = Overrides {
                effects_refresh_minutes: m,
                ..Overrides::default()
            };
            Settings::layered(FileSettings::default(), None, &overrides).effects_refresh
        };
        let every = std::time::Duration::from_secs;
        assert_eq!(minutes(None), Some(every(15 * 60)));
        assert_eq!(minutes(Some(30)), Some(every(30 * 60)));
        assert_eq!(minutes(Some(0)), None);
        let file: FileSettings = toml::from_str("effects_refresh_minutes = 5").unwrap();
        let settings = Settings::layered(file, None, &Overrides::default());
        assert_eq!(settings.effects_refresh, Some(every(5 * 60)));
    }
}

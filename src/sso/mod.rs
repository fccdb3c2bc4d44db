//! Single sign-on with OpenID Connect, per organisation: the connection an
//! administrator configures (`settings.rs`), the provider's metadata and
//! the code flow (`provider.rs`), matching and creating people
//! (`service.rs`), and the login, admin and API routes.

pub mod api;
pub mod login_pages;
pub mod pages;
pub mod provider;
pub mod service;
pub mod settings;

pub use provider::ProviderDirectory;
pub use settings::{
    ConnectionOptions, ConnectionTest, Preset, RoleRule, SsoConnection, SsoInput, SsoSettings,
};

/// Where the provider sends people back after they logged in there.
pub const CALLBACK_PATH: &str = "/login/sso/callback";

/// Why a single sign-on login was refused; each code has a text
/// `sso.refused.<code>` for the login page.
pub mod refusal {
    /// No active connection for the organisation named.
    pub const NOT_AVAILABLE: &str = "not_available";
    /// The provider could not be reached or answered nonsense.
    pub const PROVIDER_UNREACHABLE: &str = "provider_unreachable";
    /// The provider answered with an error (the person cancelled, or the
    /// code was refused at the token endpoint).
    pub const PROVIDER_ERROR: &str = "provider_error";
    /// The answer does not belong to a login this browser started, or came
    /// too late.
    pub const STALE: &str = "stale";
    /// The ID token's signature, issuer, audience or times are wrong.
    pub const ID_TOKEN_INVALID: &str = "id_token_invalid";
    /// The ID token's nonce is not the one this login sent.
    pub const NONCE_MISMATCH: &str = "nonce_mismatch";
    /// A new person without an e-mail address in the ID token.
    pub const NO_EMAIL: &str = "no_email";
    /// The account or membership is switched off in Koers.
    pub const INACTIVE: &str = "inactive";
    /// The e-mail address belongs to an account that may not be linked.
    pub const EMAIL_TAKEN: &str = "email_taken";

    pub const ALL: &[&str] = &[
        NOT_AVAILABLE,
        PROVIDER_UNREACHABLE,
        PROVIDER_ERROR,
        STALE,
        ID_TOKEN_INVALID,
        NONCE_MISMATCH,
        NO_EMAIL,
        INACTIVE,
        EMAIL_TAKEN,
    ];
}

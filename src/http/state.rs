use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Settings;
use crate::store::Store;

/// Everything a request handler or service needs, cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: Settings,
    services: Services,
}

/// What the state holds besides the store, clock and settings.
#[derive(Debug)]
pub struct Services {
    /// A password hash made at start-up with the configured cost; logins
    /// for unknown accounts verify against it so they take as long as real
    /// ones.
    pub decoy_hash: String,
    /// The configured mail relay, if any.
    pub mailer: Option<crate::mail::Mailer>,
    /// The key that seals secrets at rest, when one is configured.
    pub secret_key: Option<crate::auth::sealed::SecretKey>,
    /// Identity providers' discovered metadata, and the HTTP client that
    /// fetches it.
    pub identity_providers: crate::sso::ProviderDirectory,
}

impl AppState {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: Settings,
        services: Services,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                settings,
                services,
            }),
        }
    }

    /// The mail relay, when one is configured.
    pub fn mailer(&self) -> Option<&crate::mail::Mailer> {
        self.inner.services.mailer.as_ref()
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// Today as a day period, by the installation's clock (UTC).
    pub fn today(&self) -> crate::domain::Period {
        crate::domain::Period::containing(crate::domain::Frequency::Day, self.clock().now().date())
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The key that seals secrets at rest, when configured.
    pub fn secret_key(&self) -> Option<&crate::auth::sealed::SecretKey> {
        self.inner.services.secret_key.as_ref()
    }

    pub fn identity_providers(&self) -> &crate::sso::ProviderDirectory {
        &self.inner.services.identity_providers
    }

    pub fn decoy_hash(&self) -> &str {
        &self.inner.services.decoy_hash
    }
}

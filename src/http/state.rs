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
    decoy_hash: String,
    mailer: Option<crate::mail::Mailer>,
}

impl AppState {
    /// `decoy_hash` is a password hash made at start-up with the configured
    /// cost; logins for unknown accounts verify against it so they take as
    /// long as real ones.
    ///
    /// `mailer` is the configured mail relay, if any.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: Settings,
        decoy_hash: String,
        mailer: Option<crate::mail::Mailer>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                settings,
                decoy_hash,
                mailer,
            }),
        }
    }

    /// The mail relay, when one is configured.
    pub fn mailer(&self) -> Option<&crate::mail::Mailer> {
        self.inner.mailer.as_ref()
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

    pub fn decoy_hash(&self) -> &str {
        &self.inner.decoy_hash
    }
}

//! Building and running the server: `Application::build(settings)`, then
//! `.port()` and `.run_until_stopped()`.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::Settings;
use crate::http::AppState;
use crate::store::{Store, StoreOptions};
use crate::{Error, Result};

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

/// Opens the database, applies migrations and prepares the state.
pub async fn prepare_state(
    settings: Settings,
    clock: Arc<dyn Clock>,
    postgres_schema: Option<String>,
) -> Result<AppState> {
    // A wrong key is a configuration error: say so before touching the
    // database.
    let secret_key = settings
        .secret_key
        .as_deref()
        .map(crate::auth::sealed::SecretKey::parse)
        .transpose()
        .map_err(|e| Error::Unexpected(format!("KOERS_SECRET_KEY: {e}")))?;
    let store = Store::connect(&StoreOptions {
        url: settings.database_url.clone(),
        max_connections: settings.database_max_connections,
        postgres_schema,
    })
    .await?;
    store.migrate().await?;
    // Organisations made before the skills module get DigComp too.
    store.install_builtin_frameworks(clock.now()).await?;
    store.install_builtin_instruments(clock.now()).await?;
    let decoy = crate::domain::Password::parse(&crate::auth::secret::random_secret())
        .map_err(|_| Error::Unexpected("decoy password".into()))?;
    let decoy_hash = crate::auth::password::hash_password(settings.hash_cost, &decoy).await?;
    let mailer = settings
        .smtp_url
        .as_deref()
        .map(|url| crate::mail::Mailer::new(url, &settings.mail_from))
        .transpose()
        .map_err(Error::Unexpected)?;
    crate::http::metrics::install();
    let services = crate::http::Services {
        decoy_hash,
        mailer,
        secret_key,
        identity_providers: crate::sso::ProviderDirectory::new(settings.sso_allow_local_http)?,
    };
    Ok(AppState::new(store, clock, settings, services))
}

impl Application {
    pub async fn build(state: AppState) -> Result<Self> {
        if state.settings().demo && crate::demo::load(&state).await? {
            tracing::info!(
                demo.organisation = crate::demo::SLUG,
                "demo organisation loaded"
            );
        }
        let listener = TcpListener::bind(state.settings().listen)
            .await
            .map_err(|e| {
                Error::Unexpected(format!("cannot listen on {}: {e}", state.settings().listen))
            })?;
        Ok(Self { listener, state })
    }

    pub fn address(&self) -> Result<SocketAddr> {
        self.listener
            .local_addr()
            .map_err(|e| Error::Unexpected(format!("listener address: {e}")))
    }

    pub fn port(&self) -> u16 {
        self.address().map_or(0, |a| a.port())
    }

    pub async fn run_until_stopped(self) -> Result<()> {
        let sweeper = tokio::spawn(sweep_sessions(self.state.clone()));
        let refresher = self
            .state
            .settings()
            .effects_refresh
            .map(|every| tokio::spawn(crate::effects::refresh::run(self.state.clone(), every)));
        let app = crate::http::app(self.state.clone())
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::Unexpected(format!("server: {e}")));
        sweeper.abort();
        if let Some(refresher) = refresher {
            refresher.abort();
        }
        self.state.store().close().await;
        served
    }
}

/// Removes expired sessions every ten minutes; expiry is also checked on
/// every request, so this only keeps the table small.
async fn sweep_sessions(state: AppState) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        interval.tick().await;
        let now = state.clock().now();
        let settings = state.settings();
        if let Err(error) = state
            .store()
            .delete_expired_sessions(now - settings.session_idle, now - settings.session_absolute)
            .await
        {
            tracing::warn!(error.reason = %error, "session sweep failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

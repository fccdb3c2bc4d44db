//! Talking to an identity provider: discovery (cached for a few minutes),
//! the authorization request with PKCE, state and nonce, the code exchange
//! and the ID token's verification. The openidconnect crate does the
//! protocol; this file gives it our HTTP client and turns its answers into
//! what the service needs.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreIdToken, CoreTokenResponse,
};
use openidconnect::{
    AuthType, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, HttpRequest, HttpResponse,
    IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};

use super::refusal;
use crate::{Error, Result};

/// How long discovered metadata (with the signing keys) is reused.
const METADATA_FRESH_FOR: Duration = Duration::from_secs(300);
/// The largest answer read from a provider.
const MAX_BODY: usize = 1024 * 1024;

type Metadata = ProviderMetadataWithLogout;
/// A client made from discovered metadata: authorization endpoint set,
/// token and user-info endpoints as the provider names them.
type ConfiguredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The provider's metadata per issuer, and the HTTP client that reads it.
pub struct ProviderDirectory {
    http: reqwest::Client,
    /// Plain http to this machine is allowed (tests); otherwise every
    /// address we call must be https.
    allow_local_http: bool,
    cache: Mutex<HashMap<String, (Instant, Arc<Metadata>)>>,
}

impl std::fmt::Debug for ProviderDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderDirectory").finish_non_exhaustive()
    }
}

/// What the provider needs from one organisation's connection.
pub struct Connection<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub scopes: &'a [String],
    pub redirect_uri: &'a str,
}

/// A login sent to the provider: the URL to send the browser to, and the
/// secrets to check its answer with.
pub struct AuthorizationStart {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What a verified ID token says, with the token itself (for logging out).
#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub subject: String,
    /// Every claim of the verified token, for the configured claim names.
    pub claims: serde_json::Map<String, serde_json::Value>,
    pub id_token: String,
}

/// A failure talking to the provider, with the detail for the log.
#[derive(Debug)]
pub struct ProviderFailure {
    pub code: &'static str,
    pub detail: String,
}

impl ProviderFailure {
    fn new(code: &'static str, detail: impl std::fmt::Display) -> Self {
        Self {
            code,
            detail: detail.to_string(),
        }
    }
}

impl From<ProviderFailure> for Error {
    fn from(failure: ProviderFailure) -> Self {
        // Only the code: the provider's own text may name the person or
        // quote a claim's value. The connection test shows the detail to
        // the administrator who asked.
        tracing::warn!(sso.refused = failure.code, "single sign-on refused");
        Error::SsoRefused(failure.code)
    }
}

/// The HTTP client's error, as openidconnect wants one.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpFailure(String);

type HttpFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpFailure>> + Send>>;

impl ProviderDirectory {
    pub fn new(allow_local_http: bool) -> Result<Self> {
        // No redirects: a provider's endpoints answer directly, and
        // following them would let a configured issuer point us anywhere.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("Koers/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Unexpected(format!("HTTP client: {e}")))?;
        Ok(Self {
            http,
            allow_local_http,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The HTTP client as openidconnect calls it: owning a handle to our
    /// client, so its futures borrow nothing.
    fn caller(&self) -> impl Fn(HttpRequest) -> HttpFuture + use<> {
        let http = self.http.clone();
        let allow_local_http = self.allow_local_http;
        move |request| send(http.clone(), allow_local_http, request)
    }

    /// The issuer's metadata with its signing keys, from the cache when
    /// fresh (`refresh` forces a new read, e.g. after a key rotation).
    pub async fn metadata(
        &self,
        issuer: &str,
        refresh: bool,
    ) -> Result<Arc<Metadata>, ProviderFailure> {
        if !refresh {
            let cache = self.cache.lock().map_err(|_| {
                ProviderFailure::new(refusal::PROVIDER_UNREACHABLE, "metadata cache poisoned")
            })?;
            if let Some((at, metadata)) = cache.get(issuer)
                && at.elapsed() < METADATA_FRESH_FOR
            {
                return Ok(metadata.clone());
            }
        }
        let metadata = Arc::new(self.discover(issuer).await?);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(issuer.to_owned(), (Instant::now(), metadata.clone()));
        }
        Ok(metadata)
    }

    /// Reads the discovery document and the keys it points to. Every
    /// address involved must pass `provider_address_ok` (checked for each
    /// request in `send`), and so must the endpoints the browser is sent
    /// to, so a provider cannot turn Koers into a redirector.
    async fn discover(&self, issuer: &str) -> Result<Metadata, ProviderFailure> {
        let unreachable =
            |detail: String| ProviderFailure::new(refusal::PROVIDER_UNREACHABLE, detail);
        let issuer_url =
            IssuerUrl::new(issuer.to_owned()).map_err(|e| unreachable(e.to_string()))?;
        let http = self.caller();
        let metadata = Metadata::discover_async(issuer_url, &http)
            .await
            .map_err(|e| unreachable(describe(&e)))?;
        let browser_endpoints = std::iter::once(metadata.authorization_endpoint().url())
            .chain(end_session(&metadata).map(|u| u.url()));
        for url in browser_endpoints {
            if !super::settings::provider_address_ok(url, self.allow_local_http) {
                return Err(unreachable(format!("endpoint {url} is not https")));
            }
        }
        Ok(metadata)
    }

    /// Reads the issuer's discovery document and keys afresh and says what
    /// they offer, for the administrator's "test connection".
    pub async fn test(&self, issuer: &str) -> super::ConnectionTest {
        // Not cached: an administrator may test any number of issuers.
        match self.discover(issuer).await {
            Ok(metadata) => {
                let pkce_s256 = self.offers_pkce_s256(issuer).await;
                let signing_keys = metadata.jwks().keys().len();
                let problem = if metadata.token_endpoint().is_none() {
                    Some("the provider names no token endpoint".to_owned())
                } else if signing_keys == 0 {
                    Some("the provider publishes no signing keys".to_owned())
                } else {
                    None
                };
                super::ConnectionTest {
                    issuer: issuer.to_owned(),
                    ok: problem.is_none(),
                    problem,
                    authorization_endpoint: Some(metadata.authorization_endpoint().to_string()),
                    token_endpoint: metadata.token_endpoint().map(ToString::to_string),
                    end_session_endpoint: end_session(&metadata).map(|u| u.to_string()),
                    signing_keys,
                    pkce_s256,
                }
            }
            Err(failure) => super::ConnectionTest {
                issuer: issuer.to_owned(),
                ok: false,
                problem: Some(failure.detail),
                authorization_endpoint: None,
                token_endpoint: None,
                end_session_endpoint: None,
                signing_keys: 0,
                pkce_s256: false,
            },
        }
    }

    /// Whether the discovery document lists PKCE with SHA-256
    /// (`code_challenge_methods_supported`, from RFC 8414, which the
    /// openidconnect crate does not model).
    async fn offers_pkce_s256(&self, issuer: &str) -> bool {
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let Ok(request) = openidconnect::http::Request::get(url).body(Vec::new()) else {
            return false;
        };
        let Ok(response) = (self.caller())(request).await else {
            return false;
        };
        serde_json::from_slice::<serde_json::Value>(response.body())
            .ok()
            .and_then(|doc| doc.get("code_challenge_methods_supported").cloned())
            .and_then(|methods| methods.as_array().cloned())
            .is_some_and(|methods| methods.iter().any(|m| m == "S256"))
    }

    /// Builds the authorization request for a new login.
    pub async fn start(
        &self,
        connection: &Connection<'_>,
    ) -> Result<AuthorizationStart, ProviderFailure> {
        let metadata = self.metadata(connection.issuer, false).await?;
        let client = client(&metadata, connection)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in connection.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(AuthorizationStart {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code and verifies the ID token against the nonce this
    /// login sent.
    pub async fn finish(
        &self,
        connection: &Connection<'_>,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<VerifiedIdentity, ProviderFailure> {
        let metadata = self.metadata(connection.issuer, false).await?;
        let oidc_client = client(&metadata, connection)?;
        let http = self.caller();
        let response: CoreTokenResponse = oidc_client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| ProviderFailure::new(refusal::PROVIDER_ERROR, e))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&http)
            .await
            .map_err(|e| ProviderFailure::new(refusal::PROVIDER_ERROR, describe(&e)))?;
        let id_token = response.id_token().ok_or_else(|| {
            ProviderFailure::new(
                refusal::ID_TOKEN_INVALID,
                "the token answer has no ID token",
            )
        })?;
        let nonce = Nonce::new(nonce.to_owned());
        let verified = match verify(&oidc_client, id_token, &nonce) {
            // The provider may have rotated its keys since we cached them.
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                let fresh = self.metadata(connection.issuer, true).await?;
                verify(&client(&fresh, connection)?, id_token, &nonce)
            }
            other => other,
        };
        let subject = verified.map_err(|e| match e {
            ClaimsVerificationError::InvalidNonce(_) => {
                ProviderFailure::new(refusal::NONCE_MISMATCH, e)
            }
            other => ProviderFailure::new(refusal::ID_TOKEN_INVALID, other),
        })?;
        let id_token = id_token.to_string();
        Ok(VerifiedIdentity {
            subject,
            claims: payload(&id_token)?,
            id_token,
        })
    }

    /// Where to send the browser to end the provider's session too, when
    /// the provider supports RP-initiated logout.
    pub async fn logout_url(
        &self,
        issuer: &str,
        client_id: &str,
        id_token: &str,
        post_logout_redirect: &str,
    ) -> Option<String> {
        let metadata = self.metadata(issuer, false).await.ok()?;
        let endpoint = end_session(&metadata)?.clone();
        let mut request =
            LogoutRequest::from(endpoint).set_client_id(ClientId::new(client_id.to_owned()));
        if let Ok(token) = id_token.parse::<CoreIdToken>() {
            request = request.set_id_token_hint(&token);
        }
        if let Ok(url) = PostLogoutRedirectUrl::new(post_logout_redirect.to_owned()) {
            request = request.set_post_logout_redirect_uri(url);
        }
        Some(request.http_get_url().to_string())
    }
}

fn send(http: reqwest::Client, allow_local_http: bool, request: HttpRequest) -> HttpFuture {
    Box::pin(async move {
        let (parts, body) = request.into_parts();
        let url = parts.uri.to_string();
        let allowed = openidconnect::url::Url::parse(&url)
            .is_ok_and(|parsed| super::settings::provider_address_ok(&parsed, allow_local_http));
        if !allowed {
            return Err(HttpFailure(format!("{url} is not an https address")));
        }
        let mut outgoing = http.request(parts.method, url).body(body);
        for (name, value) in &parts.headers {
            outgoing = outgoing.header(name, value);
        }
        let mut response = outgoing
            .send()
            .await
            .map_err(|e| HttpFailure(e.to_string()))?;
        let mut builder = openidconnect::http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| HttpFailure(e.to_string()))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(HttpFailure("answer larger than 1 MiB".into()));
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body).map_err(|e| HttpFailure(e.to_string()))
    })
}

fn end_session(metadata: &Metadata) -> Option<&EndSessionUrl> {
    metadata.additional_metadata().end_session_endpoint.as_ref()
}

/// The openidconnect client for one connection.
fn client(
    metadata: &Metadata,
    connection: &Connection<'_>,
) -> Result<ConfiguredClient, ProviderFailure> {
    let redirect = RedirectUrl::new(connection.redirect_uri.to_owned())
        .map_err(|e| ProviderFailure::new(refusal::NOT_AVAILABLE, e))?;
    let mut client = CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(connection.client_id.to_owned()),
        Some(ClientSecret::new(connection.client_secret.to_owned())),
    )
    .set_redirect_uri(redirect);
    // Basic authentication unless the provider only takes the secret in
    // the request body.
    if let Some(methods) = metadata.token_endpoint_auth_methods_supported() {
        let basic = methods.contains(&CoreClientAuthMethod::ClientSecretBasic);
        let post = methods.contains(&CoreClientAuthMethod::ClientSecretPost);
        if post && !basic {
            client = client.set_auth_type(AuthType::RequestBody);
        }
    }
    Ok(client)
}

/// Checks signature, issuer, audience, times and nonce; gives the subject.
fn verify(
    client: &ConfiguredClient,
    id_token: &CoreIdToken,
    nonce: &Nonce,
) -> Result<String, ClaimsVerificationError> {
    let verifier = client.id_token_verifier();
    let claims = id_token.claims(&verifier, nonce)?;
    Ok(claims.subject().to_string())
}

/// The claims of a token whose signature was verified: its middle part.
fn payload(id_token: &str) -> Result<serde_json::Map<String, serde_json::Value>, ProviderFailure> {
    let part = id_token
        .split('.')
        .nth(1)
        .ok_or_else(|| ProviderFailure::new(refusal::ID_TOKEN_INVALID, "not a JWS"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| ProviderFailure::new(refusal::ID_TOKEN_INVALID, e))?;
    serde_json::from_slice(&bytes).map_err(|e| ProviderFailure::new(refusal::ID_TOKEN_INVALID, e))
}

/// An error with its causes, for the log and the test-connection page.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

//! A small OpenID provider on a real socket for the single sign-on tests:
//! discovery, keys, an authorization endpoint that logs in whoever the test
//! names, a token endpoint that checks the client secret and PKCE, and a
//! logout endpoint that remembers its calls. It can also misbehave on
//! purpose: tamper with the ID token or put another nonce in it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKeyId, PrivateSigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "koers-test";
pub const CLIENT_SECRET: &str = "mock-client-secret";

/// How the next ID token goes wrong, if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mischief {
    None,
    /// A claim changed after signing.
    TamperedPayload,
    /// Signed properly, with a nonce that is not the one asked for.
    WrongNonce,
}

struct Grant {
    nonce: String,
    challenge: String,
    redirect_uri: String,
    claims: Value,
}

struct Inner {
    issuer: String,
    key: CoreRsaPrivateSigningKey,
    person: Value,
    mischief: Mischief,
    grants: HashMap<String, Grant>,
    logouts: Vec<HashMap<String, String>>,
}

#[derive(Clone)]
pub struct MockProvider {
    pub issuer: String,
    inner: Arc<Mutex<Inner>>,
}

impl MockProvider {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let pem = include_str!("fixtures/oidc-test-signing-key.pem");
        let key =
            CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new("test-key".into())))
                .unwrap();
        let inner = Arc::new(Mutex::new(Inner {
            issuer: issuer.clone(),
            key,
            person: json!({"sub": "nobody"}),
            mischief: Mischief::None,
            grants: HashMap::new(),
            logouts: Vec::new(),
        }));
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/auth", get(authorize))
            .route("/token", post(token))
            .route("/logout", get(logout))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self { issuer, inner }
    }

    /// The person the next login at the provider is, as ID-token claims
    /// (at least `sub`).
    pub fn log_in_as(&self, claims: Value) {
        self.inner.lock().unwrap().person = claims;
    }

    pub fn misbehave(&self, mischief: Mischief) {
        self.inner.lock().unwrap().mischief = mischief;
    }

    /// The query of every call to the logout endpoint.
    pub fn logouts(&self) -> Vec<HashMap<String, String>> {
        self.inner.lock().unwrap().logouts.clone()
    }
}

async fn discovery(State(inner): State<Arc<Mutex<Inner>>>) -> Json<Value> {
    let issuer = inner.lock().unwrap().issuer.clone();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "end_session_endpoint": format!("{issuer}/logout"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "scopes_supported": ["openid", "profile", "email"],
    }))
}

async fn jwks(State(inner): State<Arc<Mutex<Inner>>>) -> Json<Value> {
    let key = inner.lock().unwrap().key.as_verification_key();
    Json(json!({ "keys": [serde_json::to_value(key).unwrap()] }))
}

async fn authorize(
    State(inner): State<Arc<Mutex<Inner>>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    let ok = query.get("response_type").map(String::as_str) == Some("code")
        && query.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && query.get("code_challenge_method").map(String::as_str) == Some("S256")
        && query
            .get("scope")
            .is_some_and(|s| s.split(' ').any(|s| s == "openid"));
    if !ok {
        return (StatusCode::BAD_REQUEST, "bad authorization request").into_response();
    }
    let code = koers::auth::secret::random_secret();
    let redirect_uri = query["redirect_uri"].clone();
    let claims = inner.person.clone();
    inner.grants.insert(
        code.clone(),
        Grant {
            nonce: query.get("nonce").cloned().unwrap_or_default(),
            challenge: query["code_challenge"].clone(),
            redirect_uri: redirect_uri.clone(),
            claims,
        },
    );
    let back = format!(
        "{redirect_uri}?code={code}&state={}&iss={}",
        urlencode(&query["state"]),
        urlencode(&inner.issuer)
    );
    Redirect::to(&back).into_response()
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_owned()
}

async fn token(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let refuse =
        |error: &str| (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response();
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    let Some(grant) = form.get("code").and_then(|code| inner.grants.remove(code)) else {
        return refuse("invalid_grant");
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if challenge != grant.challenge || form.get("redirect_uri") != Some(&grant.redirect_uri) {
        return refuse("invalid_grant");
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut claims = grant.claims.clone();
    let object = claims.as_object_mut().unwrap();
    object.insert("iss".into(), json!(inner.issuer));
    object.insert("aud".into(), json!(CLIENT_ID));
    object.insert("iat".into(), json!(now));
    object.insert("exp".into(), json!(now + 300));
    let nonce = if inner.mischief == Mischief::WrongNonce {
        "not-the-nonce-that-was-sent".to_owned()
    } else {
        grant.nonce.clone()
    };
    object.insert("nonce".into(), json!(nonce));
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": "test-key" });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = inner
        .key
        .sign(
            &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            signing_input.as_bytes(),
        )
        .unwrap();
    let mut id_token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));
    if inner.mischief == Mischief::TamperedPayload {
        // Same signature, payload naming someone else: must not verify.
        claims["sub"] = json!("someone-else");
        let forged = URL_SAFE_NO_PAD.encode(claims.to_string());
        let parts: Vec<&str> = id_token.split('.').collect();
        id_token = format!("{}.{forged}.{}", parts[0], parts[2]);
    }
    Json(json!({
        "access_token": koers::auth::secret::random_secret(),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

async fn logout(
    State(inner): State<Arc<Mutex<Inner>>>,
    Query(query): Query<HashMap<String, String>>,
) -> &'static str {
    inner.lock().unwrap().logouts.push(query);
    "logged out"
}

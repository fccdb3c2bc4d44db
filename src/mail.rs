//! Outgoing mail over SMTP, for survey invitations and reminders.
//!
//! Koers hands mail to one relay (`smtp://user:password@host:port`),
//! normally the organisation's own mail server on its network, which takes
//! care of delivery onwards. Plain SMTP only: see `docs/decisions.md`.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// One plain-text message to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Why a letter did not go out; shown beside the person it was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Undelivered {
    /// Koers knows no address for this person.
    NoAddress,
    /// The address cannot be written as a mailbox.
    BadAddress,
    /// The mail server refused the message or could not be reached.
    Refused,
}

/// A connection (pool) to the configured relay.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// Reads the relay's URL and the sender; a clear message when either is
    /// wrong, so that a misconfiguration stops start-up.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("the mail sender {from:?} is not an address: {e}"))?;
        let relay = Relay::parse(url).map_err(|e| {
            format!(
                "the SMTP URL {} is not usable: {e}",
                crate::config::redact_url(url)
            )
        })?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host)
            .port(relay.port)
            .timeout(Some(Duration::from_secs(20)));
        if let Some((user, password)) = relay.credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        let transport = builder.build();
        Ok(Self { transport, from })
    }

    /// Sends one letter. The error says why, without the server's reply
    /// (which may repeat the address).
    pub async fn send(&self, letter: &Letter) -> Result<(), Undelivered> {
        let to: Mailbox = letter.to.parse().map_err(|_| Undelivered::BadAddress)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(letter.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            .body(letter.body.clone())
            .map_err(|_| Undelivered::BadAddress)?;
        self.transport.send(message).await.map_err(|error| {
            // The error's text may hold the server's reply, which often
            // repeats the address: log only what kind of failure it was.
            let kind = if error.is_permanent() {
                "refused by the relay (permanent)"
            } else if error.is_transient() {
                "refused by the relay (try again later)"
            } else if error.is_timeout() {
                "timed out"
            } else {
                "no answer from the relay"
            };
            tracing::warn!(mail.failure = kind, "mail not delivered");
            Undelivered::Refused
        })?;
        Ok(())
    }
}

/// The parts of `smtp://[user[:password]@]host[:port]`.
#[derive(Debug, PartialEq, Eq)]
struct Relay {
    host: String,
    port: u16,
    credentials: Option<(String, String)>,
}

impl Relay {
    fn parse(url: &str) -> Result<Self, &'static str> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or("it must start with smtp:// (TLS is left to the relay)")?;
        let rest = rest.trim_end_matches('/');
        let (userinfo, address) = match rest.rsplit_once('@') {
            Some((userinfo, address)) => (Some(userinfo), address),
            None => (None, rest),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().map_err(|_| "the port is not a number")?),
            None => (address, 25),
        };
        if host.is_empty() {
            return Err("it names no host");
        }
        let credentials = userinfo
            .map(|info| {
                let (user, password) = info.split_once(':').unwrap_or((info, ""));
                Ok::<_, &'static str>((percent_decoded(user)?, percent_decoded(password)?))
            })
            .transpose()?;
        Ok(Self {
            host: host.to_owned(),
            port,
            credentials,
        })
    }
}

/// `%40` and the like in a user name or password.
fn percent_decoded(text: &str) -> Result<String, &'static str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or("a % escape is cut short")?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| "a % escape is not hexadecimal")?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "a % escape is not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relay_url_gives_host_port_and_credentials() {
        assert_eq!(
            Relay::parse("smtp://mail.gemeente.nl"),
            Ok(Relay {
                host: "mail.gemeente.nl".into(),
                port: 25,
                credentials: None
            })
        );
        assert_eq!(
            Relay::parse("smtp://koers%40gemeente.nl:p%3Ass@10.0.0.5:587/"),
            Ok(Relay {
                host: "10.0.0.5".into(),
                port: 587,
                credentials: Some(("koers@gemeente.nl".into(), "p:ss".into()))
            })
        );
    }

    #[test]
    fn a_wrong_relay_url_says_why() {
        assert!(Relay::parse("smtps://mail:465").is_err());
        assert!(Relay::parse("smtp://mail:port").is_err());
        assert!(Relay::parse("smtp://:25").is_err());
        assert!(Relay::parse("smtp://u:%4@mail").is_err());
        assert!(Mailer::new("smtp://mail", "not an address").is_err());
    }
}

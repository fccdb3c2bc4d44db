//! Security signals for administrators: a burst of failed logins on one
//! account or from one address, and an administrator logging in from a
//! network they never used before. Each is an audit event with the action
//! `security_signal`, so it is kept, listed and filtered like every other.

use std::net::IpAddr;

use crate::Result;
use crate::domain::{OrganisationId, Role, UserId};
use crate::http::AppState;
use crate::store::{AuditMeta, Change};

/// The audit action of every signal.
pub const ACTION: &str = "security_signal";

/// The network an address belongs to, as far as we can tell without a
/// location database: the /24 of an IPv4 address, the /48 of an IPv6
/// address (a site), or the text itself.
pub fn network_of(address: &str) -> String {
    // An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is an IPv4 one.
    match address.parse::<IpAddr>().map(|a| a.to_canonical()) {
        Ok(IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => address.to_owned(),
    }
}

/// Whether `address` lies outside every network of `known`. With no known
/// address there is nothing to compare with: not new.
pub fn is_new_network(address: &str, known: &[String]) -> bool {
    let network = network_of(address);
    !known.is_empty() && known.iter().all(|k| network_of(k) != network)
}

fn meta(
    organisation: Option<OrganisationId>,
    address: &str,
    at: time::OffsetDateTime,
) -> AuditMeta {
    AuditMeta {
        organisation_id: organisation,
        actor_user_id: None,
        actor_label: "koers".to_owned(),
        client_address: Some(address.to_owned()),
        at,
    }
}

/// After a failed login: when this failure brings the account or the
/// address to its throttle limit, a signal — for every organisation the
/// account belongs to, or installation-wide for an address.
pub async fn after_failure(
    state: &AppState,
    email: &str,
    address: &str,
    failures_before: (i64, i64),
) -> Result<()> {
    let throttle = state.settings().throttle;
    let now = state.clock().now();
    let store = state.store();
    let (account, by_address) = failures_before;
    if account + 1 == throttle.per_account {
        let parsed = crate::domain::Email::parse(email).ok();
        let user = match parsed {
            Some(email) => store.user_id_by_email(&email).await?,
            None => None,
        };
        if let Some(user) = user {
            for membership in store.memberships_of(user).await? {
                let change = Change::new(
                    ACTION,
                    "login_failures",
                    user,
                    None,
                    Some(serde_json::json!({
                        "account": email,
                        "failures": account + 1,
                        "minutes": throttle.window.whole_minutes(),
                    })),
                );
                store
                    .record_event(
                        &meta(Some(membership.organisation_id), address, now),
                        &change,
                    )
                    .await?;
            }
        }
    }
    if by_address + 1 == throttle.per_address {
        let change = Change::new(
            ACTION,
            "login_failures",
            network_of(address),
            None,
            Some(serde_json::json!({
                "address": address,
                "failures": by_address + 1,
                "minutes": throttle.window.whole_minutes(),
            })),
        );
        store
            .record_event(&meta(None, address, now), &change)
            .await?;
    }
    Ok(())
}

/// Before a successful login is recorded: an administrator coming from a
/// network none of their earlier logins came from is a signal in each
/// organisation they administer.
pub async fn before_login(
    state: &AppState,
    user: UserId,
    email: &str,
    address: &str,
) -> Result<()> {
    let store = state.store();
    let administers: Vec<OrganisationId> = store
        .memberships_of(user)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Admin)
        .map(|m| m.organisation_id)
        .collect();
    if administers.is_empty() {
        return Ok(());
    }
    let known = store.login_addresses(user).await?;
    if !is_new_network(address, &known) {
        return Ok(());
    }
    let now = state.clock().now();
    for organisation in administers {
        let change = Change::new(
            ACTION,
            "login_location",
            user,
            None,
            Some(serde_json::json!({
                "account": email,
                "network": network_of(address),
            })),
        );
        store
            .record_event(&meta(Some(organisation), address, now), &change)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_grouped_by_network() {
        assert_eq!(network_of("192.0.2.10"), "192.0.2.0/24");
        assert_eq!(network_of("2001:db8:1:2::7"), "2001:db8:1::/48");
        assert_eq!(network_of("unknown"), "unknown");
        assert_eq!(
            network_of("::ffff:192.0.2.10"),
            "192.0.2.0/24",
            "an IPv4 address written as IPv6"
        );
        let known = vec!["192.0.2.10".to_owned(), "2001:db8:1:2::7".to_owned()];
        assert!(!is_new_network("192.0.2.200", &known), "same /24");
        assert!(is_new_network("198.51.100.1", &known));
        assert!(!is_new_network("2001:db8:1:ffff::1", &known), "same /48");
        assert!(is_new_network("2001:db8:2::1", &known));
        assert!(
            !is_new_network("198.51.100.1", &[]),
            "no history, no signal"
        );
    }
}

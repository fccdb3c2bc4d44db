//! The catalogue's views, computed from services and their channel
//! volumes: how the services spread over the maturity scale, how demand
//! shifts between channels over time, and which services still draw the
//! most requests through offline channels. Pure functions.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Channel, MATURITY_MAX, Service};
use crate::domain::ServiceId;

/// How many services sit at each level.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LevelCount {
    pub level: i64,
    pub services: i64,
}

/// Services per maturity level, every level listed (0 to 5).
pub fn distribution(services: &[Service]) -> Vec<LevelCount> {
    (0..=MATURITY_MAX)
        .map(|level| LevelCount {
            level,
            services: i64::try_from(services.iter().filter(|s| s.maturity == level).count())
                .unwrap_or(i64::MAX),
        })
        .collect()
}

/// One recorded volume: a service's requests through a channel in a
/// quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    pub service: ServiceId,
    /// E.g. `2026-Q3`; labels sort in time order.
    pub quarter: String,
    pub channel: Channel,
    pub value: f64,
}

/// All services' volumes of one quarter, per channel.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChannelQuarter {
    pub quarter: String,
    /// Per channel code, the summed volume.
    pub volumes: BTreeMap<String, f64>,
    pub total: f64,
    /// Online and app as a share of the total, in percent.
    pub digital_share: Option<f64>,
}

/// The channel shift: per quarter (oldest first), volumes per channel and
/// the digital share.
pub fn channel_shift(volumes: &[Volume]) -> Vec<ChannelQuarter> {
    let mut quarters: BTreeMap<&str, BTreeMap<String, f64>> = BTreeMap::new();
    for v in volumes {
        *quarters
            .entry(v.quarter.as_str())
            .or_default()
            .entry(v.channel.code().to_owned())
            .or_default() += v.value;
    }
    quarters
        .into_iter()
        .map(|(quarter, volumes)| {
            let total: f64 = volumes.values().sum();
            let digital: f64 = volumes
                .iter()
                .filter(|(code, _)| Channel::parse(code).is_ok_and(Channel::is_digital))
                .map(|(_, v)| v)
                .sum();
            ChannelQuarter {
                quarter: quarter.to_owned(),
                digital_share: (total > 0.0).then(|| digital * 100.0 / total),
                total,
                volumes,
            }
        })
        .collect()
}

/// A service with the volume it still draws offline.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OfflineVolume {
    pub service_id: ServiceId,
    pub name: String,
    pub maturity: i64,
    /// Requests by phone, at the counter and by post over the period.
    pub offline: f64,
    pub total: f64,
}

/// The services with the largest volume through offline channels over
/// the last `quarters` quarters that have data, largest first, at most
/// `limit`.
pub fn largest_offline(
    services: &[Service],
    volumes: &[Volume],
    quarters: usize,
    limit: usize,
) -> (Vec<String>, Vec<OfflineVolume>) {
    let mut recent: Vec<&str> = volumes.iter().map(|v| v.quarter.as_str()).collect();
    recent.sort_unstable();
    recent.dedup();
    let recent: Vec<String> = recent
        .iter()
        .rev()
        .take(quarters)
        .rev()
        .map(|q| (*q).to_owned())
        .collect();
    let mut out: Vec<OfflineVolume> = services
        .iter()
        .filter_map(|s| {
            let mine = volumes
                .iter()
                .filter(|v| v.service == s.id && recent.contains(&v.quarter));
            let (offline, total) = mine.fold((0.0, 0.0), |(off, all), v| {
                (
                    if v.channel.is_digital() {
                        off
                    } else {
                        off + v.value
                    },
                    all + v.value,
                )
            });
            (offline > 0.0).then(|| OfflineVolume {
                service_id: s.id,
                name: s.name.clone(),
                maturity: s.maturity,
                offline,
                total,
            })
        })
        .collect();
    out.sort_by(|a, b| b.offline.total_cmp(&a.offline).then(a.name.cmp(&b.name)));
    out.truncate(limit);
    (recent, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn service(id: i64, name: &str, maturity: i64) -> Service {
        Service {
            id: ServiceId(id),
            name: name.into(),
            description: String::new(),
            target_groups: Vec::new(),
            legal_basis: String::new(),
            owner_unit_id: None,
            lead_time_days: None,
            channels: Vec::new(),
            maturity,
            automation: String::new(),
            personalisation: String::new(),
            volume_indicator_id: None,
            indicator_ids: Vec::new(),
            initiative_ids: Vec::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn volume(service: i64, quarter: &str, channel: Channel, value: f64) -> Volume {
        Volume {
            service: ServiceId(service),
            quarter: quarter.into(),
            channel,
            value,
        }
    }

    #[test]
    fn every_level_is_counted() {
        let services = [service(1, "a", 0), service(2, "b", 3), service(3, "c", 3)];
        let counts: Vec<i64> = distribution(&services).iter().map(|c| c.services).collect();
        assert_eq!(counts, [1, 0, 0, 2, 0, 0]);
    }

    #[test]
    fn the_shift_sums_channels_per_quarter_and_the_offline_ranking_looks_at_recent_quarters() {
        let services = [service(1, "Paspoort", 1), service(2, "Parkeren", 4)];
        let volumes = [
            volume(1, "2026-Q1", Channel::Counter, 300.0),
            volume(1, "2026-Q1", Channel::Online, 100.0),
            volume(2, "2026-Q1", Channel::Online, 600.0),
            volume(1, "2026-Q2", Channel::Counter, 200.0),
            volume(1, "2026-Q2", Channel::Online, 200.0),
            volume(2, "2026-Q2", Channel::Phone, 50.0),
            volume(2, "2026-Q2", Channel::App, 550.0),
        ];
        let shift = channel_shift(&volumes);
        assert_eq!(shift.len(), 2);
        assert_eq!(shift[0].total, 1000.0);
        assert_eq!(shift[0].digital_share, Some(70.0));
        assert_eq!(shift[1].digital_share, Some(75.0));
        assert_eq!(shift[1].volumes["counter"], 200.0);
        let (quarters, ranking) = largest_offline(&services, &volumes, 1, 10);
        assert_eq!(quarters, ["2026-Q2"]);
        let names: Vec<(&str, f64)> = ranking
            .iter()
            .map(|r| (r.name.as_str(), r.offline))
            .collect();
        assert_eq!(names, [("Paspoort", 200.0), ("Parkeren", 50.0)]);
        assert!(channel_shift(&[]).is_empty());
    }
}

//! The page shell: what the layout around every page shows.

use crate::auth::{Actor, SessionContext};
use crate::domain::Permission;
use crate::i18n::Tr;
use crate::organisations::Membership;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct OrganisationChoice {
    pub slug: String,
    pub name: String,
    pub current: bool,
}

/// Sections of the navigation: (section id, path, label key, permission).
/// A capability adds its row here when it lands.
const SECTIONS: &[(&str, &str, &str, Permission)] = &[
    ("home", "/", "nav.home", Permission::ViewOrganisation),
    (
        "indicators",
        "/indicators",
        "nav.indicators",
        Permission::ViewOrganisation,
    ),
    (
        "programmes",
        "/programmes",
        "nav.programmes",
        Permission::ViewOrganisation,
    ),
    (
        "portfolio",
        "/portfolio",
        "nav.portfolio",
        Permission::ViewOrganisation,
    ),
    (
        "skills",
        "/skills",
        "nav.skills",
        Permission::ViewOrganisation,
    ),
    (
        "surveys",
        "/surveys",
        "nav.surveys",
        Permission::ViewSurveyResults,
    ),
    ("ideas", "/ideas", "nav.ideas", Permission::ViewOrganisation),
    (
        "services",
        "/services",
        "nav.services",
        Permission::ViewOrganisation,
    ),
    (
        "reports",
        "/reports",
        "nav.reports",
        Permission::MakeBoardReports,
    ),
    ("units", "/units", "nav.units", Permission::ViewOrganisation),
    (
        "people",
        "/admin/users",
        "nav.people",
        Permission::ViewPeople,
    ),
    (
        "organisation",
        "/admin/organisation",
        "nav.organisation",
        Permission::ManageOrganisation,
    ),
    ("audit", "/admin/audit", "nav.audit", Permission::ViewAudit),
];

#[derive(Debug, Clone)]
pub struct Shell {
    pub t: Tr,
    pub title: String,
    pub csrf_token: String,
    pub signed_in: bool,
    pub user_name: String,
    pub organisation_name: String,
    pub role_label: String,
    pub organisations: Vec<OrganisationChoice>,
    pub nav: Vec<NavItem>,
    pub section: String,
    pub flash: Option<String>,
    /// Unread notifications (signed in only).
    pub unread: i64,
}

impl Shell {
    pub fn signed_in(
        t: Tr,
        title: &str,
        section: &str,
        session: &SessionContext,
        memberships: &[Membership],
        actor: &Actor,
        flash: Option<String>,
    ) -> Self {
        let mut nav: Vec<NavItem> = SECTIONS
            .iter()
            .filter(|(_, _, _, permission)| actor.can(*permission))
            .map(|(id, href, label, _)| NavItem {
                href,
                label: t.get(label),
                current: *id == section,
            })
            .collect();
        if actor.is_platform_admin {
            nav.push(NavItem {
                href: "/platform/organisations",
                label: t.get("nav.platform"),
                current: section == "platform",
            });
        }
        let organisations = memberships
            .iter()
            .map(|m| OrganisationChoice {
                slug: m.organisation_slug.clone(),
                name: m.organisation_name.clone(),
                current: m.organisation_id == session.organisation_id,
            })
            .collect();
        Shell {
            t,
            title: title.to_owned(),
            csrf_token: session.csrf_token.clone(),
            signed_in: true,
            user_name: session.user_name.clone(),
            organisation_name: session.organisation_name.clone(),
            role_label: t.get(&format!("role.{}", session.role.code())).to_owned(),
            organisations,
            nav,
            section: section.to_owned(),
            flash,
            unread: 0,
        }
    }

    pub fn public(t: Tr, title: &str, csrf_token: &str, session: Option<&SessionContext>) -> Self {
        Shell {
            t,
            title: title.to_owned(),
            csrf_token: csrf_token.to_owned(),
            signed_in: session.is_some(),
            user_name: session.map(|s| s.user_name.clone()).unwrap_or_default(),
            organisation_name: session
                .map(|s| s.organisation_name.clone())
                .unwrap_or_default(),
            role_label: String::new(),
            organisations: Vec::new(),
            nav: Vec::new(),
            section: String::new(),
            flash: None,
            unread: 0,
        }
    }
}

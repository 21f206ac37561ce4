//! Who may do what, where: the roles of a plan's monitoring system and the one rule that
//! decides every request (`allows`). Pure: the web crate asks it for every handler, the
//! store only keeps the grants.
//!
//! The parties (`shared/spec/system.md`): the committee office (妇儿工委办) runs its
//! region's plans and system; the statistics bureau (统计局) reviews data and edits the
//! indicator system; each member unit's reporter sees and fills its own department's
//! indicators; leaders and third-party evaluators read; the level above reads its
//! sub-regions. A region is known by its path ("广东省/河源市/连平县"), so "a sub-region of"
//! is a prefix test that needs no database.

use serde::{Deserialize, Serialize};

/// A role a user holds on a region (系统管理员 on every region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: everything, everywhere; creates the offices' accounts.
    Admin,
    /// 妇儿工委办: manages its region's plans, indicator system, member units, users and
    /// reporting rounds; reads its sub-regions.
    Office,
    /// 统计局审核: reviews reported data, edits the indicator system; reads its sub-regions.
    Bureau,
    /// 成员单位填报: a department's reporter; sees and fills only its department's
    /// indicators.
    Reporter,
    /// 查看: leaders and third-party evaluators; read-only, sub-regions included.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Office,
        Role::Bureau,
        Role::Reporter,
        Role::Viewer,
    ];

    /// The word stored in the database and typed at the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::Bureau => "bureau",
            Role::Reporter => "reporter",
            Role::Viewer => "viewer",
        }
    }

    /// What the pages call it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Office => "妇儿工委办",
            Role::Bureau => "统计局审核",
            Role::Reporter => "成员单位填报",
            Role::Viewer => "查看",
        }
    }

    /// A role by its code or its Chinese name (as people type either).
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL.into_iter().find(|r| {
            r.code().eq_ignore_ascii_case(s)
                || r.label() == s
                || (*r == Role::Office && (s == "妇儿工委办公室" || s == "工委办"))
                || (*r == Role::Bureau && (s == "统计局" || s == "统计局审核员"))
                || (*r == Role::Reporter && (s == "成员单位" || s == "填报"))
        })
    }

    /// Whether the role is held on a region (all but the administrator's).
    pub fn needs_region(self) -> bool {
        self != Role::Admin
    }

    /// Whether the role is held for one member unit of its region (the reporter's).
    pub fn needs_unit(self) -> bool {
        self == Role::Reporter
    }
}

/// A role held by a user: on a region (by id and path), for a member unit when it is a
/// reporter's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub region_id: Option<i64>,
    /// "广东省/河源市/连平县"; `None` for the administrator.
    pub region_path: Option<String>,
    pub unit_id: Option<i64>,
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Reads only, whatever the user's roles allow.
    Read,
    /// Reads and writes, as far as the user's roles allow.
    Write,
}

impl TokenScope {
    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            TokenScope::Read => "只读",
            TokenScope::Write => "读写",
        }
    }
    pub fn parse(s: &str) -> Option<TokenScope> {
        match s.trim() {
            "read" | "只读" => Some(TokenScope::Read),
            "write" | "读写" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// Something a request wants to do on a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The region's pages: dashboard, plans, sources, overview, indicator system (read).
    ReadRegion,
    /// One member unit's indicators of the region (what its reporter works on).
    ReadUnit(i64),
    /// Change the indicator system: add, edit, map, retire targets.
    EditSystem,
    /// Change the member units and which units a target is assigned to.
    ManageUnits,
    /// Create the region's users, give and take their roles, reset their passwords.
    ManageUsers,
    /// Import and replace the region's plans.
    ManagePlans,
    /// Open, close and reopen reporting rounds.
    ManageRounds,
    /// Review (approve or return) reported data.
    ReviewData,
    /// Fill and submit one member unit's data.
    ReportData(i64),
    /// Read the region's audit log.
    ReadAudit,
    /// Publish a report of the region (发布): freeze it and make it readable without login.
    /// The office's alone (and the administrator's): the plans give publishing to the
    /// committee, whose office runs it; the statistics bureau writes the monitoring reports
    /// (and downloads them like every reader) but hands them to the office to publish, so
    /// that one party answers for what the public reads.
    Publish,
}

impl Action {
    /// Whether the action changes anything (a read-only token may not).
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Action::ReadRegion | Action::ReadUnit(_) | Action::ReadAudit
        )
    }
}

/// The region an action is on: its id and its path.
#[derive(Debug, Clone, Copy)]
pub struct RegionRef<'a> {
    pub id: i64,
    pub path: &'a str,
}

/// Whether `region` is `root` or lies under it.
pub fn within(region: &str, root: &str) -> bool {
    region == root
        || (region.len() > root.len()
            && region.starts_with(root)
            && region.as_bytes()[root.len()] == b'/')
}

/// Whether any of `grants` allows `action` on `region`. The one rule every request goes
/// through; the table it implements is written out in the web crate's attacker test.
pub fn allows(grants: &[Grant], action: Action, region: RegionRef<'_>) -> bool {
    grants.iter().any(|g| grant_allows(g, action, region))
}

fn grant_allows(g: &Grant, action: Action, region: RegionRef<'_>) -> bool {
    if g.role == Role::Admin {
        return true;
    }
    let Some(root) = g.region_path.as_deref() else {
        return false;
    };
    let own = g.region_id == Some(region.id);
    let below = within(region.path, root);
    match g.role {
        Role::Admin => true,
        Role::Office => match action {
            Action::ReadRegion | Action::ReadUnit(_) => below,
            Action::EditSystem
            | Action::ManageUnits
            | Action::ManageUsers
            | Action::ManagePlans
            | Action::ManageRounds
            | Action::ReadAudit
            | Action::Publish => own,
            Action::ReviewData | Action::ReportData(_) => false,
        },
        Role::Bureau => match action {
            Action::ReadRegion | Action::ReadUnit(_) => below,
            Action::EditSystem | Action::ReviewData | Action::ManageRounds => own,
            _ => false,
        },
        Role::Reporter => match action {
            Action::ReadUnit(unit) | Action::ReportData(unit) => own && g.unit_id == Some(unit),
            _ => false,
        },
        Role::Viewer => match action {
            Action::ReadRegion | Action::ReadUnit(_) => below,
            _ => false,
        },
    }
}

/// Whether the grants make the user an administrator.
pub fn is_admin(grants: &[Grant]) -> bool {
    grants.iter().any(|g| g.role == Role::Admin)
}

/// The member units whose indicators the grants let the user see in `region` when it may
/// not read the whole region (a reporter's own departments).
pub fn own_units(grants: &[Grant], region_id: i64) -> Vec<i64> {
    let mut units: Vec<i64> = grants
        .iter()
        .filter(|g| g.role == Role::Reporter && g.region_id == Some(region_id))
        .filter_map(|g| g.unit_id)
        .collect();
    units.sort_unstable();
    units.dedup();
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, id: i64, path: &str, unit: Option<i64>) -> Grant {
        Grant {
            role,
            region_id: Some(id),
            region_path: Some(path.to_string()),
            unit_id: unit,
        }
    }

    const COUNTY: RegionRef<'static> = RegionRef {
        id: 3,
        path: "广东省/河源市/连平县",
    };
    const CITY: RegionRef<'static> = RegionRef {
        id: 2,
        path: "广东省/河源市",
    };
    const NAMESAKE_PREFIX: RegionRef<'static> = RegionRef {
        id: 9,
        path: "广东省/河源市区",
    };

    #[test]
    fn the_city_office_reads_its_counties_but_manages_only_its_own() {
        let g = [grant(Role::Office, 2, "广东省/河源市", None)];
        assert!(allows(&g, Action::ReadRegion, COUNTY));
        assert!(!allows(&g, Action::EditSystem, COUNTY));
        assert!(allows(&g, Action::EditSystem, CITY));
        assert!(!allows(&g, Action::ReadRegion, NAMESAKE_PREFIX));
    }

    #[test]
    fn a_county_role_never_reaches_the_level_above() {
        for role in [Role::Office, Role::Bureau, Role::Viewer, Role::Reporter] {
            let g = [grant(role, 3, "广东省/河源市/连平县", Some(7))];
            assert!(!allows(&g, Action::ReadRegion, CITY), "{role:?}");
        }
    }

    #[test]
    fn a_reporter_reaches_only_its_own_unit() {
        let g = [grant(Role::Reporter, 3, "广东省/河源市/连平县", Some(7))];
        assert!(allows(&g, Action::ReadUnit(7), COUNTY));
        assert!(allows(&g, Action::ReportData(7), COUNTY));
        assert!(!allows(&g, Action::ReadUnit(8), COUNTY));
        assert!(!allows(&g, Action::ReadRegion, COUNTY));
        assert_eq!(own_units(&g, 3), vec![7]);
    }

    #[test]
    fn only_the_office_publishes_and_only_its_own_region() {
        let office = [grant(Role::Office, 2, "广东省/河源市", None)];
        assert!(allows(&office, Action::Publish, CITY));
        assert!(
            !allows(&office, Action::Publish, COUNTY),
            "not a sub-region's"
        );
        for role in [Role::Bureau, Role::Viewer, Role::Reporter] {
            let g = [grant(role, 2, "广东省/河源市", Some(7))];
            assert!(!allows(&g, Action::Publish, CITY), "{role:?}");
        }
        let admin = [Grant {
            role: Role::Admin,
            region_id: None,
            region_path: None,
            unit_id: None,
        }];
        assert!(allows(&admin, Action::Publish, COUNTY));
        assert!(Action::Publish.is_write());
    }

    #[test]
    fn roles_parse_from_codes_and_chinese_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
            assert_eq!(Role::parse(r.label()), Some(r));
        }
        assert_eq!(Role::parse("统计局"), Some(Role::Bureau));
        assert_eq!(Role::parse("局长"), None);
    }

    #[test]
    fn within_is_a_path_prefix_at_a_boundary() {
        assert!(within("广东省/河源市/连平县", "广东省/河源市"));
        assert!(within("广东省", "广东省"));
        assert!(!within("广东省/河源市区", "广东省/河源市"));
        assert!(!within("广东省", "广东省/河源市"));
    }
}

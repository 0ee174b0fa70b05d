//! The one list of views. Each entry gives the view's place in IA's
//! navigation tree (its label and the container it sits in), its `--view`
//! name, and its state type; the navigation, `gui --view`, the app's
//! dispatch and the snapshot, clipping and accessibility tests all iterate
//! this list, so a view added here is in all of them the day it exists.
//!
//! To add a view: one line below, a file in `ui/views/` with a type that
//! implements `View` and `Default`, and its help page
//! `docs/help/<view-name>.md` (F1 opens it; the compiler names the file
//! until it exists, and the core's help lists every page in that folder).

use super::View;

macro_rules! views {
    ($($nav:ident => $field:ident: $ty:ty, $label:literal, $name:literal, $group:expr;)*) => {
        // Every view has its help page, named by its `--view` name: a
        // missing one stops the build with the file's path.
        $(const _: &str = include_str!(concat!("../../../docs/help/", $name, ".md"));)*

        /// A view of the console (a node of IA's navigation tree).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Nav {
            $($nav,)*
        }

        impl Nav {
            /// Every view, in navigation order.
            pub const ALL: &'static [Nav] = &[$(Nav::$nav,)*];

            /// The words in the navigation tree.
            pub fn label(self) -> &'static str {
                match self {
                    $(Nav::$nav => $label,)*
                }
            }

            /// The name `gui --view` takes (and snapshot files carry).
            pub fn name(self) -> &'static str {
                match self {
                    $(Nav::$nav => $name,)*
                }
            }

            /// The container it sits in, as IA's People holds Users.
            pub fn group(self) -> Option<&'static str> {
                match self {
                    $(Nav::$nav => $group,)*
                }
            }
        }

        /// The state of every view, one of each.
        #[derive(Default)]
        pub struct Views {
            $(pub $field: $ty,)*
        }

        impl Views {
            /// The first view holding changes that are not in the document,
            /// and what it says of them.
            pub fn held_changes(&self) -> Option<(Nav, &'static str)> {
                use super::View;
                $(if let Some(what) = self.$field.held_changes() {
                    return Some((Nav::$nav, what));
                })*
                None
            }

            /// The view to draw for a navigation node.
            pub fn get_mut(&mut self, nav: Nav) -> &mut dyn View {
                match nav {
                    $(Nav::$nav => &mut self.$field,)*
                }
            }
        }
    };
}

views! {
    LicenseManagement => license_view: super::license::LicenseView, "License Management", "license", None;
    LicensesAllocation => allocation_view: super::allocation::AllocationView, "Licenses Allocation", "allocation", None;
    Users => users_view: super::users::UsersView, "Users", "users", Some("People");
    Workgroups => workgroups_view: super::workgroups::WorkgroupsView, "Workgroups", "workgroups", Some("People");
    Roles => roles_view: super::roles::RolesView, "Roles", "roles", Some("People");
    Stations => stations_view: super::stations::StationsView, "Stations", "stations", None;
    LicenseStatistics => statistics_view: super::statistics::StatisticsView, "License Statistics", "statistics", None;
    CloudEnforcement => enforcement_view: super::enforcement::EnforcementView, "Cloud Enforcement", "enforcement", None;
    UsageBilling => usage_view: super::usage::UsageView, "Usage & Billing", "usage", None;
    UsageHistory => history_view: super::history::HistoryView, "Usage History", "history", None;
    CloudEstimate => cloud_view: super::cloud::CloudView, "Genesys Cloud estimate", "cloud", None;
    ChangeLog => changelog_view: super::changelog::ChangeLogView, "Change Log", "changelog", None;
    Policies => policies_view: super::policies::PoliciesView, "Policies", "policies", None;
    Reclaim => reclaim_view: super::reclaim::ReclaimView, "Reclaim Licenses", "reclaim", None;
    Account => account_view: super::account::AccountView, "Account", "account", None;
}

impl Nav {
    /// The view a `--view` name names (ignoring case).
    pub fn from_name(name: &str) -> Option<Nav> {
        Nav::ALL
            .iter()
            .copied()
            .find(|n| n.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Every `--view` name, for help and error messages.
    pub fn names() -> Vec<&'static str> {
        Nav::ALL.iter().map(|n| n.name()).collect()
    }
}

/// A `gui --view` name that is not in the list above.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown view `{0}`; use one of {names}", names = Nav::names().join(", "))]
pub struct UnknownView(pub String);

/// `gui --view NAME`: a name from the list above.
pub fn parse_view_name(text: &str) -> Result<Nav, UnknownView> {
    Nav::from_name(text).ok_or_else(|| UnknownView(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::Nav;

    #[test]
    fn names_and_labels_are_unique() {
        for (i, a) in Nav::ALL.iter().enumerate() {
            for b in &Nav::ALL[i + 1..] {
                assert_ne!(a.name(), b.name());
                assert_ne!(a.label(), b.label());
            }
            assert_eq!(Nav::from_name(a.name()), Some(*a));
        }
    }
}

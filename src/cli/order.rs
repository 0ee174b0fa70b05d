//! The order `license new` and `account generate` describe on the command
//! line: the parts, licenses and features asked for, and the readings of
//! the aliases among them. Both commands read it here (neither reads the
//! other's module).

use super::args::NewArgs;
use super::{Failure, today};
use crate::core::catalog;
use crate::core::license::format::Switchover;
use crate::core::license::generate::Order;

/// The order a `license new` / `account generate` describes.
pub(super) fn order_from(args: &NewArgs) -> Result<Order, Failure> {
    let switchover = match (&args.switchover_host_id, &args.switchover_machine) {
        (Some(host_id), Some(machine_name)) => Some(Switchover {
            host_id: host_id.clone(),
            machine_name: machine_name.clone(),
        }),
        (None, None) => None,
        _ => {
            return Err(Failure::refused(
                "give both --switchover-host-id and --switchover-machine, or neither",
            ));
        }
    };
    Ok(Order {
        level: args.level,
        product_version: args.product_version.clone(),
        host_id: args.host_id.clone(),
        machine: args.machine.clone(),
        switchover,
        system_type: args.system_type.clone(),
        mail_connector: args.mail_connector.clone(),
        company: args.company.clone(),
        install_site: args.install_site.clone(),
        generated_by: args.generated_by.clone(),
        generated: args.generated.unwrap_or_else(today),
        expires: args.expires,
        parts: args.parts.clone(),
        licenses: args.licenses.clone(),
        features: args.features.clone(),
        ramp_date: args.ramp_date,
        grace_days: args.grace_days,
        partner_development: args.non_ordered,
    })
}

/// The readings of the aliases among the keys of an order (`--license`
/// and `--feature`).
pub(super) fn given_readings(args: &NewArgs) -> Vec<&'static str> {
    let licenses = args.licenses.iter().map(|l| l.name.as_str());
    catalog::alias_readings(licenses.chain(args.features.iter().map(String::as_str)))
}

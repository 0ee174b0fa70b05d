//! `demo generate`: a license and workspace of any size.

use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::core::text::safe;

pub(super) fn run_generate(
    users: u64,
    stations: u64,
    workgroups: u64,
    seed: u64,
    events: Option<u64>,
    history_days: Option<u64>,
    out: &Path,
) -> Result<ExitCode, Failure> {
    use crate::core::demo_generate as scale;
    // The ranges are clap's (10 million users or stations at most), so
    // these fit a usize on every platform this builds for.
    let size = |n: u64| usize::try_from(n).map_err(|_| Failure::refused("that is more than this machine can hold"));
    let (users, stations, workgroups) = (size(users)?, size(stations)?, size(workgroups)?);
    let events = events.map(size).transpose()?;
    let history_days = history_days.map(size).transpose()?;
    let g = scale::generate(scale::Size {
        users,
        stations,
        workgroups,
        seed,
    })?;
    crate::core::fs::create_dir_all(out)?;
    let write = |name: &str, bytes: &[u8]| -> Result<(), Failure> {
        Ok(crate::core::fs::atomic_write(&out.join(name), bytes)?)
    };
    write("license.I3Lic", g.license_text.as_bytes())?;
    let ws = serde_json::to_vec(&g.workspace)?;
    write("workspace.ialws", &ws)?;
    if let Some(n) = events {
        let ev = scale::events(users, n, seed);
        write("events.json", &serde_json::to_vec(&ev)?)?;
    }
    if let Some(days) = history_days.filter(|d| *d > 0) {
        use crate::core::dates;
        let dir = out.join("history");
        crate::core::fs::create_dir_all(&dir)?;
        let first = scale::history_start();
        let last = dates::add_days(first, i64::try_from(days).unwrap_or(i64::MAX).saturating_sub(1))?;
        let mut month = first;
        while month <= last {
            let next = dates::first_of_next_month(month)?;
            let end = dates::previous_day(next)?.min(last);
            let ev = scale::history_events(users, month, end, seed);
            let file = dir.join(format!("{}.json", month.format("%Y-%m")));
            crate::core::fs::atomic_write(&file, &serde_json::to_vec(&ev)?)?;
            month = next;
        }
        eprintln!(
            "wrote {days} days of usage history to {}",
            safe(&dir.display().to_string())
        );
    }
    eprintln!("{}", crate::core::license::DEMO_BANNER);
    eprintln!(
        "wrote {} and workspace.ialws ({users} users, {stations} stations, {workgroups} workgroups){}",
        safe(&out.join("license.I3Lic").display().to_string()),
        if events.is_some() { " and events.json" } else { "" }
    );
    Ok(ExitCode::SUCCESS)
}

//! `demo generate`: a license and workspace of any size.

use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::core::text::safe;

pub(super) fn run_generate(
    users: usize,
    stations: usize,
    workgroups: usize,
    seed: u64,
    events: Option<usize>,
    history_days: Option<usize>,
    out: &Path,
) -> Result<ExitCode, Failure> {
    use crate::core::demo::generate as scale;
    const MAX: usize = 10_000_000;
    if users > MAX
        || stations > MAX
        || workgroups > 1_000_000
        || events.is_some_and(|e| e > 100_000_000)
        || history_days.is_some_and(|d| d > 3 * 366)
    {
        return Err(Failure::refused(
            "that is more than this generator makes (10 million users or stations)",
        ));
    }
    let g = scale::generate(scale::Size {
        users,
        stations,
        workgroups,
        seed,
    })?;
    crate::core::fs::create_dir_all(out).map_err(Failure::refused)?;
    let write = |name: &str, bytes: &[u8]| -> Result<(), Failure> {
        crate::core::fs::atomic_write(&out.join(name), bytes).map_err(Failure::refused)
    };
    write("license.I3Lic", g.license_text.as_bytes())?;
    let ws = serde_json::to_vec(&g.workspace).map_err(|e| e.to_string())?;
    write("workspace.ialws", &ws)?;
    if let Some(n) = events {
        let ev = scale::events(users, n, seed);
        write("events.json", &serde_json::to_vec(&ev).map_err(|e| e.to_string())?)?;
    }
    if let Some(days) = history_days.filter(|d| *d > 0) {
        use chrono::{Datelike, Duration};
        let dir = out.join("history");
        crate::core::fs::create_dir_all(&dir).map_err(Failure::refused)?;
        let first = scale::history_start();
        let last = first + Duration::days(days as i64 - 1);
        let mut month = first;
        while month <= last {
            let next = (month.with_day(1).unwrap_or(month) + Duration::days(32))
                .with_day(1)
                .unwrap_or(last);
            let end = (next - Duration::days(1)).min(last);
            let ev = scale::history_events(users, month, end, seed);
            let name = format!("history/{}.json", month.format("%Y-%m"));
            write(&name, &serde_json::to_vec(&ev).map_err(|e| e.to_string())?)?;
            month = next;
        }
        eprintln!(
            "wrote {days} days of usage history to {}",
            safe(&dir.display().to_string())
        );
    }
    eprintln!("{}", crate::core::license::DEMO_BANNER);
    eprintln!(
        "wrote {}/license.I3Lic and workspace.ialws ({users} users, {stations} stations, {workgroups} workgroups){}",
        safe(&out.display().to_string()),
        if events.is_some() { " and events.json" } else { "" }
    );
    Ok(ExitCode::SUCCESS)
}

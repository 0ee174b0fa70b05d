//! The full recount of the `policies 100000` bench's data with and without
//! its 50 rules, alternating in one process (so both see the same machine),
//! for the ratio and for profiling: `cargo run --release --example
//! policyprobe [ROUNDS]`.

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ia_licensing::core::engine::Engine;
use ia_licensing::core::workspace::Workspace;

#[allow(
    clippy::too_many_lines,
    reason = "a measuring script run by hand: one sequence of timed steps"
)]
fn main() {
    use ia_licensing::core::demo_generate::{self as generate, Size};
    let g = generate::generate(Size {
        users: 100_000,
        stations: 100_000,
        workgroups: 2_000,
        seed: 7,
    })
    .expect("generate");
    let store = ia_licensing::core::license::TrustStore::with_demo();
    let license = ia_licensing::core::license::License::load_bytes(
        g.license_text.as_bytes(),
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    let mut value = g.workspace;
    if let Some(users) = value["users"].as_array_mut() {
        for (i, u) in users.iter_mut().enumerate() {
            let role = ["Agent", "Supervisor", "Back office", "Agent", "Agent"][i % 5];
            u["roles"] = serde_json::json!([role]);
        }
    }
    // The bench's rule mix (benches/scale.rs, "policies 100000").
    let policies: Vec<serde_json::Value> = (0..50)
        .map(|i| match i % 5 {
            0 => serde_json::json!({"name": format!("p{i}"), "match": {"role": "Agent", "workgroup": format!("WG-{:04}", i * 40)},
                                     "grant": {"licenses": ["I3_ACCESS_CLIENT"], "acd": {}}}),
            1 => serde_json::json!({"name": format!("p{i}"), "match": {"role": "Supervisor"},
                                     "grant": {"licenses": ["I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN"]}}),
            2 => serde_json::json!({"name": format!("p{i}"), "match": {"id_pattern": format!("user0{:02}*", i)},
                                     "grant": {"licenses": ["I3_ACCESS_FEEDBACK"]}}),
            3 => serde_json::json!({"name": format!("p{i}"), "match": {"station_type": "workstation", "id_pattern": format!("*{:02}", i)},
                                     "grant": {"licenses": ["I3_LICENSE_BASIC_STATION"]}}),
            _ => serde_json::json!({"name": format!("p{i}"), "match": {"workgroup": format!("WG-{:04}", i * 30)},
                                     "grant": {"licenses": ["I3_ACCESS_CLIENT"]}}),
        })
        .collect();
    let without = Workspace::from_value(value.clone()).expect("workspace");
    value["policies"] = serde_json::Value::Array(policies);
    let with = Workspace::from_value(value).expect("workspace");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    // For profiling the users' rules with the policies only.
    if let Some(n) = std::env::var("PROBE_USERS_ONLY")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        use ia_licensing::core::rules::{self, coverage::AcdStations, lookups::Lookups};
        let shift = AcdStations::of(&with);
        let mut out = Vec::new();
        let stations = std::env::var_os("PROBE_STATIONS").is_some();
        for _ in 0..n {
            let mut lookups = Lookups::new(&with);
            if stations {
                for s in with.stations() {
                    rules::station_diagnostics_with(s, &mut lookups, &mut out);
                    out.clear();
                }
                continue;
            }
            for u in with.users() {
                rules::user_diagnostics_with(u, &mut lookups, &shift, &mut out);
                out.clear();
            }
        }
        return;
    }
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(15);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let only_with = std::env::var_os("PROBE_WITH_ONLY").is_some();
    let only_without = std::env::var_os("PROBE_WITHOUT_ONLY").is_some();
    for _ in 0..rounds {
        if !only_without {
            let t = std::time::Instant::now();
            let e = Engine::build(&with, &license, today);
            a.push(t.elapsed().as_secs_f64() * 1e3);
            drop(e);
        }
        if only_with {
            continue;
        }
        let t = std::time::Instant::now();
        let e = Engine::build(&without, &license, today);
        b.push(t.elapsed().as_secs_f64() * 1e3);
        drop(e);
    }
    // The policy work alone: judging every subject through the index.
    if std::env::var_os("PROBE_RECOUNT_ONLY").is_none() {
        use ia_licensing::core::policy::{Plan, PolicyIndex, judge_station_indexed, judge_user_indexed};
        let mut index = PolicyIndex::new(&with.policies);
        let mut rules = Vec::new();
        let (mut judged, mut changes) = (0, 0);
        let t = std::time::Instant::now();
        for u in with.users() {
            let mut plan = Plan::default();
            if judge_user_indexed(&with, u, &mut index, &mut rules, &mut plan) {
                judged += 1;
                changes += plan.changes.len();
            }
        }
        for s in with.stations() {
            let mut plan = Plan::default();
            if judge_station_indexed(&with, s, &mut index, &mut rules, &mut plan) {
                judged += 1;
                changes += plan.changes.len();
            }
        }
        eprintln!(
            "judging alone: {:.1} ms ({judged} subjects matched, {changes} drift)",
            t.elapsed().as_secs_f64() * 1e3
        );
        let t = std::time::Instant::now();
        let mut found = 0;
        for u in with.users() {
            index.user_rules(&with.policies, u, &mut rules);
            found += rules.len();
        }
        for s in with.stations() {
            index.station_rules(&with.policies, s, &mut rules);
            found += rules.len();
        }
        eprintln!(
            "finding the rules alone: {:.1} ms ({found})",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    // The subject rules alone (what the recount's two threads run), with
    // and without the rules: diagnostics made, not stored.
    let measured: &[(&str, &Workspace)] = if std::env::var_os("PROBE_RECOUNT_ONLY").is_some() {
        &[]
    } else {
        &[("with", &with), ("without", &without)]
    };
    for &(name, ws) in measured {
        use ia_licensing::core::rules::{self, coverage::AcdStations, lookups::Lookups};
        let shift = AcdStations::of(ws);
        let mut best = (f64::MAX, f64::MAX);
        let mut n = (0, 0);
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let mut lookups = Lookups::new(ws);
            let mut out = Vec::new();
            n.0 = 0;
            for u in ws.users() {
                rules::user_diagnostics_with(u, &mut lookups, &shift, &mut out);
                n.0 += out.len();
                out.clear();
            }
            best.0 = best.0.min(t.elapsed().as_secs_f64() * 1e3);
            let t = std::time::Instant::now();
            let mut lookups = Lookups::new(ws);
            n.1 = 0;
            for s in ws.stations() {
                rules::station_diagnostics_with(s, &mut lookups, &mut out);
                n.1 += out.len();
                out.clear();
            }
            best.1 = best.1.min(t.elapsed().as_secs_f64() * 1e3);
        }
        eprintln!(
            "subject rules {name}: users {:.1} ms ({} diagnostics), stations {:.1} ms ({})",
            best.0, n.0, best.1, n.1
        );
    }
    let q = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0.0)
    };
    let (a25, a50) = (q(&mut a, 0.25), q(&mut a, 0.5));
    let (b25, b50) = (q(&mut b, 0.25), q(&mut b, 0.5));
    eprintln!("recount with 50 rules: p25 {a25:.1} ms, median {a50:.1} ms");
    eprintln!("recount without:       p25 {b25:.1} ms, median {b50:.1} ms");
    eprintln!("ratio: p25 {:.2}, median {:.2}", a25 / b25, a50 / b50);
}

#![no_main]
//! The Genesys Cloud estimate's inputs: any bytes as a day's logged-on
//! BLOB (decoded or refused, never a panic; what decodes encodes back to
//! the same spans), and any text as a mapping, price list or waves file
//! (parsed or refused with a path); whatever is accepted runs the estimate
//! on the demo workspace, where concurrent never exceeds named.

use ia_licensing_core::cloud::{self, CloudPrices, CloudSettings, EstimateInput, Rule, Wave, files};
use ia_licensing_core::history::Logons;
use ia_licensing_core::history::logons::{self, DayLogons};
use ia_licensing_core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut users = Vec::new();
    if logons::decode(data, &mut |id, spans| {
        users.push((id, spans.to_vec()));
        Ok(())
    })
    .is_ok()
    {
        let mut again = Vec::new();
        let slices: Vec<(i64, &[logons::Span])> = users.iter().map(|(i, s): &(i64, Vec<logons::Span>)| (*i, s.as_slice())).collect();
        logons::decode(&logons::encode(&slices), &mut |id, spans| {
            again.push((id, spans.to_vec()));
            Ok(())
        })
        .expect("what decodes encodes");
        assert_eq!(again, users);
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut settings = CloudSettings::default();
    if let Ok(rules) = files::parse::<Vec<Rule>>(text, "mapping file")
        && cloud::mapping::problems(&rules, "$").is_empty()
    {
        settings.mapping = Some(rules);
    }
    if let Ok(prices) = files::parse::<CloudPrices>(text, "price list file")
        && prices.problems("$").is_empty()
    {
        settings.prices = Some(prices);
    }
    if let Ok(waves) = files::parse::<Vec<Wave>>(text, "waves file")
        && cloud::waves::problems(&waves, "$").is_empty()
    {
        settings.waves = waves;
    }
    if settings.is_default() {
        return;
    }
    let ws = Workspace::from_json(ia_licensing_core::demo::DEMO_WORKSPACE).expect("demo workspace");
    let names: Vec<String> = ws.users().iter().take(40).map(|u| u.id.clone()).collect();
    let from = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let mut day = DayLogons::new(from);
    for (i, _) in names.iter().enumerate() {
        let start = (i as u16 * 17) % 1200;
        day.push(i as u32, &[[start, start + 45 + i as u16]]);
    }
    let l = Logons {
        names,
        days: vec![day],
        ..Default::default()
    };
    let est = cloud::estimate(
        &EstimateInput {
            ws: &ws,
            settings: &settings,
            logons: &l,
            from,
            to: from,
            history: (from, from),
        },
        &|_, _| {},
    );
    for p in &est.periods {
        for (lic, n) in &p.concurrent {
            assert!(*n <= p.named.get(lic).copied().unwrap_or(0), "{lic}");
        }
    }
});

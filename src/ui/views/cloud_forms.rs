//! The Genesys Cloud estimate's settings forms: the mapping table, the
//! price list and contract, and the waves, drawn over the drafts of
//! `cloud_edit` (which holds them and turns them into settings).

use crate::ui::drop_down::DropDown as _;
use chrono::Datelike;

use super::cloud_edit::{Editor, RuleDraft, WaveDraft};
use crate::core::catalog;
use crate::core::cloud::{CloudLicense, Conditions, Rule, RuleUse, default_mapping};
use crate::core::workspace::MediaType;

/// Draws the mapping table (assumptions marked, users per rule) and the
/// selected rule's fields; true when anything changed.
pub fn mapping_ui(ui: &mut egui::Ui, ed: &mut Editor, uses: Option<&[RuleUse]>) -> bool {
    let mut changed = false;
    ui.weak(
        "Each rule gives a Genesys Cloud license to the users it matches. A user matching several gets the \
         highest level (the dearer when both have a price, else the lower row's) and every add-on; of rules \
         giving the same level, the first matching row is the one credited.",
    );
    let amber = crate::ui::widgets::warning_amber(ui);
    let mut action: Option<(usize, i32)> = None;
    let mut relicensed: Option<usize> = None;
    let shipped = default_mapping();
    let shipped_reasons: Vec<&str> = shipped.iter().map(|r| r.reason.trim()).collect();
    ui.push_id("cloud-mapping-scroll", |ui| {
        egui::Grid::new("cloud-mapping").striped(true).show(ui, |ui| {
            ui.strong("Rule");
            ui.strong("Genesys Cloud license");
            ui.strong("When the user");
            ui.strong("Users").on_hover_text("Workspace users this rule decided");
            ui.strong("");
            ui.strong("");
            ui.end_row();
            for (i, r) in ed.rules.iter_mut().enumerate() {
                let selected = ed.selected == Some(i);
                if ui.selectable_label(selected, r.name.as_str()).clicked() {
                    ed.selected = if selected { None } else { Some(i) };
                }
                let before = r.license;
                egui::ComboBox::from_id_salt(("cloud-rule-license", i))
                    .selected_text(r.license.short())
                    .drop_down(ui, |ui| {
                        for l in CloudLicense::ALL {
                            changed |= ui.selectable_value(&mut r.license, l, l.short()).changed();
                        }
                    })
                    .response
                    // Every row has one: each says whose.
                    .accessible_name(format!("Genesys Cloud license for {}", r.name));
                if r.license != before && shipped_reasons.contains(&r.reason.trim()) {
                    // The shipped reason argued for the old license: it no
                    // longer holds. The rule's fields open for the new one.
                    r.reason.clear();
                    relicensed = Some(i);
                }
                let when = r.rule().map_or_else(|e| e.to_string(), |x| x.when.describe());
                // A fixed width, the rest shown on hover with the reason.
                ui.scope(|ui| {
                    ui.set_width(380.0);
                    // One tooltip: the truncated text's own would cover ours.
                    ui.add(
                        egui::Label::new(when.as_str())
                            .truncate()
                            .show_tooltip_when_elided(false),
                    )
                    .on_hover_text(format!("When the user {when}.\n\n{}", r.reason.trim()));
                });
                // The last estimate's count, only while it is this rule's
                // (a row removed or moved shifts the rows until it reruns).
                let users = uses
                    .and_then(|u| u.get(i))
                    .filter(|u| u.rule == r.name.trim() && u.license == r.license.code())
                    .map(|u| u.users);
                ui.label(users.map_or(String::new(), |n| crate::core::text::thousands(n as usize)));
                if r.assumption {
                    ui.colored_label(amber, "assumption").on_hover_text(r.reason.as_str());
                } else {
                    ui.label("");
                }
                // Every row has them: each says which rule.
                ui.horizontal(|ui| {
                    if ui
                        .small_button("Up")
                        .accessible_name(format!("Up: move {} up", r.name))
                        .on_hover_text("Move the rule up")
                        .clicked()
                    {
                        action = Some((i, -1));
                    }
                    if ui
                        .small_button("Down")
                        .accessible_name(format!("Down: move {} down", r.name))
                        .on_hover_text("Move the rule down")
                        .clicked()
                    {
                        action = Some((i, 1));
                    }
                    if ui
                        .small_button("Remove")
                        .accessible_name(format!("Remove {}", r.name))
                        .clicked()
                    {
                        action = Some((i, 0));
                    }
                });
                ui.end_row();
            }
        });
    });
    if let Some(i) = relicensed {
        ed.selected = Some(i);
    }
    if let Some((i, step)) = action {
        changed = true;
        match step {
            0 => {
                ed.rules.remove(i);
                ed.selected = None;
            }
            s => {
                let j = i as i64 + i64::from(s);
                if let Ok(j) = usize::try_from(j)
                    && j < ed.rules.len()
                {
                    ed.rules.swap(i, j);
                    ed.selected = Some(j);
                }
            }
        }
    }
    ui.horizontal(|ui| {
        if ui.button("Add rule").clicked() {
            ed.rules.push(RuleDraft::of(&Rule {
                name: format!("Rule {}", ed.rules.len() + 1),
                license: CloudLicense::Cx1,
                // Empty, with a hint: a reason is the user's to give.
                reason: String::new(),
                assumption: false,
                when: Conditions {
                    holds_any: vec![catalog::ACD_MEDIA_1.into()],
                    ..Default::default()
                },
            }));
            ed.selected = Some(ed.rules.len() - 1);
            changed = true;
        }
        if ui.button("Restore the default mapping").clicked() {
            ed.rules = default_mapping().iter().map(RuleDraft::of).collect();
            ed.selected = None;
            changed = true;
        }
    });
    if let Some(r) = ed.selected.and_then(|i| ed.rules.get_mut(i)) {
        changed |= rule_fields(ui, r);
    }
    changed
}

fn rule_fields(ui: &mut egui::Ui, r: &mut RuleDraft) -> bool {
    let mut changed = false;
    ui.add_space(4.0);
    ui.strong(format!("Rule “{}”", r.name.trim()));
    egui::Grid::new("cloud-rule-fields").num_columns(2).show(ui, |ui| {
        let mut text = |ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str| {
            let l = ui.label(label);
            changed |= crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(value).hint_text(hint).desired_width(420.0),
            )
            .labelled_by(l.id)
            .changed();
            ui.end_row();
        };
        text(ui, "Name:", &mut r.name, "Voice ACD");
        text(
            ui,
            "Holds any of:",
            &mut r.holds_any,
            "ACD Media 1, I3_ACCESS_DIALER_ADDON",
        );
        text(ui, "Holds nothing but:", &mut r.holds_only, "Client Access");
        text(ui, "Has the role:", &mut r.roles, "Supervisor");
        text(ui, "Is in workgroup:", &mut r.workgroups, "Sales, Support");
        for (label, set) in [
            ("Takes any of:", &mut r.media_any),
            ("Takes all of:", &mut r.media_all),
            ("Takes none of:", &mut r.media_none),
        ] {
            ui.label(label);
            ui.horizontal(|ui| {
                for (m, on) in MediaType::ALL.iter().zip(set.iter_mut()) {
                    changed |= ui.checkbox(on, m.label()).changed();
                }
            });
            ui.end_row();
        }
        let l = ui.label("Why:");
        ui.vertical(|ui| {
            changed |= crate::ui::widgets::field(
                ui,
                egui::TextEdit::multiline(&mut r.reason)
                    .hint_text(format!("Why these users need {}", r.license.label()))
                    .desired_rows(2)
                    .desired_width(420.0),
            )
            .labelled_by(l.id)
            .changed();
            // The problem at its field, not only at the top of the view.
            if let Err(e) = r.rule() {
                ui.colored_label(crate::ui::widgets::error_red(ui), e.to_string());
            } else if r.reason.trim().is_empty() {
                ui.colored_label(
                    crate::ui::widgets::error_red(ui),
                    "Say why these users need this license: the estimate waits for it.",
                );
            }
        });
        ui.end_row();
        ui.label("");
        changed |= ui.checkbox(&mut r.assumption, "This rule is an assumption").changed();
        ui.end_row();
    });
    changed
}

/// The price list and contract; true when anything changed.
pub fn prices_ui(ui: &mut egui::Ui, ed: &mut Editor) -> bool {
    let mut changed = false;
    ui.weak(
        "Your own Genesys Cloud prices per license, per billing period (a month) or per hour, and the users \
         your contract includes. Leave a price empty where you have none. No prices are built in.",
    );
    if let Some(note) = &ed.note {
        ui.colored_label(crate::ui::widgets::warning_amber(ui), note);
    }
    ui.horizontal(|ui| {
        let l = ui.label("Currency:");
        changed |= crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut ed.currency).desired_width(60.0))
            .labelled_by(l.id)
            .changed();
        let l = ui.label("Billing periods start on day:");
        changed |= crate::ui::widgets::field(
            ui,
            egui::TextEdit::singleline(&mut ed.start_day)
                .hint_text("1")
                .desired_width(40.0),
        )
        .labelled_by(l.id)
        .on_hover_text("1 to 28; empty: calendar months")
        .changed();
    });
    egui::Grid::new("cloud-prices").striped(true).show(ui, |ui| {
        for h in [
            "Genesys Cloud license",
            "Per named user",
            "Per concurrent user",
            "Per hour",
            "Contracted users",
        ] {
            ui.strong(h);
        }
        ui.end_row();
        for (l, fields) in &mut ed.prices {
            ui.label(l.short());
            for (k, f) in fields.iter_mut().enumerate() {
                let what = ["per named user", "per concurrent user", "per hour", "contracted users"][k];
                // Named by its row and its column: "CX 1 per hour".
                let name = format!("{} {what}", l.short());
                changed |= crate::ui::widgets::field(ui, egui::TextEdit::singleline(f).desired_width(90.0))
                    .accessible_name(name.as_str())
                    .on_hover_text(name)
                    .changed();
            }
            ui.end_row();
        }
    });
    ui.horizontal(|ui| {
        if ui
            .button("Use the example prices")
            .on_hover_text("Fills in example prices (not Genesys' prices) to try the estimate")
            .clicked()
            && let Ok(p) = crate::core::cloud::prices::example()
        {
            ed.set_prices(Some(&p));
            changed = true;
        }
        if ui.button("Clear prices").clicked() {
            ed.set_prices(None);
            changed = true;
        }
    });
    changed
}

/// The waves of the move; true when anything changed. `first_day` is a
/// sensible date for a new wave.
pub fn waves_ui(
    ui: &mut egui::Ui,
    ed: &mut Editor,
    first_day: Option<chrono::NaiveDate>,
    est: Option<&crate::core::cloud::CloudEstimate>,
) -> bool {
    let mut changed = false;
    ui.weak(
        "Each wave moves its workgroups' members and the users named, from its date. In a billing period, users \
         whose wave date is on or before its first day are on Genesys Cloud; the others stay on PureConnect.",
    );
    let mut remove = None;
    if !ed.waves.is_empty() {
        egui::Grid::new("cloud-waves").striped(true).show(ui, |ui| {
            let heads: Vec<egui::Id> = ["Wave", "Date", "Workgroups", "Users", "Moving"]
                .into_iter()
                .map(|h| ui.strong(h).id)
                .collect();
            // Every row has the same fields: each is named with its row's
            // number ("Date of wave 2").
            let field_names = ["Name", "Date", "Workgroups", "Users"];
            ui.strong("");
            ui.end_row();
            for (i, w) in ed.waves.iter_mut().enumerate() {
                for (k, (value, width, hint, tip)) in [
                    (
                        &mut w.name,
                        160.0,
                        "Wave 1",
                        "The wave's name, shown in the phased move",
                    ),
                    (
                        &mut w.date,
                        110.0,
                        "YYYY-MM-DD",
                        "The day its users start on Genesys Cloud: they count as moved from the first billing \
                         period that starts on or after it",
                    ),
                    (
                        &mut w.workgroups,
                        220.0,
                        "Sales, Support",
                        "Workgroups whose members move, separated by commas",
                    ),
                    (
                        &mut w.users,
                        300.0,
                        "user IDs",
                        "Users who move, by user ID, separated by commas",
                    ),
                ]
                .into_iter()
                .enumerate()
                {
                    // Sized, not just desired: a grid cell would squeeze
                    // the field to its text ("Pilot", "2026").
                    let height = ui.spacing().interact_size.y;
                    changed |= crate::ui::widgets::field_sized(
                        ui,
                        egui::vec2(width, height),
                        egui::TextEdit::singleline(value).hint_text(hint),
                    )
                    .accessible_name(format!("{} of wave {}", field_names[k], i + 1))
                    .on_hover_text(tip)
                    .changed();
                }
                // The last estimate's users for this wave (while it is this one).
                let moving = est
                    .and_then(|e| e.waves.get(i))
                    .filter(|x| x.name == w.name.trim())
                    .map(|x| crate::core::text::thousands(x.users.len()));
                ui.label(moving.unwrap_or_default()).labelled_by(heads[4]);
                if ui
                    .small_button("Remove")
                    .accessible_name(format!("Remove wave {}", i + 1))
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
                // A problem at its row, not only at the top of the view.
                if !w.date.trim().is_empty() && crate::core::dates::parse_arg_date(&w.date).is_err() {
                    ui.label("");
                    ui.colored_label(
                        crate::ui::widgets::error_red(ui),
                        format!("“{}” is not a date; use YYYY-MM-DD", w.date.trim()),
                    );
                    ui.end_row();
                }
            }
        });
    }
    if let Some(i) = remove {
        ed.waves.remove(i);
        changed = true;
    }
    if ui.button("Add wave").clicked() {
        let n = ed.waves.len() + 1;
        // A month after the history's first day, then a month apart: each
        // wave shows within the history's periods.
        let date = first_day
            .and_then(|d| d.with_day(1))
            .and_then(|d| crate::core::dates::add_months(d, u32::try_from(n).unwrap_or(1)).ok())
            .map(|d| d.to_string())
            .unwrap_or_default();
        ed.waves.push(WaveDraft {
            name: format!("Wave {n}"),
            date,
            workgroups: String::new(),
            users: String::new(),
        });
        changed = true;
    }
    // The result next to what made it (the chart is further up).
    if let Some(e) = est.filter(|e| !e.waves.is_empty()) {
        let cur = e.currency.as_deref().unwrap_or("");
        let total = e
            .phased
            .total
            .map_or_else(|| "–".to_string(), crate::core::cost::Cents::format);
        ui.label(format!(
            "Running both systems over the whole periods: {cur} {total}. The phased move (chart and table) is \
             above, under the per-license table."
        ));
    }
    changed
}

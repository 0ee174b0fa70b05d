//! What User Configuration › Licensing and Station Configuration › Licenses
//! share: the ACD Access license with its level and interaction types.
//! A section only reads the draft and returns the change the user asked
//! for; the dialog tries it against the rules (`attempt`) and shows a
//! refusal next to the control.

use std::collections::HashMap;

use crate::core::catalog::{self, AcdLevel};
use crate::core::document::Document;
use crate::core::rules::{self, Refusal};
use crate::core::workspace::{Licensed, MediaType};
use crate::ui::dialogs::refusal;

/// A change to a draft, with the control it came from (where a refusal is
/// shown).
pub type Change<D> = (&'static str, Box<dyn FnOnce(&mut D)>);

/// The ACD Access license: a checkbox, the level's radio buttons (each with
/// what remains of it) and, for Media 1 and 2, the interaction types.
pub fn acd_section<D: Licensed + 'static>(
    ui: &mut egui::Ui,
    doc: &Document,
    draft: &D,
    errors: &HashMap<String, String>,
    remaining: &dyn Fn(&str) -> String,
) -> Option<Change<D>> {
    let mut change: Option<Change<D>> = None;
    let level = rules::acd_level(draft.licenses());
    ui.horizontal(|ui| {
        let mut on = level.is_some();
        let any_level = AcdLevel::ALL.iter().any(|l| doc.license().allowance(l.key()).is_some());
        if ui
            .add_enabled(on || any_level, egui::Checkbox::new(&mut on, "ACD Access License"))
            .on_disabled_hover_text("The license file has no ACD Access license")
            .changed()
        {
            // The lowest level the license has.
            let pick = AcdLevel::ALL
                .into_iter()
                .find(|l| doc.license().allowance(l.key()).is_some())
                .unwrap_or(AcdLevel::Media1);
            change = Some((
                "acd",
                Box::new(move |d: &mut D| {
                    let (licenses, media) = d.licensing_mut();
                    licenses.retain(|k| catalog::acd_level_of(k).is_none());
                    media.clear();
                    if on {
                        licenses.insert(pick.key());
                    }
                }),
            ));
        }
        if let Some(current) = level {
            for l in AcdLevel::ALL {
                let in_file = doc.license().allowance(l.key()).is_some();
                let clicked = ui
                    .add_enabled(in_file || current == l, egui::RadioButton::new(current == l, l.label()))
                    .on_hover_text(remaining(l.key()))
                    .on_disabled_hover_text("Not in the license file")
                    .clicked();
                if clicked && current != l {
                    change = Some((
                        "acd",
                        Box::new(move |d: &mut D| {
                            let (licenses, media) = d.licensing_mut();
                            licenses.retain(|k| catalog::acd_level_of(k).is_none());
                            licenses.insert(l.key());
                            rules::fit_media_to_level(l, media);
                        }),
                    ));
                }
            }
        }
    });
    refusal(ui, errors.get("acd"));
    if let Some(l) = level
        && l.capacity().is_some()
    {
        ui.horizontal(|ui| {
            ui.label("Interaction types:");
            for m in MediaType::ALL {
                let mut on = draft.acd_media_types().contains(&m);
                if ui.checkbox(&mut on, m.label()).changed() {
                    change = Some((
                        "types",
                        Box::new(move |d: &mut D| {
                            let (_, media) = d.licensing_mut();
                            if on {
                                media.insert(m);
                            } else {
                                media.remove(&m);
                            }
                        }),
                    ));
                }
            }
        });
        refusal(ui, errors.get("types"));
    }
    change
}

/// Tries a change on a copy of the draft and keeps it only if `check` (the
/// rules, asked through the document) allows it; otherwise the refusal is
/// kept for the control it came from.
pub fn attempt<D: Clone>(
    draft: &mut D,
    errors: &mut HashMap<String, String>,
    control: &str,
    change: impl FnOnce(&mut D),
    check: impl FnOnce(&D) -> Result<(), Refusal>,
) {
    let mut candidate = draft.clone();
    change(&mut candidate);
    match check(&candidate) {
        Ok(()) => {
            *draft = candidate;
            errors.remove(control);
        }
        Err(why) => {
            errors.insert(control.to_string(), why.to_string());
        }
    }
}

/// The change that makes a draft hold (or drop) one license key.
pub fn key_toggle<D: Licensed>(key: &str, on: bool) -> impl FnOnce(&mut D) + use<D> {
    let key = key.to_string();
    move |d: &mut D| {
        let (licenses, _) = d.licensing_mut();
        if on {
            licenses.insert(key);
        } else {
            licenses.remove(&key);
        }
    }
}

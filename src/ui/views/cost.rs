//! The estimated cost as Usage & Billing and Usage History show it: the
//! price list editor (the site's own prices per billing category and,
//! optionally, per Assignable license, saved through one undoable command)
//! and the estimate's tables.

use crate::core::catalog::{self, BillingCategory};
use crate::core::command::Command;
use crate::core::cost::{Cents, CostEstimate, PriceList, lower_bound_text};
use crate::core::document::Document;
use crate::core::text::thousands;

/// The editor's fields, made from the workspace's price list and kept while
/// the user types (a change elsewhere does not overwrite an edited draft).
#[derive(Default)]
pub struct PriceEditor {
    made_for: Option<u64>,
    edited: bool,
    currency: String,
    categories: Vec<(BillingCategory, String)>,
    licenses: Vec<(String, String)>,
    problem: Option<String>,
}

fn amount_text(c: Option<Cents>) -> String {
    c.map(|c| format!("{:.2}", c.amount())).unwrap_or_default()
}

/// What is wrong with a price list as typed (the words the editor shows).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriceFieldError {
    #[error("{label}: “{text}” is not a price; type a number such as 95.00")]
    NotANumber { label: String, text: String },
    /// A number the core refuses as a price (negative, too large, a
    /// fraction of a cent).
    #[error("{label}: {source}")]
    Refused {
        label: String,
        #[source]
        source: crate::core::workspace::price_list::PriceError,
    },
    /// The first problem the core finds with the list (its checks give
    /// their findings as words, the same the loader shows).
    #[error("{0}")]
    List(String),
}

/// A price as typed: empty is "no price"; otherwise a number of 0 or more
/// with at most two decimals (a thousands separator is allowed).
pub(super) fn parse_price(label: &str, text: &str) -> Result<Option<Cents>, PriceFieldError> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return Ok(None);
    }
    let n: f64 = t.parse().map_err(|_| PriceFieldError::NotANumber {
        label: label.to_string(),
        text: text.trim().to_string(),
    })?;
    Cents::from_amount(n)
        .map(Some)
        .map_err(|source| PriceFieldError::Refused {
            label: label.to_string(),
            source,
        })
}

impl PriceEditor {
    fn reset(&mut self, doc: &Document) {
        let list = doc.workspace().price_list.as_ref();
        self.currency = list.map_or_else(|| "USD".to_string(), |p| p.currency.clone());
        self.categories = BillingCategory::ALL
            .into_iter()
            .map(|c| (c, amount_text(list.and_then(|p| p.category_price(c)))))
            .collect();
        // Keys of the license that can be allocated as Assignable, and any
        // key the list already prices.
        let mut keys: Vec<String> = doc
            .license()
            .allowances()
            .iter()
            .filter(|a| a.assigned > 0 && catalog::is_allocatable(&a.key))
            .map(|a| a.key.clone())
            .collect();
        for k in list.iter().flat_map(|p| p.per_assignable_license_per_month.keys()) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        self.licenses = keys
            .into_iter()
            .map(|k| {
                let price = list.and_then(|p| p.per_assignable_license_per_month.get(&k).copied());
                (k, amount_text(price))
            })
            .collect();
        self.edited = false;
        self.problem = None;
        self.made_for = Some(doc.generation());
    }

    /// The price list the fields say, or what is wrong with them.
    fn draft(&self) -> Result<PriceList, PriceFieldError> {
        let mut list = PriceList {
            currency: self.currency.trim().to_string(),
            ..PriceList::default()
        };
        for (c, text) in &self.categories {
            if let Some(p) = parse_price(c.label(), text)? {
                list.per_user_per_period.insert(c.code().to_string(), p);
            }
        }
        for (k, text) in &self.licenses {
            if let Some(p) = parse_price(catalog::label(k), text)? {
                list.per_assignable_license_per_month.insert(k.clone(), p);
            }
        }
        if let Some((_, why)) = list.problems().into_iter().next() {
            return Err(PriceFieldError::List(why));
        }
        Ok(list)
    }

    /// The editor, collapsed under "Price list"; a Save or Remove goes out
    /// as a command.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<super::Action>) {
        if self.made_for != Some(doc.generation()) && !self.edited {
            self.reset(doc);
        }
        let has_list = doc.workspace().price_list.is_some();
        egui::CollapsingHeader::new(if has_list {
            "Price list"
        } else {
            "Price list (none yet)"
        })
        .id_salt("price-list-editor")
        .show(ui, |ui| {
            ui.weak(
                "The site's own prices, used only for the estimated cost. Leave a price empty where the site pays \
                 nothing for it.",
            );
            ui.add_enabled_ui(!locked, |ui| {
                // Enter in any field saves, as the Save prices button does
                // (a desktop form's default button).
                let (mut changed, mut entered) = (false, false);
                // Each field has an id of its own (not its place on the page):
                // a line that appears above while a replay plays cannot move
                // the focus, or a field's cursor, to another field.
                let mut price = |ui: &mut egui::Ui, text: &mut String, label: egui::Id, name: &str, width: f32| {
                    let r = crate::ui::widgets::field(
                        ui,
                        egui::TextEdit::singleline(text)
                            .id_salt(("price-list", name))
                            .desired_width(width),
                    )
                    .labelled_by(label);
                    changed |= r.changed();
                    entered |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                };
                ui.horizontal(|ui| {
                    let label = ui.label("Currency:");
                    price(ui, &mut self.currency, label.id, "currency", 60.0);
                });
                egui::Grid::new("price-list-grid").striped(true).show(ui, |ui| {
                    ui.strong("Billing category");
                    ui.strong("Per user, per billing period");
                    ui.end_row();
                    for (c, text) in &mut self.categories {
                        let label = ui.label(c.label());
                        price(ui, text, label.id, c.code(), 90.0);
                        ui.end_row();
                    }
                    if !self.licenses.is_empty() {
                        ui.strong("Assignable license");
                        ui.strong("Per license, per month");
                        ui.end_row();
                        for (k, text) in &mut self.licenses {
                            let label = ui.label(catalog::label(k)).on_hover_text(k.as_str());
                            price(ui, text, label.id, k.as_str(), 90.0);
                            ui.end_row();
                        }
                    }
                });
                if changed {
                    self.edited = true;
                    self.problem = None;
                }
                ui.horizontal(|ui| {
                    let save = crate::ui::widgets::edit_button(ui, self.edited, egui::Button::new("Save prices"))
                        .on_hover_text("Or press Enter in a price");
                    if self.edited && (save.clicked() || entered) {
                        match self.draft() {
                            Ok(list) => {
                                out.push(super::Action::Command(Box::new(Command::SetPriceList {
                                    price_list: Some(list),
                                })));
                                self.edited = false;
                                self.made_for = None;
                            }
                            Err(why) => self.problem = Some(why.to_string()),
                        }
                    }
                    if crate::ui::widgets::edit_button(ui, self.edited, egui::Button::new("Discard changes")).clicked()
                    {
                        self.reset(doc);
                    }
                    if crate::ui::widgets::edit_button(ui, has_list, egui::Button::new("Remove price list")).clicked() {
                        out.push(super::Action::Command(Box::new(Command::SetPriceList {
                            price_list: None,
                        })));
                        self.edited = false;
                        self.made_for = None;
                    }
                });
            });
            if locked {
                ui.weak("Read-only: the price list cannot be changed.");
            }
            if let Some(p) = &self.problem {
                ui.colored_label(crate::ui::widgets::error_red(ui), p);
            }
        });
    }
}

/// The estimated cost per period, category and workgroup.
pub fn cost_table(ui: &mut egui::Ui, cost: &CostEstimate) {
    ui.add_space(6.0);
    ui.strong(format!("Estimated cost ({})", cost.currency));
    ui.colored_label(crate::ui::widgets::warning_amber(ui), cost.note);
    // The totals come first and the long "Users by category" last, wrapped
    // to the page: a large site names a dozen categories with five-figure
    // counts per period, which as one line pushed the totals off the page
    // (and widened the page under the chart below).
    egui::Grid::new("cost-periods")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            ui.strong("Period");
            ui.strong(format!("Estimated total ({})", cost.currency));
            ui.strong("Assignable licenses");
            ui.strong("Users by category");
            ui.end_row();
            for p in &cost.periods {
                ui.label(format!("{} to {}", p.period_start, p.period_end));
                ui.strong(p.total_text());
                let lic: Cents = p
                    .assignable_licenses
                    .values()
                    .map(|l| l.amount)
                    .fold(Cents(0), |a, b| a + b);
                ui.label(lic.format());
                let cats: Vec<String> = p
                    .by_category
                    .iter()
                    .map(|(code, line)| {
                        let name = BillingCategory::from_code(code).map_or(code.as_str(), |c| c.label());
                        format!("{name} {} × {}", thousands(line.users as usize), line.unit_text())
                    })
                    .collect();
                ui.add(egui::Label::new(cats.join(", ")).wrap());
                ui.end_row();
            }
            ui.strong("Total");
            ui.strong(cost.total_text());
            ui.end_row();
        });
    if !cost.unpriced_categories.is_empty() {
        ui.colored_label(
            crate::ui::widgets::warning_amber(ui),
            format!(
                "Not in the price list: {}. Their users are counted but not costed, so each total they are in is \
                 \"at least\" what the priced categories come to; add their prices to complete it.",
                crate::core::cost::category_names(&cost.unpriced_categories).join(", ")
            ),
        );
    }
    egui::CollapsingHeader::new("Estimated cost by workgroup")
        .id_salt("cost-by-workgroup")
        .show(ui, |ui| {
            ui.weak(
                "A user in several workgroups is split evenly between them (whole cents; the first in name order \
                 takes any cent left over). Station licenses are listed as (Stations).",
            );
            // Per workgroup: the sum and whether it is the whole charge.
            let mut totals: std::collections::BTreeMap<&str, (Cents, bool)> = Default::default();
            let (mut no_workgroup, mut stations) = ((Cents(0), true), Cents(0));
            for p in &cost.periods {
                for (wg, amount) in &p.by_workgroup {
                    let t = totals.entry(wg.as_str()).or_insert((Cents(0), true));
                    t.0 += *amount;
                    t.1 &= p.workgroup_complete(wg);
                }
                no_workgroup.0 += p.no_workgroup;
                no_workgroup.1 &= p.no_workgroup_complete;
                stations += p.stations;
            }
            egui::Grid::new("cost-workgroups").striped(true).show(ui, |ui| {
                ui.strong("Workgroup");
                ui.strong(format!("Estimated ({})", cost.currency));
                ui.end_row();
                for (wg, (amount, complete)) in totals {
                    ui.label(wg);
                    ui.label(lower_bound_text(amount, complete));
                    ui.end_row();
                }
                // Not workgroups: shown in italics after them.
                for (row, (amount, complete)) in [
                    (crate::core::cost::NO_WORKGROUP, no_workgroup),
                    (crate::core::cost::STATIONS, (stations, true)),
                ] {
                    if amount.0 != 0 || !complete {
                        ui.label(egui::RichText::new(row).italics());
                        ui.label(lower_bound_text(amount, complete));
                        ui.end_row();
                    }
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_as_typed() {
        assert_eq!(parse_price("Agent", " "), Ok(None));
        assert_eq!(parse_price("Agent", "1,234.5"), Ok(Some(Cents(123450))));
        assert!(parse_price("Agent", "abc").is_err_and(|e| e.to_string().starts_with("Agent: ")));
        assert!(parse_price("Agent", "-3").is_err());
        assert!(parse_price("Agent", "1.001").is_err());
    }
}

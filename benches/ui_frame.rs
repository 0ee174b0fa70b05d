//! A UI frame of the real app (egui_kittest harness, CPU side) showing the
//! Users view with 100k users: after a scroll, after a sort, and after typing
//! one filter character. Run: `cargo bench --bench ui_frame`.

// The harness the tests build the app with, shared rather than copied;
// a bench uses only part of the helpers.
#[allow(dead_code)]
#[path = "../tests/it/util.rs"]
mod util;

use std::hint::black_box;

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use ia_licensing::core::demo_generate::{self as generate, Size};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};
use ia_licensing::ui::views::users::UsersView;

/// The Users view sorted by Name, ascending: an edit bumps the data's
/// revision, so the frame after it sorts the rows again, and by Name (not
/// the order the rows are stored in) is the costly case. Set explicitly, so
/// the edit benches do not depend on where the sort bench left off.
fn sort_by_name(h: &mut Harness<'static, App>) {
    let name = UsersView::column("Name").unwrap_or(0);
    let user = UsersView::column("User").unwrap_or(0);
    // A click on the current column reverses it; another column starts
    // ascending.
    h.state_mut().sort_table(Nav::Users, user);
    h.state_mut().sort_table(Nav::Users, name);
}

fn harness(n: usize, dir: &std::path::Path, problems: bool) -> Harness<'static, App> {
    let mut g = generate::generate(Size {
        users: n,
        stations: n,
        workgroups: (n / 50).max(5),
        seed: 7,
    })
    .expect("generate");
    if problems {
        // Every user gets a diagnostic (a default workstation that is not a
        // station): the Warnings panel at 100k problems.
        if let Some(users) = g.workspace["users"].as_array_mut() {
            for u in users {
                u["default_workstation"] = serde_json::json!("gone");
            }
        }
    }
    let lic = dir.join(format!("l{n}{problems}.I3Lic"));
    let ws = dir.join(format!("w{n}{problems}.ialws"));
    std::fs::write(&lic, g.license_text).expect("write");
    std::fs::write(&ws, serde_json::to_vec(&g.workspace).expect("json")).expect("write");
    // The tests' one harness (`tests/it/util.rs`), in its default theme.
    let mut h = util::build_app(
        util::WINDOW,
        egui::Theme::Dark,
        Startup {
            file: Some(lic),
            workspace: Some(ws),
            view: Some(Nav::Users),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.state_mut().wait_for_loading();
    h.state_mut().set_show_warnings(false);
    h.run();
    h
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    for n in [1_000usize, 10_000, 100_000] {
        let mut h = harness(n, dir.path(), false);
        let mut g = c.benchmark_group(format!("ui {n}"));
        g.sample_size(20);
        // The wheel scrolls what is under the pointer: the table.
        h.hover_at(egui::pos2(700.0, 450.0));
        h.step();
        let mut down = true;
        g.bench_function("frame after scroll", |b| {
            b.iter(|| {
                h.event(egui::Event::MouseWheel {
                    unit: egui::MouseWheelUnit::Point,
                    delta: egui::vec2(0.0, if down { -400.0 } else { 400.0 }),
                    phase: egui::TouchPhase::Move,
                    source: egui::MouseWheelSource::Wheel,
                    modifiers: egui::Modifiers::NONE,
                });
                down = !down;
                h.step();
            })
        });
        let mut col = 0usize;
        g.bench_function("frame after sort", |b| {
            b.iter(|| {
                // Alternate between two columns, so every frame sorts anew
                // (the same call a header click makes).
                let c = UsersView::column(if col.is_multiple_of(2) { "Name" } else { "User" }).unwrap_or(0);
                col += 1;
                h.state_mut().sort_table(Nav::Users, c);
                h.step();
            })
        });
        let mut typed = 0usize;
        g.bench_function("frame after typing a filter character", |b| {
            b.iter(|| {
                // Type then erase one character: each step refilters every row.
                let filter = if typed.is_multiple_of(2) { "1" } else { "" };
                h.state_mut().type_filter(Nav::Users, filter);
                typed += 1;
                h.step();
            })
        });
        // An edit, then the frame that shows it, with the Warnings panel
        // open: the panel regroups what changed.
        h.state_mut().type_filter(Nav::Users, "");
        h.state_mut().set_show_warnings(true);
        sort_by_name(&mut h);
        h.step();
        let user = h.state().doc().workspace().users()[n / 2].id.clone();
        let mut on = false;
        g.bench_function("frame after an edit, Warnings panel open", |b| {
            b.iter(|| {
                let subjects = vec![ia_licensing::core::subject::Subject::user(user.clone())];
                let key = "I3_ACCESS_FEEDBACK".to_string();
                let command = if on {
                    ia_licensing::core::command::Command::Unassign { subjects, key }
                } else {
                    ia_licensing::core::command::Command::Assign {
                        subjects,
                        key,
                        method: None,
                    }
                };
                on = !on;
                let _ = h.state_mut().apply(command);
                h.step();
            })
        });
        h.state_mut().set_show_warnings(false);
        // Bulk Assign on up to 10k selected users: the dialog opens with its
        // preview (who may hold the key, who is refused and why) worked out,
        // and the frame that shows it.
        let ids: Vec<String> = h
            .state()
            .doc()
            .workspace()
            .users()
            .iter()
            .take(10_000)
            .map(|u| u.id.clone())
            .collect();
        g.bench_function(
            format!("frame opening Bulk Assign on {} users (preview)", ids.len()),
            |b| {
                b.iter(|| {
                    h.state_mut().close_modals();
                    h.state_mut().handle(ia_licensing::ui::views::Action::Bulk {
                        kind: ia_licensing::ui::views::BulkKind::Assign,
                        users: ids.clone(),
                        stations: Vec::new(),
                    });
                    h.step();
                })
            },
        );
        h.state_mut().close_modals();
        h.step();
        if n == 100_000 {
            // The same with a diagnostic on every user.
            let mut h = harness(n, dir.path(), true);
            h.state_mut().set_show_warnings(true);
            sort_by_name(&mut h);
            h.step();
            assert!(h.state().doc().engine().totals().1 >= n, "every user has a warning");
            let user = h.state().doc().workspace().users()[n / 2].id.clone();
            let mut on = false;
            g.bench_function("frame after an edit, Warnings panel open, 100k problems", |b| {
                b.iter(|| {
                    // Clearing and restoring a default workstation changes
                    // the diagnostics each time.
                    let mut u = h.state().doc().workspace().user(&user).cloned().expect("user");
                    u.default_workstation = if on { Some("gone".into()) } else { None };
                    on = !on;
                    let _ = h
                        .state_mut()
                        .apply(ia_licensing::core::command::Command::UpdateUser { user: u });
                    h.step();
                })
            });
        }
        g.finish();
        black_box(&h);
    }
}

criterion_group!(ui_benches, benches);
criterion_main!(ui_benches);

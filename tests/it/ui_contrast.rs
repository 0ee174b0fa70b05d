//! Every text and status colour, in both themes, has a contrast ratio of at
//! least 4.5 (WCAG AA) against the backgrounds it is drawn on: panels,
//! windows (dialogs), striped rows and text fields.

use ia_licensing::ui::views::enforcement::stage_colour;
use ia_licensing::ui::widgets::{Tone, contrast, visuals};

/// A premultiplied colour drawn over an opaque background.
fn over(fg: egui::Color32, bg: egui::Color32) -> egui::Color32 {
    let a = f32::from(fg.a()) / 255.0;
    let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * (1.0 - a)).round().min(255.0) as u8;
    egui::Color32::from_rgb(mix(fg.r(), bg.r()), mix(fg.g(), bg.g()), mix(fg.b(), bg.b()))
}

#[test]
fn text_and_status_colours_meet_wcag_aa_in_both_themes() {
    let mut failures = Vec::new();
    for dark in [false, true] {
        let v = visuals(dark);
        let panel = v.panel_fill;
        let backgrounds = [
            ("panel", panel),
            ("window", over(v.window_fill, panel)),
            ("striped row", over(v.faint_bg_color, panel)),
            ("text field", over(v.text_edit_bg_color(), panel)),
        ];
        let mut colours: Vec<(String, egui::Color32)> = vec![
            ("text".into(), v.text_color()),
            ("strong text".into(), v.strong_text_color()),
            ("weak text".into(), v.weak_text_color()),
        ];
        for t in Tone::ALL {
            colours.push((format!("{t:?}"), t.colour(dark)));
        }
        for stage in 1..=6 {
            colours.push((format!("stage {stage}"), stage_colour(stage, dark)));
        }
        for (bg_name, bg) in backgrounds {
            for (name, c) in &colours {
                let ratio = contrast(over(*c, bg), bg);
                if ratio < 4.5 {
                    failures.push(format!(
                        "{} theme: {name} {c:?} on {bg_name} {bg:?}: {ratio:.2}",
                        if dark { "dark" } else { "light" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

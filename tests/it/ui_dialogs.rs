//! Every dialog, from the one list (`DialogKind`), opens on the demo data
//! and draws: a dialog added to the app is covered here the day it exists.

use egui_kittest::Harness;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, DialogKind, Startup};

#[test]
fn every_dialog_opens_on_the_demo_data() {
    for kind in DialogKind::all() {
        let mut h = Harness::builder()
            .with_size(egui::vec2(1400.0, 900.0))
            .build_eframe(|cc| App::new(cc, Startup::demo(TrustStore::with_demo())));
        h.run();
        kind.open_sample(h.state_mut());
        h.run();
        let top = h.state().modals.last().map(|m| m.kind());
        assert_eq!(top, Some(kind), "{kind:?} opens");
    }
}

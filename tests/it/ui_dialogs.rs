//! Every dialog, from the one list (`DialogKind`), opens on the demo data
//! and draws: a dialog added to the app is covered here the day it exists.

use ia_licensing::ui::app::DialogKind;

#[test]
fn every_dialog_opens_on_the_demo_data() {
    for kind in DialogKind::all() {
        let mut h = crate::util::demo_app();
        kind.open_sample(h.state_mut());
        h.run();
        let top = h.state().modals().last().map(|m| m.kind());
        assert_eq!(top, Some(kind), "{kind:?} opens");
    }
}

//! Commands applied in parts (the GUI's large imports): one undo step when
//! committed, nothing left behind when rolled back, counts always equal to a
//! recount.

use ia_licensing::core::command::Command;
use ia_licensing::core::subject::Subject;

fn assign(ids: &[String], key: &str) -> Command {
    Command::Assign {
        subjects: ids.iter().map(|id| Subject::user(id.clone())).collect(),
        key: key.into(),
        method: None,
    }
}

/// Renames users (an import's "update" rows).
fn rename(doc: &ia_licensing::core::document::Document, ids: &[String]) -> Command {
    Command::Batch {
        commands: ids
            .iter()
            .map(|id| {
                let mut user = doc.workspace().user(id).expect("user").clone();
                user.name = format!("Imported {id}");
                Command::UpdateUser { user }
            })
            .collect(),
        label: None,
    }
}

fn first_users(doc: &ia_licensing::core::document::Document, n: usize) -> Vec<String> {
    doc.workspace().users().iter().take(n).map(|u| u.id.clone()).collect()
}

#[test]
fn committed_parts_are_one_undo_step() {
    let mut doc = crate::util::demo_doc();
    let before = doc.workspace().clone();
    let log_before = doc.change_log().len();
    let ids = first_users(&doc, 6);
    let mut tx = doc.begin("Import 6 users from test.csv");
    let (a, b) = (rename(&doc, &ids[..3]), rename(&doc, &ids[3..]));
    doc.apply_part(&mut tx, a);
    doc.apply_part(&mut tx, b);
    assert!(doc.engine().same_as(&doc.recount()));
    let command = doc.commit(tx).expect("something changed");
    assert!(matches!(&*command, Command::Batch { commands, .. } if commands.len() == 2));
    assert!(doc.change_log().len() > log_before, "the changes are logged");
    assert_eq!(doc.undo_summary(), Some("Import 6 users from test.csv"));
    doc.undo();
    assert_eq!(*doc.workspace(), before);
    assert!(doc.engine().same_as(&doc.recount()));
    // Redo replays the parts as one step.
    doc.redo().expect("redo");
    for id in &ids {
        assert_eq!(doc.workspace().user(id).expect("user").name, format!("Imported {id}"));
    }
}

#[test]
fn a_rolled_back_transaction_leaves_nothing() {
    let mut doc = crate::util::demo_doc();
    let before = doc.workspace().clone();
    let log_before = doc.change_log().len();
    let generation = doc.generation();
    let ids = first_users(&doc, 4);
    let mut tx = doc.begin("Import");
    let part = rename(&doc, &ids);
    doc.apply_part(&mut tx, part);
    // A part in which every subject is refused adds outcomes but no changes.
    doc.apply_part(&mut tx, assign(&ids, "I3_LICENSE_BASIC_STATION"));
    assert!(tx.outcomes().len() >= 8);
    doc.rollback(tx);
    assert_eq!(*doc.workspace(), before);
    assert_eq!(doc.change_log().len(), log_before);
    assert_eq!(doc.generation(), generation, "not a change to save");
    assert!(!doc.can_undo());
    assert!(doc.engine().same_as(&doc.recount()));
}

#[test]
fn a_preview_changes_nothing() {
    let mut doc = crate::util::demo_doc();
    let before = doc.workspace().clone();
    let (generation, log) = (doc.generation(), doc.change_log().len());
    let ids: Vec<String> = doc.workspace().users().iter().map(|u| u.id.clone()).collect();
    // Some get it, some already have it, some are refused: a real preview.
    let applied = doc.preview(&assign(&ids, "I3_ACCESS_CLIENT"));
    let outcomes = match applied {
        Ok(a) => a.outcomes,
        Err(r) => r.outcomes,
    };
    assert_eq!(outcomes.len(), ids.len());
    assert_eq!(*doc.workspace(), before);
    assert_eq!(doc.generation(), generation);
    assert_eq!(doc.change_log().len(), log);
    assert!(!doc.can_undo());
    assert!(doc.engine().same_as(&doc.recount()));
}

/// Opening a large workspace over another frees the old one on a thread of
/// its own (it takes about 10 ms at 100k); the document is the new one at
/// once, with nothing to undo, and the old one's edits are gone with it.
#[test]
fn a_large_workspace_opened_over_another_replaces_it_whole() {
    use ia_licensing::core::demo::generate::{Size, generate};
    let size = |users| Size {
        users,
        stations: users,
        workgroups: 200,
        seed: 3,
    };
    let mut doc = crate::util::demo_doc();
    let workspace = |users| crate::util::workspace(generate(size(users)).expect("generate").workspace);
    doc.set_workspace(workspace(12_000));
    let ids = first_users(&doc, 1);
    doc.apply(Command::SetUserName {
        id: ids[0].clone(),
        name: "Renamed".into(),
    })
    .expect("rename");
    assert!(doc.can_undo());
    let generation = doc.generation();
    doc.set_workspace(workspace(11_000));
    assert_eq!(doc.workspace().users().len(), 11_000);
    assert!(!doc.can_undo(), "the old workspace's undo steps went with it");
    assert!(doc.generation() > generation);
    assert!(doc.engine().same_as(&doc.recount()));
}

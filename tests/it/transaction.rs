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
    use ia_licensing::core::demo_generate::{Size, generate};
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

/// A labelled change over the demo's users: licenses to some, another
/// license away from others, in two labelled batches (as Apply policies
/// makes it), so the change log's credits can be compared.
fn labelled_change(doc: &ia_licensing::core::document::Document) -> Command {
    let ids = first_users(doc, 12);
    Command::Batch {
        commands: vec![
            Command::Batch {
                commands: vec![Command::Unassign {
                    subjects: ids[4..].iter().map(|id| Subject::user(id.clone())).collect(),
                    key: "I3_ACCESS_CLIENT".into(),
                }],
                label: Some("Apply policies: No client".into()),
            },
            Command::Batch {
                commands: vec![assign(&ids, "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN")],
                label: Some("Apply policies: Supervisors".into()),
            },
            // Refused for users: a station-only license.
            assign(&ids[..2], "I3_LICENSE_BASIC_STATION"),
        ],
        label: Some("Apply policies: No client, Supervisors".into()),
    }
}

#[test]
fn slices_are_small_in_order_and_keep_their_labels() {
    use ia_licensing::core::document::{size, slices};
    let doc = crate::util::demo_doc();
    let command = labelled_change(&doc);
    assert_eq!(size(&command), 8 + 12 + 2);
    let cut = slices(&command, 5);
    assert!(cut.iter().all(|s| size(s) <= 5), "no slice over the size asked");
    assert_eq!(
        cut.iter().map(size).sum::<usize>(),
        size(&command),
        "every subject once"
    );
    // Each piece keeps the labels around it, innermost inside.
    let first = &cut[0];
    let Command::Batch {
        label: Some(outer),
        commands,
    } = first
    else {
        panic!("a labelled slice: {first:?}");
    };
    assert_eq!(outer, "Apply policies: No client, Supervisors");
    assert!(
        matches!(&commands[..], [Command::Batch { label: Some(inner), .. }] if inner == "Apply policies: No client")
    );
}

#[test]
fn a_change_applied_in_slices_is_the_change_applied_at_once() {
    let mut at_once = crate::util::demo_doc();
    let mut sliced = at_once.clone();
    let command = labelled_change(&at_once);
    let applied = at_once.apply(command.clone()).expect("applies in part");
    assert!(
        applied.refused().count() >= 2,
        "the station license is refused for users"
    );
    let mut run = sliced.start_run(command.clone(), 3);
    let mut slices = 0;
    while !sliced.run_slice(&mut run) {
        slices += 1;
    }
    assert!(slices > 3, "carried out over several slices");
    let ia_licensing::core::document::RunEnd::Applied {
        command: Some(step),
        outcomes,
        summary,
    } = sliced.finish_run(run)
    else {
        panic!("applied");
    };
    assert_eq!(summary, "Apply policies: No client, Supervisors");
    assert_eq!(outcomes, applied.outcomes, "every subject's outcome, in order");
    assert_eq!(sliced.workspace(), at_once.workspace());
    assert!(sliced.engine().same_as(&sliced.recount()));
    // The same change-log entries, each credited to the same rule.
    assert_eq!(sliced.change_log(), at_once.change_log());
    // One undo step, named as the change.
    assert_eq!(sliced.undo_summary(), Some("Apply policies: No client, Supervisors"));
    assert!(matches!(&*step, Command::Batch { label: Some(l), .. } if l == "Apply policies: No client, Supervisors"));
}

#[test]
fn undo_and_redo_in_slices_move_one_step() {
    let mut doc = crate::util::demo_doc();
    let before = doc.workspace().clone();
    let command = labelled_change(&doc);
    doc.apply(command).expect("applies");
    let after = doc.workspace().clone();
    let steps = doc.history().len();
    assert!(doc.undo_size() > 3);
    let mut run = doc.start_undo_run(3).expect("a step to undo");
    while !doc.run_slice(&mut run) {}
    assert!(
        matches!(doc.finish_run(run), ia_licensing::core::document::RunEnd::Undone(s) if s == "Apply policies: No client, Supervisors")
    );
    assert_eq!(*doc.workspace(), before);
    assert!(doc.engine().same_as(&doc.recount()));
    assert_eq!(doc.history().len(), steps - 1);
    assert!(doc.can_redo());
    let mut run = doc.start_redo_run(3).expect("a step to redo");
    while !doc.run_slice(&mut run) {}
    assert!(matches!(
        doc.finish_run(run),
        ia_licensing::core::document::RunEnd::Redone(..)
    ));
    assert_eq!(*doc.workspace(), after);
    assert_eq!(doc.history().len(), steps);
    // And the redone step undoes at once, as any other.
    doc.undo();
    assert_eq!(*doc.workspace(), before);
}

#[test]
fn a_run_stopped_half_way_leaves_the_document_as_it_was() {
    let mut doc = crate::util::demo_doc();
    let command = labelled_change(&doc);
    let (before, log, generation) = (doc.workspace().clone(), doc.change_log().len(), doc.generation());
    // Applying, stopped after two slices.
    let mut run = doc.start_run(command.clone(), 3);
    doc.run_slice(&mut run);
    doc.run_slice(&mut run);
    assert_ne!(*doc.workspace(), before, "half applied");
    while !doc.roll_back_slice(&mut run) {}
    doc.abandon_run(run);
    assert_eq!(*doc.workspace(), before);
    assert_eq!(doc.change_log().len(), log);
    assert_eq!(doc.generation(), generation);
    assert!(!doc.can_undo());
    assert!(doc.engine().same_as(&doc.recount()));
    // Undoing, stopped: the step stays to undo, the document as it was.
    doc.apply(command).expect("applies");
    let (after, steps) = (doc.workspace().clone(), doc.history().len());
    let mut run = doc.start_undo_run(3).expect("a step");
    doc.run_slice(&mut run);
    doc.abandon_run(run);
    assert_eq!(*doc.workspace(), after);
    assert_eq!(doc.history().len(), steps);
    assert!(!doc.can_redo());
    // Redoing, stopped: the step stays to redo.
    doc.undo();
    let mut run = doc.start_redo_run(3).expect("a step");
    doc.run_slice(&mut run);
    doc.abandon_run(run);
    assert_eq!(*doc.workspace(), before);
    assert!(doc.can_redo());
}

#[test]
fn a_snapshot_stays_as_it_was_when_the_document_changes() {
    let mut doc = crate::util::demo_doc();
    let snapshot = doc.snapshot();
    let ids = first_users(&doc, 3);
    doc.apply(rename(&doc, &ids)).expect("renames");
    assert_ne!(*snapshot, *doc.workspace(), "the change is not in the snapshot");
    assert_eq!(
        snapshot.user(&ids[0]).map(|u| u.name.starts_with("Imported")),
        Some(false)
    );
    // Without a snapshot held, nothing is copied: the document's own.
    drop(snapshot);
    assert!(std::sync::Arc::ptr_eq(&doc.snapshot(), &doc.snapshot()));
}

/// #31 retest finding 4: a bulk change applied in slices over many frames
/// (the clock moving between them) is ONE change-log entry when saved, so
/// is its undo; and its undo step names the subjects that changed, not all
/// those asked.
#[test]
fn a_change_applied_in_slices_is_one_log_entry_named_after_what_changed() {
    use ia_licensing::core::changelog::SavedLog;
    let mut doc = crate::util::demo_doc();
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
        .expect("time")
        .to_utc();
    doc.set_clock(start, "trainer");
    let users: Vec<Subject> = doc
        .workspace()
        .users()
        .iter()
        .map(|u| Subject::user(u.id.clone()))
        .collect();
    let assign = |key: &str| Command::Assign {
        subjects: users.clone(),
        key: key.to_string(),
        method: None,
    };
    // A license some users hold already (or cannot be given).
    let keys: Vec<String> = doc.license().allowances().iter().map(|a| a.key.clone()).collect();
    let (command, without) = keys
        .iter()
        .find_map(|key| {
            let applied = doc.clone().preview(&assign(key)).ok()?;
            let changed = applied.changed();
            (changed > 3 && changed < users.len()).then(|| (assign(key), changed))
        })
        .expect("a license to give to every user");
    let saved_entries = |doc: &ia_licensing::core::document::Document| {
        let log = serde_json::to_value(SavedLog {
            unread: None,
            log: doc.change_log(),
        })
        .expect("saved");
        log.as_array().map_or(0, Vec::len)
    };
    let before = saved_entries(&doc);
    // A subject a slice: the changes fall in different slices.
    let mut run = doc.start_run(command, 1);
    let mut minute = 0;
    while !doc.run_slice(&mut run) {
        // A frame later for each slice.
        minute += 1;
        doc.set_clock(start + chrono::Duration::minutes(minute), "trainer");
    }
    assert!(minute > 3, "carried out over several frames");
    doc.finish_run(run);
    let mut times: Vec<String> = doc
        .change_log()
        .iter()
        .map(|e| format!("{} {}", e.time(), e.action()))
        .collect();
    times.dedup();
    assert_eq!(
        saved_entries(&doc),
        before + 1,
        "one entry for the bulk change: {times:?}"
    );
    let undo = doc.undo_summary().expect("a step").to_string();
    let changed = ia_licensing::core::text::thousands(without);
    assert!(
        undo.contains(&format!("{changed} users")) && !undo.contains(&format!("{} users", users.len())),
        "the undo names the {without} users changed, not the {} asked: {undo}",
        users.len()
    );
    let mut run = doc.start_undo_run(1).expect("a step to undo");
    while !doc.run_slice(&mut run) {
        minute += 1;
        doc.set_clock(start + chrono::Duration::minutes(minute), "trainer");
    }
    doc.finish_run(run);
    let mut actions: Vec<String> = doc
        .change_log()
        .iter()
        .map(|e| format!("{} {}", e.time(), e.action()))
        .collect();
    actions.dedup();
    assert_eq!(saved_entries(&doc), before + 2, "one entry for its undo: {actions:?}");
}

//! The guarded path's defences, one test per attack.

use std::path::Path;

use super::*;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(path: &Path, text: &str) {
    create_new_file(path, text.as_bytes(), 0o644).expect("write");
}

fn read(path: &Path) -> String {
    String::from_utf8(read_capped(path, 1 << 20).expect("read")).expect("utf-8")
}

/// Makes `link` a symbolic link to the file `to`.
#[cfg(unix)]
fn symlink(to: &Path, link: &Path) -> bool {
    std::os::unix::fs::symlink(to, link).expect("symbolic link");
    true
}

/// Windows lets only an administrator, or anyone in Developer Mode, make a
/// symbolic link: elsewhere the test says it skipped that part.
#[cfg(windows)]
fn symlink(to: &Path, link: &Path) -> bool {
    match std::os::windows::fs::symlink_file(to, link) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("skipped: this account cannot make symbolic links ({e})");
            false
        }
    }
}

/// A device in the file system's namespace, which must never be opened as
/// a file.
#[cfg(unix)]
fn a_device() -> Option<&'static Path> {
    Some(Path::new("/dev/null"))
}

/// Windows devices (`NUL`, `CON`) are not files in a folder: std's
/// metadata of them is an error, not a kind, so there is none to try.
#[cfg(windows)]
fn a_device() -> Option<&'static Path> {
    None
}

#[test]
fn a_link_planted_at_a_lock_file_is_refused_and_its_target_untouched() {
    let d = dir();
    let victim = d.path().join("victim.txt");
    write(&victim, "precious");
    let target = d.path().join("account.ialacct");
    write(&target, "{}");
    if !symlink(&victim, &d.path().join("account.ialacct.lock")) {
        return;
    }
    let err = FileLock::acquire(&target, "test").expect_err("a link at the lock");
    assert!(matches!(err, LockError::Unsafe { .. }), "{err}");
    assert_eq!(read(&victim), "precious");
}

#[test]
fn a_hard_link_planted_at_a_lock_file_is_refused_and_its_target_untouched() {
    let d = dir();
    let victim = d.path().join("victim.txt");
    write(&victim, "precious");
    let target = d.path().join("journal.jsonl");
    std::fs::hard_link(&victim, d.path().join("journal.jsonl.lock")).expect("hard link");
    let err = FileLock::acquire(&target, "test").expect_err("a hard link at the lock");
    assert!(err.to_string().contains("hard link"), "{err}");
    assert_eq!(read(&victim), "precious");
}

#[test]
fn two_names_for_one_file_share_one_lock() {
    let d = dir();
    let real = d.path().join("real.ialacct");
    write(&real, "{}");
    let held = FileLock::acquire(&real, "first").expect("first lock");
    let alias = d.path().join("alias.ialacct");
    if symlink(&real, &alias) {
        match FileLock::acquire(&alias, "second") {
            Err(LockError::Held(h)) => assert_eq!(h.pid, Some(std::process::id())),
            other => panic!("the alias must share the lock: {other:?}"),
        }
    }
    let dotted = d.path().join("sub").join("..").join("real.ialacct");
    std::fs::create_dir(d.path().join("sub")).expect("sub");
    assert!(matches!(FileLock::acquire(&dotted, "third"), Err(LockError::Held(_))));
    drop(held);
    FileLock::acquire(&dotted, "after").expect("free once released");
}

#[cfg(unix)]
#[test]
fn a_fifo_at_a_lock_file_is_refused_without_waiting() {
    let d = dir();
    let target = d.path().join("w.ialws");
    let fifo = d.path().join("w.ialws.lock");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    assert!(matches!(FileLock::acquire(&target, "t"), Err(LockError::Unsafe { .. })));
}

/// Shown as ignored on Windows, with the reason, so the gap is visible.
#[cfg(not(unix))]
#[test]
#[ignore = "Windows has no FIFOs in folders (named pipes live in \\\\.\\pipe\\)"]
fn a_fifo_at_a_lock_file_is_refused_without_waiting() {}

#[test]
fn the_lock_file_is_written_only_once_held() {
    let d = dir();
    let target = d.path().join("a.ialacct");
    let first = FileLock::acquire(&target, "first").expect("lock");
    let text_before = read(first.path());
    assert!(matches!(FileLock::acquire(&target, "second"), Err(LockError::Held(_))));
    assert_eq!(
        read(first.path()),
        text_before,
        "a refused locker must not touch the file"
    );
}

#[test]
fn an_output_that_is_an_input_by_another_name_is_refused() {
    let d = dir();
    let input = d.path().join("site.I3Lic");
    write(&input, "license");
    let hard = d.path().join("hard.I3Lic");
    std::fs::hard_link(&input, &hard).expect("hard link");
    let mut names = vec![input.clone(), hard, d.path().join(".").join("site.I3Lic")];
    let alias = d.path().join("alias.I3Lic");
    if symlink(&input, &alias) {
        names.push(alias);
    }
    for out in names {
        let err = check_output(&out, &[&input]).expect_err("same file");
        assert!(matches!(err, FileError::SameAsInput { .. }), "{err}");
        assert!(err.to_string().contains("site.I3Lic"), "{err}");
    }
    check_output(&d.path().join("new.I3Lic"), &[&input]).expect("a new file is fine");
}

#[test]
fn nothing_is_written_over_a_secret_key() {
    let d = dir();
    let key = d.path().join("k.key");
    let text = r#"{"algorithm":"ed25519","key_id":"x","public_key":"AAAA","secret_key":"BBBB"}"#;
    write(&key, text);
    assert!(is_secret_key(&key));
    let err = atomic_write(&key, b"a license").expect_err("over a key");
    assert!(matches!(err, FileError::SecretKey { .. }), "{err}");
    assert_eq!(read(&key), text);
    assert!(matches!(check_output(&key, &[]), Err(FileError::SecretKey { .. })));
    let other = d.path().join("other.json");
    write(&other, r#"{"secret":"no"}"#);
    assert!(!is_secret_key(&other));
    atomic_write(&other, b"{}").expect("an ordinary file is replaced");
}

#[test]
fn a_database_is_opened_only_as_a_regular_file_with_no_planted_side_files() {
    let d = dir();
    let victim = d.path().join("victim.txt");
    write(&victim, "precious");
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_CREATE;
    let link = d.path().join("link.ialhist");
    if symlink(&victim, &link) {
        assert!(matches!(open_database(&link, flags), Err(FileError::Link { .. })));
    }
    let db = d.path().join("h.ialhist");
    if symlink(&victim, &d.path().join("h.ialhist-journal")) {
        assert!(matches!(open_database(&db, flags), Err(FileError::Link { .. })));
        assert!(!db.exists(), "nothing created");
    }
    assert_eq!(read(&victim), "precious");
    if let Some(device) = a_device() {
        assert!(matches!(
            open_database(device, flags),
            Err(FileError::NotRegular { .. })
        ));
    }
    let fresh = d.path().join("fresh.ialhist");
    open_database(&fresh, flags).expect("a new file");
    assert!(fresh.is_file());
}

#[test]
fn appending_never_follows_a_link() {
    let d = dir();
    let victim = d.path().join("victim.txt");
    write(&victim, "precious");
    let journal = d.path().join("j.jsonl");
    if !symlink(&victim, &journal) {
        return;
    }
    assert!(matches!(open_append(&journal), Err(FileError::Link { .. })));
    assert_eq!(read(&victim), "precious");
}

#[test]
fn canonical_resolves_a_file_that_does_not_exist_yet() {
    let d = dir();
    let p = d.path().join("sub").join("..").join("new.txt");
    std::fs::create_dir(d.path().join("sub")).expect("sub");
    assert_eq!(canonical(&p), canonical(d.path()).join("new.txt"));
}

#[test]
fn a_staged_write_lands_only_when_persisted() {
    let d = dir();
    let target = d.path().join("out.I3Lic");
    let staged = write_temporary(&target, Follow::Never, |w| w.write_all(b"new")).expect("stage");
    assert!(!target.exists());
    drop(staged);
    assert!(!target.exists());
    assert_eq!(
        std::fs::read_dir(d.path()).expect("dir").count(),
        0,
        "temporary file removed"
    );
    write_temporary(&target, Follow::Never, |w| w.write_all(b"new"))
        .expect("stage")
        .persist(true)
        .expect("persist");
    assert_eq!(read(&target), "new");
}

//! The one guarded path to the file system. Every read, write, lock, output
//! and database open of the program goes through here (a test greps
//! `src/` for any other), so each defence holds for every file type by
//! construction:
//! - only regular files are opened (checked on the open handle), reads are
//!   capped and never block on a pipe;
//! - saves are atomic (temporary file, sync, rename) and keep a backup;
//!   nothing is ever written over an issuer secret key;
//! - lock files are opened without following links, must be plain files
//!   of their own, are written only once the lock is held, and are keyed
//!   on the file itself (two names for one file share one lock);
//! - an output is refused when it is the same file as an input;
//! - a database opens only as a regular file, with no link at its side
//!   files.
//!
//! This module imports nothing else of the core (it is the bottom layer);
//! every platform-specific call is in `platform.rs`, with a Windows arm.

mod database;
mod error;
mod identity;
mod lock;
mod platform;
mod read;
mod write;

pub use database::{open_database, open_in_memory, side_files};
pub use error::{FileError, Holder, LockError};
pub use identity::{canonical, check_output, is_secret_key, same_file};
pub use lock::{FileLock, lock_path, parse_holder};
pub use read::{
    DiskStamp, all_entries_in, exists, files_in, is_dir, is_file, is_link, open_regular, open_stream, read_capped,
    read_capped_with, size_of,
};
pub use write::{
    Follow, Staged, atomic_write, atomic_write_in_place, atomic_write_in_place_with, atomic_write_with, create_dir_all,
    create_new_atomic, create_new_atomic_with, create_new_file, leftovers_of, open_append, output_target, remove_file,
    rename, save_target, write_temporary,
};

/// An open file (returned by the functions above).
pub type File = std::fs::File;

#[cfg(test)]
mod tests;

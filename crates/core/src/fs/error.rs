//! Why a file could not be read, written or locked. Each message names the
//! file and says what to do.

use std::path::PathBuf;

/// Why a file could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("cannot open {} ({reason}); check the path", .path.display())]
    Open { path: PathBuf, reason: String },
    #[error("{} is a folder; choose a file", .path.display())]
    Folder { path: PathBuf },
    #[error("{} is not a regular file (a pipe, socket or device); only files are read", .path.display())]
    NotRegular { path: PathBuf },
    #[error(
        "{} is {:.1} MiB; the most this file type may be is {} MiB",
        .path.display(),
        *.size as f64 / 1048576.0,
        .max / 1048576
    )]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("cannot read {} ({reason})", .path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{} already exists (or is a link); choose another folder, nothing is overwritten", .path.display())]
    Exists { path: PathBuf },
    #[error("cannot create {} ({reason})", .path.display())]
    Create { path: PathBuf, reason: String },
    #[error("cannot write {} ({reason}); nothing was kept", .path.display())]
    WriteNew { path: PathBuf, reason: String },
    #[error("{} is a symbolic link to a file that does not exist; save to a real path", .path.display())]
    DanglingLink { path: PathBuf },
    #[error("{} is a symbolic link to something that is not a file; save to a real path", .path.display())]
    LinkToNonFile { path: PathBuf },
    #[error("{} is not a regular file (a folder, pipe or device); choose a file name", .path.display())]
    NotAFile { path: PathBuf },
    #[error("cannot save {} ({reason}); the file on disk is unchanged", .path.display())]
    Save { path: PathBuf, reason: String },
    #[error("cannot keep the previous version as {} ({reason}); nothing was saved", .bak.display())]
    Backup { bak: PathBuf, reason: String },
    /// An output names a file the same command reads (or a key it uses):
    /// writing it would destroy that input.
    #[error(
        "the output {} is the same file as the input {} (or its lock or backup); writing it would destroy it. Choose \
         another output file",
        .output.display(),
        .input.display()
    )]
    SameAsInput { output: PathBuf, input: PathBuf },
    /// An output names a file an input keeps beside it (a workspace's usage
    /// history or recovery journal), whether or not it exists yet.
    #[error(
        "the output {} is {what}; writing it there would destroy it, or leave a file nothing can read in its \
         place. Choose another output file",
        .output.display()
    )]
    KeptWithInput { output: PathBuf, what: String },
    /// Nothing is ever written over an issuer secret key.
    #[error(
        "{} is an issuer secret key; nothing is ever written over a key. Choose another output file",
        .path.display()
    )]
    SecretKey { path: PathBuf },
    /// A file that must be readable by its owner alone (an issuer secret
    /// key) on a system where this program sets no access lists (Windows).
    #[error(
        "{} would be readable by whoever may read its folder: on Windows this program cannot make a file private \
         to you, so it does not write a secret key there. Make the key pair on Linux or macOS",
        .path.display()
    )]
    PrivateUnsupported { path: PathBuf },
    /// A path that must be the file itself is a symbolic link.
    #[error("{} is a symbolic link; give the file itself", .path.display())]
    Link { path: PathBuf },
    /// Text read from a file is not what its kind must be (a BOM, NUL
    /// bytes, empty, duplicate keys).
    #[error("{0}")]
    Content(String),
}

/// Who holds a lock (from its lock file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    pub program: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "process {pid} ({})", self.program),
            None => write!(f, "another process"),
        }
    }
}

/// Why a lock could not be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    #[error("this workspace is being edited by {0}; close it there first, or open it read-only")]
    Held(Holder),
    /// The lock file itself is not safe to use (a link, a device, a file
    /// with other names): it is left alone and nothing is locked.
    #[error(
        "the lock file {} is not a plain file of its own ({why}); it was left untouched. Remove it if nothing \
         uses it, then try again",
        .path.display()
    )]
    Unsafe { path: PathBuf, why: &'static str },
    #[error("cannot lock {0}")]
    Io(String),
}

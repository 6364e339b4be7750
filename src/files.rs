//! Files at rest: the database, its backups and the catalog exports hold
//! customers' names, phones and addresses, or what the shop has in stock,
//! so each is made readable and writable by its owner only (0600), and a
//! backup never writes through a name it did not create.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates the database file at `path` readable and writable by its owner
/// only, if it does not exist yet, before SQLite opens it: SQLite gives the
/// `-wal` and `-shm` files it makes beside it the database file's mode. An
/// existing file keeps the mode its owner gave it; a warning says when
/// others can read it.
pub fn create_private_database(path: &Path) -> io::Result<()> {
    #[cfg(not(unix))]
    let _ = path;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let created = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
        match created {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let mode = std::fs::metadata(path).map_or(0, |m| m.permissions().mode());
                if mode & 0o077 != 0 {
                    tracing::warn!(
                        path = %path.display(),
                        mode = format!("{:o}", mode & 0o777),
                        "the database file is readable by other users: chmod 600 it (and its -wal and -shm files)"
                    );
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A new file at `target`, readable and writable by its owner only; an
/// existing entry of any kind is an error (`AlreadyExists`: a dangling
/// symbolic link included, as `O_CREAT | O_EXCL` refuses it), and a link
/// is never followed.
pub fn claim_new(target: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(target)
}

/// A new folder in `parent` only its owner can enter (0700), its name
/// starting with `prefix`; removed when dropped.
pub fn private_folder(parent: &Path, prefix: &str) -> io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    let owner_only = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o700)
    };
    #[cfg(unix)]
    builder.permissions(owner_only);
    builder.tempdir_in(parent)
}

/// The file at `path`, created (or emptied) readable and writable by its
/// owner only. An existing file is overwritten and keeps its mode.
pub fn private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

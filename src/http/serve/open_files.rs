//! The process's limit on open files, which bounds how many connections it
//! can hold: every connection is a file, and so are the database's.
//!
//! Many systems start a process with a soft limit of 1,024 open files and a
//! much higher hard limit. Past the soft limit `accept` fails, and a server
//! full of idle connections can serve nobody, not even `/healthz`. So the
//! server raises its soft limit to the hard one at start-up, as Go's
//! runtime does for every program, and caps its connections below what is
//! left after the files the store needs.

/// Files kept for everything but connections: the listener, the runtime's
/// own descriptors, logs, and room for a backup or a migration to open
/// theirs; the database's files are counted on top (`reserved_files`).
const FILES_FOR_THE_PROCESS: usize = 128;

/// Raises the soft limit on open files to the hard limit; answers the soft
/// limit now in force, `None` where it is unknown or unlimited.
pub fn raise_soft_limit() -> Option<u64> {
    imp::raise_soft_limit()
}

/// The soft limit on open files, `None` where unknown or unlimited.
pub fn soft_limit() -> Option<u64> {
    imp::soft_limit()
}

/// Files to keep for other uses than connections, with the store's:
/// each SQLite connection holds its database, its WAL and its shared
/// memory (the readers, the writer and the checkpointer), and each
/// PostgreSQL connection one socket.
pub fn reserved_files(sqlite_readers_max: u32, pg_pool_max: usize) -> usize {
    let sqlite_connections = sqlite_readers_max as usize + 2;
    FILES_FOR_THE_PROCESS + 3 * sqlite_connections + pg_pool_max
}

/// How many connections fit under `limit` open files with `reserved` kept.
pub fn connections_that_fit(limit: Option<u64>, reserved: usize) -> Option<usize> {
    let limit = usize::try_from(limit?).unwrap_or(usize::MAX);
    Some(limit.saturating_sub(reserved))
}

#[cfg(unix)]
mod imp {
    use rustix::process::{Resource, getrlimit, setrlimit};

    pub fn raise_soft_limit() -> Option<u64> {
        let limit = getrlimit(Resource::Nofile);
        if limit.current != limit.maximum {
            let raised = rustix::process::Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            };
            if let Err(error) = setrlimit(Resource::Nofile, raised) {
                tracing::warn!(%error, "could not raise the limit on open files");
            }
        }
        soft_limit()
    }

    pub fn soft_limit() -> Option<u64> {
        getrlimit(Resource::Nofile).current
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn raise_soft_limit() -> Option<u64> {
        None
    }

    pub fn soft_limit() -> Option<u64> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_of_the_store_and_the_process_are_kept_out_of_the_connections_budget() {
        let reserved = reserved_files(4, 16);
        assert_eq!(reserved, 128 + 3 * 6 + 16);
        assert_eq!(connections_that_fit(Some(1024), reserved), Some(862));
        assert_eq!(connections_that_fit(Some(100), reserved), Some(0));
        assert_eq!(connections_that_fit(None, reserved), None);
    }

    #[test]
    fn raising_the_soft_limit_never_lowers_it() {
        let before = soft_limit();
        let after = raise_soft_limit();
        match (before, after) {
            (Some(before), Some(after)) => assert!(after >= before),
            (_, after) => assert!(after.is_none() || before.is_none()),
        }
    }
}

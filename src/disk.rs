//! Whether the disk under the database is full, as the store's writes found
//! it: for `/readyz`, for the metrics, and for one clear line in the log.
//! Plain state and files: the store tells it what its writes met.
//!
//! A full disk is an operating condition, not a bug: writes fail
//! (`StoreError::DiskFull`, answered 503) while reads go on. The first write
//! refused for it marks the disk full and says so in the log, once, with
//! where the database is. Some writes may still go through meanwhile (a
//! small one fits in space the database's files already hold), so a write
//! that succeeds proves little; the disk counts as having room again only
//! once a probe goes through: a write of the store's own that needs new
//! space (`Store::probe_disk`), run at most once per `PROBE_PERIOD`, when
//! `/readyz` is asked or a write succeeds while the disk is marked full.
//! So an instance a load balancer stopped sending buyers to comes back by
//! itself once space is freed.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// At most one probe per this long, however often `/readyz` is asked.
const PROBE_PERIOD: Duration = Duration::from_secs(1);

/// What the writes of one store found of its disk.
#[derive(Debug)]
pub struct DiskSpace {
    /// Where the database lives, for the log: a SQLite file's folder, or a
    /// PostgreSQL server (its password redacted).
    location: String,
    full: AtomicBool,
    /// Writes refused because the disk was full, since the start.
    refused: AtomicU64,
    last_probe: Mutex<Option<Instant>>,
}

impl DiskSpace {
    pub fn new(location: String) -> DiskSpace {
        DiskSpace {
            location,
            full: AtomicBool::new(false),
            refused: AtomicU64::new(0),
            last_probe: Mutex::new(None),
        }
    }

    /// Whether the last word on the disk was that it is full.
    pub fn is_full(&self) -> bool {
        self.full.load(Ordering::Relaxed)
    }

    /// Writes refused because the disk was full, since the start.
    pub fn refused_writes(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Notes a write refused for a full disk (`detail` is what the database
    /// or the file system said): counts it, and says so in the log when the
    /// disk was not known to be full.
    pub fn note_refused(&self, detail: &str) {
        self.refused.fetch_add(1, Ordering::Relaxed);
        if !self.full.swap(true, Ordering::Relaxed) {
            tracing::error!(
                database = %self.location,
                %detail,
                "the disk is full: no order or change can be saved until space is freed \
                 there; reads go on, and /readyz answers 503 meanwhile"
            );
        }
    }

    /// Notes a probe that went through: the disk has room again.
    pub fn note_room(&self) {
        if self.full.swap(false, Ordering::Relaxed) {
            tracing::info!(database = %self.location, "the disk has room again: writes succeed");
        }
    }

    /// Whether a probe may run now (and, if so, none other for a while).
    pub fn probe_due(&self) -> bool {
        let mut last = self
            .last_probe
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < PROBE_PERIOD) {
            return false;
        }
        *last = Some(now);
        true
    }
}

/// `ENOSPC`, and `EDQUOT` (a quota is a full disk for whoever meets it).
pub fn is_full_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// Whether the folder of `path` has room for `bytes` more: a file of that
/// size written at `path`, synced, and removed whatever happened.
pub fn write_probe(path: &Path, bytes: usize) -> std::io::Result<()> {
    let written = std::fs::File::create(path).and_then(|mut file| {
        file.write_all(&vec![0u8; bytes])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(path);
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "database or disk is full";

    #[test]
    fn a_refused_write_marks_the_disk_full_until_a_probe_goes_through() {
        let disk = DiskSpace::new("/var/lib/stockroom/shop.db".into());
        assert!(!disk.is_full());
        disk.note_refused(FULL);
        disk.note_refused(FULL);
        assert!(disk.is_full());
        assert_eq!(disk.refused_writes(), 2);
        disk.note_room();
        assert!(!disk.is_full());
        assert_eq!(disk.refused_writes(), 2, "the count is a total");
    }

    #[test]
    fn probes_are_spaced_out() {
        let disk = DiskSpace::new("db".into());
        assert!(disk.probe_due());
        assert!(!disk.probe_due());
    }
}

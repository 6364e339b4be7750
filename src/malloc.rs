//! glibc's allocator tuned for a rush of checkouts: one `unsafe` call at
//! start-up, measured before it was kept (docs/BENCHMARKS.md).

/// Call once at start-up, before the store opens.
///
/// SQLite frees and reallocates its savepoint journals on every order; with
/// glibc's default trim threshold each free hands memory back to the kernel
/// and the next order asks for it again. Measured (docs/BENCHMARKS.md):
/// raising the threshold doubles batched checkout throughput. Two malloc
/// arenas instead of glibc's eight per core keep RSS under budget with a
/// thousand connections (measured: 170 → 148 MB, throughput unchanged).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(
    unsafe_code,
    reason = "mallopt is the only way to set glibc's allocator tunables at run time"
)]
pub fn raise_malloc_trim_threshold() {
    const TRIM_THRESHOLD_BYTES: libc::c_int = 16 * 1024 * 1024;
    const ARENAS_MAX: libc::c_int = 2;
    // SAFETY: mallopt only sets allocator tunables; it is called once at
    // start-up with valid parameters and touches no memory we own.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES);
        libc::mallopt(libc::M_ARENA_MAX, ARENAS_MAX);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn raise_malloc_trim_threshold() {}

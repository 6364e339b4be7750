//! What a test does when something it needs is missing from the machine:
//! outside CI it says that it is skipped, and passes; in CI (the variable
//! `CI` set to anything but empty) it fails, since a run that passes
//! without testing anything proves nothing. Shared by the test binaries
//! (`#[path]`).

#![allow(dead_code)]

use std::io::Write;

pub const CI_VARIABLE: &str = "CI";

/// Whether the tests run in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var_os(CI_VARIABLE).is_some_and(|value| !value.is_empty())
}

/// A test that cannot run because `missing` is missing: fails it in CI,
/// and elsewhere says so on stderr itself (the test harness would swallow a
/// `println!` of a test that passes). The caller returns right after.
pub fn skip(test: &str, missing: &str) {
    assert!(
        !in_ci(),
        "`{test}` cannot run: {missing}. {CI_VARIABLE} is set, so it fails rather than pass untested."
    );
    let _ = writeln!(std::io::stderr(), "skipped `{test}`: {missing}");
}

/// A test that can run, but without one of its checks, because `missing`
/// is missing: fails it in CI, and elsewhere says on stderr that it runs
/// without `check`. The test goes on after.
pub fn skip_check(test: &str, check: &str, missing: &str) {
    assert!(
        !in_ci(),
        "`{test}` cannot run {check}: {missing}. {CI_VARIABLE} is set, so it fails rather than pass unchecked."
    );
    let _ = writeln!(
        std::io::stderr(),
        "`{test}` runs without {check}, skipped: {missing}"
    );
}

/// Runs one test of this very test binary, found by its exact name, with
/// `CI` set to `ci` (removed when `None`) and the variables `set` and
/// `removed`; answers whether it passed, and what it printed. The checks
/// that a skip fails in CI use it.
pub fn run_own_test(
    test: &str,
    ci: Option<&str>,
    set: &[(&str, &str)],
    removed: &[&str],
) -> (bool, String) {
    let binary = std::env::current_exe().expect("the test binary's path");
    let mut command = std::process::Command::new(binary);
    command
        .args([test, "--exact", "--test-threads=1"])
        .env_remove(CI_VARIABLE);
    if let Some(ci) = ci {
        command.env(CI_VARIABLE, ci);
    }
    for (name, value) in set {
        command.env(name, value);
    }
    for name in removed {
        command.env_remove(name);
    }
    let output = command.output().expect("the test binary runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

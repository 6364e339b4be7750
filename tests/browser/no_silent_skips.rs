//! A browser test without Chromium, or without axe-core for its
//! accessibility check, fails in CI rather than pass untested: this binary
//! runs one of its own tests with `STOCKROOM_CHROMIUM` or `STOCKROOM_AXE`
//! naming a file that does not exist, with `CI` set and without it. Cheap:
//! each run stops before it would start a server or a browser.

use crate::skip::run_own_test;

const TEST: &str =
    "storefront::a_buyer_is_refused_beyond_the_stock_then_orders_once_and_follows_the_order";
const NO_CHROMIUM: (&str, &str) = ("STOCKROOM_CHROMIUM", "/nonexistent/chromium");
const NO_AXE: (&str, &str) = ("STOCKROOM_AXE", "/nonexistent/axe.min.js");

/// A file that exists, to stand for axe-core where only Chromium is
/// missing: the test stops at Chromium before it would read it.
fn some_file() -> String {
    std::env::current_exe()
        .expect("the test binary's path")
        .display()
        .to_string()
}

#[test]
fn without_chromium_a_browser_test_fails_in_ci_and_is_skipped_elsewhere() {
    let axe = some_file();
    let set = [NO_CHROMIUM, ("STOCKROOM_AXE", axe.as_str())];
    let (passed, printed) = run_own_test(TEST, Some("1"), &set, &[]);
    assert!(!passed, "it must fail in CI:\n{printed}");
    assert!(printed.contains("1 failed"), "{printed}");
    assert!(
        printed.contains("/nonexistent/chromium is missing"),
        "the failure says why:\n{printed}"
    );

    let (passed, printed) = run_own_test(TEST, None, &set, &[]);
    assert!(passed, "outside CI it is skipped:\n{printed}");
    assert!(printed.contains("1 passed"), "{printed}");
    assert!(printed.contains("skipped `a_buyer_orders`"), "{printed}");
}

#[test]
fn without_axe_core_a_browser_test_fails_in_ci_and_says_it_skips_the_check_elsewhere() {
    let (passed, printed) = run_own_test(TEST, Some("1"), &[NO_AXE], &[]);
    assert!(!passed, "it must fail in CI:\n{printed}");
    assert!(printed.contains("1 failed"), "{printed}");
    assert!(
        printed.contains("cannot run the accessibility check")
            && printed.contains("/nonexistent/axe.min.js is missing"),
        "the failure says why:\n{printed}"
    );

    // Without Chromium too, so that the test stops right after the notice.
    let (passed, printed) = run_own_test(TEST, None, &[NO_AXE, NO_CHROMIUM], &[]);
    assert!(
        passed,
        "outside CI it goes on without the check:\n{printed}"
    );
    assert!(printed.contains("1 passed"), "{printed}");
    assert!(
        printed.contains("`a_buyer_orders` runs without the accessibility check, skipped: /nonexistent/axe.min.js is missing (npm ci --prefix tests/browser/axe)"),
        "{printed}"
    );
}

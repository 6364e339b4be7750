//! A browser test without Chromium fails in CI rather than pass untested:
//! this binary runs one of its own tests with `STOCKROOM_CHROMIUM` naming a
//! file that does not exist, with `CI` set and without it. Cheap: the test
//! stops before it would start a server or a browser.

use crate::skip::run_own_test;

const TEST: &str =
    "storefront::a_buyer_is_refused_beyond_the_stock_then_orders_once_and_follows_the_order";
const NO_CHROMIUM: (&str, &str) = ("STOCKROOM_CHROMIUM", "/nonexistent/chromium");

#[test]
fn without_chromium_a_browser_test_fails_in_ci_and_is_skipped_elsewhere() {
    let (passed, printed) = run_own_test(TEST, Some("1"), &[NO_CHROMIUM], &[]);
    assert!(!passed, "it must fail in CI:\n{printed}");
    assert!(printed.contains("1 failed"), "{printed}");
    assert!(
        printed.contains("/nonexistent/chromium is missing"),
        "the failure says why:\n{printed}"
    );

    let (passed, printed) = run_own_test(TEST, None, &[NO_CHROMIUM], &[]);
    assert!(passed, "outside CI it is skipped:\n{printed}");
    assert!(printed.contains("1 passed"), "{printed}");
    assert!(printed.contains("skipped `a_buyer_orders`"), "{printed}");
}

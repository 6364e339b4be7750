//! A PostgreSQL scenario without its database fails in CI rather than pass
//! untested: this suite's own binary is run on one such scenario without
//! the url, with `CI` set and without it. Cheap: the scenario stops before
//! it would connect.

use crate::pg_schema::URL_VARIABLE;
use crate::pg_schema::skip::run_own_test;

const SCENARIO: &str = "import::variants_that_swap_sizes_are_refused_by_line::on_postgres";

#[test]
fn without_its_database_a_postgres_scenario_fails_in_ci_and_is_skipped_elsewhere() {
    let (passed, printed) = run_own_test(SCENARIO, Some("1"), &[], &[URL_VARIABLE]);
    assert!(!passed, "it must fail in CI:\n{printed}");
    assert!(printed.contains("1 failed"), "{printed}");
    assert!(
        printed.contains(&format!("{URL_VARIABLE} is not set")),
        "the failure says why:\n{printed}"
    );

    for ci in [None, Some("")] {
        let (passed, printed) = run_own_test(SCENARIO, ci, &[], &[URL_VARIABLE]);
        assert!(passed, "outside CI ({ci:?}) it is skipped:\n{printed}");
        assert!(printed.contains("1 passed"), "{printed}");
        assert!(
            printed.contains(&format!("skipped `{SCENARIO_LABEL}`")),
            "{printed}"
        );
    }
}

/// What the scenario calls itself when it says it is skipped.
const SCENARIO_LABEL: &str = "variants_that_swap_sizes_are_refused_by_line";

//! One fixture per rule: the lines that must fire, and near misses that
//! must not, plus a snapshot of what the user sees.

use supportlint::{Checker, Diagnostic};

use crate::harness::check_fixture;

/// A rule fixture enables only its rule (and the front-end errors, which
/// must not occur).
fn only(code: &'static str) -> impl Fn(&Diagnostic) -> bool + Copy {
    move |d: &Diagnostic| d.code == code || d.code.starts_with('E')
}

macro_rules! rule_fixtures {
    ($($test:ident: $code:literal => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            let rendered = check_fixture(&Checker::new(), "rules", $file, only($code));
            insta::assert_snapshot!(stringify!($test), rendered);
        }
    )*};
}

rule_fixtures! {
    k001_handle_time_below_promise: "K001" => "K001_handle_time_below_promise.policy",
    k001_from_defaults: "K001" => "K001_from_defaults.policy",
    k001_near_misses: "K001" => "K001_near_misses.policy",
    k001_with_norms_override: "K001" => "K001_norms_override.policy",
}

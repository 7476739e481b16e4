//! Policy text (any bytes) through the checker and every renderer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use supportlint::Checker;

fuzz_target!(|data: &[u8]| {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    let checker = CHECKER.get_or_init(Checker::new);
    supportlint_fuzz::check_policy(checker, "fuzz.policy", data);
});

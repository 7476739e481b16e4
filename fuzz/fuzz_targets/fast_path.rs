//! Policy text through both readers: the fast path (`src/syntax/fast.rs`)
//! must give up or read exactly the tree and diagnostics pest reads, under
//! the default limits and under tiny ones (where it must give up).
#![no_main]

use libfuzzer_sys::fuzz_target;
use supportlint::syntax::{Limits, fast_path_agrees};
use supportlint::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = Source::new("fuzz.policy", text.to_string());
    let tiny = Limits { max_teams: 2, max_statements: 3, ..Limits::default() };
    for limits in [Limits::default(), tiny] {
        if let Err(difference) = fast_path_agrees(&source, &limits) {
            panic!("{difference}");
        }
    }
});

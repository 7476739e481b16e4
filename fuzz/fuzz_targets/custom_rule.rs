//! The body of a custom `rule`, beside a team that states every fact a rule
//! can read, so the fuzzer explores expressions, paths and messages rather
//! than the rest of the grammar.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use supportlint::Checker;

const TEAM: &str = r#"team "Care" {
  channel chat
  hours 08:00-20:00
  demand 600/h
  agents 42
  shrinkage 30%
  concurrency 2
  service_level 80% within 20s
  patience 2m
  target handle_time <= 3m weight 40% set_by executive
  target csat >= 4.5/5 weight 30%
  target first_contact_resolution >= 75% weight 30%
  promise thorough, personalized
  authority {
    refund up_to $50
    credit up_to $20 approval supervisor
  }
  drivers {
    "billing dispute" 40% needs refund up_to $120
    "outage" 30% preventable
  }
  scripts verbatim
  emotional_load high
  training { cadence once  sequence customer_methods, resilience }
  directive executive: minimize handle_time
}
team "Bare" { channel email }
"#;

fuzz_target!(|data: &[u8]| {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    let checker = CHECKER.get_or_init(Checker::new);
    let body = String::from_utf8_lossy(data);
    let text = format!("{TEAM}rule \"r\" {{\n{body}\n}}\n");
    supportlint_fuzz::check_policy(checker, "rule.policy", text.as_bytes());
});

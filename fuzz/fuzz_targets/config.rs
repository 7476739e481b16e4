//! Configuration text (`supportlint.yaml`) through the library's parser:
//! problems located and rendered safely; a configuration that parses is
//! applied to a policy, which is then checked like any other.
#![no_main]

use libfuzzer_sys::fuzz_target;
use supportlint::config::{Config, parse};
use supportlint::report::human::{Style, render};
use supportlint::{Checker, Source};

const POLICY: &str = r#"team "Care" {
  channel phone
  demand 600/h
  agents 42
  target handle_time <= 3m weight 40%
  promise thorough
  training { cadence once }
  allow one-off-training "being redesigned"
}
rule "phone-only" { when channel == phone message "{channel}" }
"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = Source::new("supportlint.yaml", text);
    let parsed = parse(&source);
    assert_eq!(parsed, parse(&source), "two parses differ");
    match parsed {
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a configuration refused without a diagnostic");
            supportlint_fuzz::check_diagnostics(&source, &diagnostics, true);
            for d in &diagnostics {
                for color in [false, true] {
                    let rendered = render(d, &source, Style { color, unicode: true, width: 80 });
                    supportlint_fuzz::assert_safe("configuration", &rendered, false);
                }
            }
        }
        Ok(file) => {
            for (named, _) in &file.rules {
                if let Some((_, span)) = &named.at {
                    assert!((span.end as usize) <= text.len() && text.is_char_boundary(span.start as usize));
                }
            }
            let mut config = Config::default();
            config.layer(&file);
            // A name that is no rule is refused with located problems; the
            // configuration that is accepted is applied to a policy.
            match Checker::new().with_config(&config) {
                Ok(checker) => supportlint_fuzz::check_policy(&checker, "care.policy", POLICY.as_bytes()),
                Err(error) => {
                    assert!(!error.problems().is_empty(), "a configuration refused without a problem");
                    for problem in error.problems() {
                        if let Some(source) = &problem.source {
                            supportlint_fuzz::check_diagnostics(source, std::slice::from_ref(&problem.diagnostic), true);
                        }
                    }
                }
            }
        }
    }
});

//! The library as a Rust service uses it: rules registered from Rust,
//! configuration without IO, parse once and check many times, findings as
//! data and as miette reports, one checker shared between threads.

use supportlint::config::Config;
use supportlint::config::Level;
use supportlint::rules::{Context, Rule};
use supportlint::syntax::Limits;
use supportlint::{Checker, Diagnostic, Source};

supportlint::declare_rule! {
    /// Flags a team of fewer than three agents: one absence and nobody
    /// answers.
    ///
    /// ## How to fix
    ///
    /// Staff the queue with three agents or more, or merge it into another.
    pub struct TinyTeam {
        code: "Z001",
        name: "tiny-team",
        category: Staffing,
        severity: Warning,
        norms: [],
    }
}

impl Rule for TinyTeam {
    fn meta(&self) -> &'static supportlint::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if let Some(agents) = cx.team.agents.as_ref().filter(|a| a.value < 3) {
            out.push(
                cx.finding(&Self::META, format!("`{}` has {} agents", cx.team.name, agents.value))
                    .primary(agents.span, "fewer than 3")
                    .figure("scheduled_agents", agents.value as f64),
            );
        }
    }
}

const TINY: &str = "team \"Night\" {\n  channel email\n  agents 2\n}\n";

fn codes(checker: &Checker, text: &str) -> Vec<String> {
    let report = checker.check(&Source::new("t.policy", text));
    report.diagnostics.iter().filter(|d| !d.is_suppressed()).map(|d| d.code.to_string()).collect()
}

fn with_tiny() -> Checker {
    Checker::new().with_rule(TinyTeam).unwrap()
}

#[test]
fn a_rule_from_rust_fires_with_its_category() {
    let report = with_tiny().check(&Source::new("t.policy", TINY));
    let found = report.diagnostics.iter().find(|d| d.code == "Z001").unwrap();
    assert_eq!(found.category, supportlint::rules::Category::Staffing);
    assert_eq!(found.team.as_deref(), Some("Night"));
    assert_eq!(found.figure_value("scheduled_agents"), Some(2.0));
    let json = supportlint::report::json::document(std::slice::from_ref(&report), Vec::new());
    let json = serde_json::to_value(&json).unwrap();
    let finding = json["findings"].as_array().unwrap().iter().find(|f| f["code"] == "Z001").unwrap();
    assert_eq!(finding["category"], "staffing");
    assert_eq!(finding["figures"]["scheduled_agents"], 2.0);
}

#[test]
fn a_rule_from_rust_is_turned_off_by_code_name_and_category() {
    assert!(codes(&with_tiny(), TINY).contains(&"Z001".to_string()));
    for name in ["Z001", "tiny-team", "staffing"] {
        let off = with_tiny().with_level(name, Level::Off).unwrap();
        assert!(!codes(&off, TINY).contains(&"Z001".to_string()), "{name}");
        let yaml = Source::new("supportlint.yaml", format!("rules:\n  {name}: off\n"));
        let config = Config::from_yaml(&yaml).unwrap();
        let off = with_tiny().with_config(&config).unwrap();
        assert!(!codes(&off, TINY).contains(&"Z001".to_string()), "{name} in YAML");
    }
    // A level for a rule the checker does not know is an error, with a
    // suggestion, in code and in YAML.
    assert!(with_tiny().with_level("Z01", Level::Off).is_err());
    let yaml = Source::new("supportlint.yaml", "rules:\n  Z002: off\n");
    let error = with_tiny().with_config(&Config::from_yaml(&yaml).unwrap()).unwrap_err();
    assert_eq!(error.problems()[0].diagnostic.code, "X002");
}

#[test]
fn an_allow_silences_a_rule_from_rust_by_code_or_name() {
    for name in ["Z001", "tiny-team"] {
        let text = TINY.replace("agents 2\n", &format!("agents 2\n  allow {name} \"night cover is shared\"\n"));
        let found = codes(&with_tiny(), &text);
        assert!(!found.iter().any(|c| c == "Z001" || c.starts_with('X')), "{name}: {found:?}");
    }
}

#[test]
fn a_rule_from_rust_has_its_docs_in_sarif() {
    let report = with_tiny().check(&Source::new("t.policy", TINY));
    let sarif: serde_json::Value = serde_json::from_str(&supportlint::report::sarif::log(&[report])).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let tiny = rules.iter().find(|r| r["id"] == "Z001").unwrap();
    assert_eq!(tiny["name"], "tiny-team");
    assert!(tiny["fullDescription"]["text"].as_str().unwrap().contains("one absence and nobody"));
    // Registered even when it does not fire.
    let quiet = with_tiny().check(&Source::new("t.policy", "team \"Day\" {\n  channel email\n  agents 9\n}\n"));
    let sarif: serde_json::Value = serde_json::from_str(&supportlint::report::sarif::log(&[quiet])).unwrap();
    assert!(sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().iter().any(|r| r["id"] == "Z001"));
}

supportlint::declare_rule! {
    /// Reuses a built-in code.
    pub struct Clash {
        code: "K001",
        name: "my-handle-time",
        category: Kpi,
        severity: Error,
        norms: [],
    }
}

impl Rule for Clash {
    fn meta(&self) -> &'static supportlint::RuleMeta {
        &Self::META
    }

    fn check(&self, _: &Context<'_>, _: &mut Vec<Diagnostic>) {}
}

#[test]
fn a_taken_code_or_name_is_refused() {
    assert!(Checker::new().with_rule(Clash).is_err());
    assert!(with_tiny().with_rule(TinyTeam).is_err(), "the same rule twice");
}

#[test]
fn one_checker_is_shared_between_threads() {
    let checker = with_tiny();
    let expected = codes(&checker, TINY);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8).map(|_| scope.spawn(|| codes(&checker, TINY))).collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), expected);
        }
    });
    let debug = format!("{checker:?}");
    assert!(debug.contains("Z001"), "{debug}");
}

#[test]
fn parsed_once_and_checked_under_two_sets_of_norms() {
    let text = "team \"Care\" {\n  channel phone\n  target occupancy >= 90%\n}\n";
    let strict = Checker::new();
    let parsed = strict.parse(&Source::new("t.policy", text));
    assert!(parsed.is_valid());
    assert!(strict.check_parsed(&parsed).diagnostics.iter().any(|d| d.code == "K007"));
    let yaml = Source::new("supportlint.yaml", "norms:\n  max_occupancy: 95%\n");
    let lenient = Checker::new().with_config(&Config::from_yaml(&yaml).unwrap()).unwrap();
    assert!(!lenient.check_parsed(&parsed).diagnostics.iter().any(|d| d.code == "K007"));
    assert_eq!(strict.check_parsed(&parsed).diagnostics, strict.check(parsed.source()).diagnostics);
}

#[test]
fn a_finding_converts_to_a_miette_report() {
    fn first_error(text: &str) -> miette::Result<()> {
        let source = Source::new("t.policy", text);
        let report = Checker::new().check(&source);
        match report.diagnostics.first() {
            Some(d) => Err(d.to_report(&source)),
            None => Ok(()),
        }
    }
    let error = first_error("team \"Care\" {\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n}\n")
        .unwrap_err();
    let diagnostic: &dyn miette::Diagnostic = error.as_ref();
    assert_eq!(diagnostic.code().unwrap().to_string(), "K001[handle-time-below-promise]: team \"Care\"");
    assert!(diagnostic.source_code().is_some());
    assert!(diagnostic.labels().unwrap().count() >= 1);
    assert!(error.to_string().contains("6m"), "{error}");
    // A hostile team name reaches the report escaped.
    let error =
        first_error("team \"\\u{1b}]0;x\" {\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n}\n")
            .unwrap_err();
    let shown = format!("{:?}", error);
    assert!(!shown.contains('\u{1b}'), "{shown}");
}

#[test]
fn figures_are_read_by_team_name_and_validity_is_a_predicate() {
    let text = "team \"Care\" {\n  channel phone\n  demand 200/h\n  target handle_time <= 3m\n  agents 14\n  service_level 80% within 20s\n}\n";
    let report = Checker::new().check(&Source::new("t.policy", text));
    let figures = report.figures_of("Care").unwrap();
    assert_eq!(figures.servers, Some(14));
    assert!(report.figures_of("Nobody").is_none());
    assert!(report.is_valid());
    assert!(report.passes(supportlint::Severity::Error));
    let broken = Checker::new().check(&Source::new("t.policy", "team \"Care\" { channel fone }"));
    assert!(!broken.is_valid());
    assert!(!broken.passes(supportlint::Severity::Error));
}

#[test]
fn limits_are_per_checker_and_can_be_raised_to_a_ceiling() {
    // (The same at 30,000 teams against the default 20,000 is a matter of
    // time in a debug build; the limits are the same code.)
    let mut text = String::new();
    for i in 0..30 {
        text.push_str(&format!("team \"T{i}\" {{\n  channel email\n}}\n"));
    }
    let source = Source::new("big.policy", text);
    let strict = Checker::new().with_limits(Limits { max_teams: 20, ..Limits::default() });
    assert!(strict.check(&source).diagnostics.iter().any(|d| d.code == "E008"));
    let raised = strict.clone().with_limits(Limits { max_teams: 40, ..Limits::default() });
    let report = raised.check(&source);
    assert!(report.is_valid(), "{:?}", report.diagnostics.first());
    assert_eq!(report.policy.unwrap().teams.len(), 30);
    // The first checker is unchanged by the second, its clone.
    assert!(strict.check(&source).diagnostics.iter().any(|d| d.code == "E008"));
    // Beyond the ceiling a limit is clamped, not obeyed.
    let huge = Checker::new().with_limits(Limits { max_teams: usize::MAX, ..Limits::default() });
    assert_eq!(huge.limits().max_teams, Limits::CEILINGS.max_teams);
    // Deep nesting is refused by a strict checker and read by a default one.
    let nested =
        format!("rule \"deep\" {{\n  when {}team.agents > 1{}\n  message \"x\"\n}}\n", "(".repeat(20), ")".repeat(20));
    let shallow = Checker::new().with_limits(Limits { max_nesting: 8, ..Limits::default() });
    assert!(shallow.check(&Source::new("n.policy", nested.as_str())).diagnostics.iter().any(|d| d.code == "E008"));
    assert!(
        !Checker::new().check(&Source::new("n.policy", nested.as_str())).diagnostics.iter().any(|d| d.code == "E008")
    );
}

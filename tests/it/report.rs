//! The planner's HTML report (`report::html`), read back with an HTML
//! parser as a browser would: it parses without errors, runs and fetches
//! nothing, has the charts of every staffed team, says the analysis's
//! figures, and its markers sit where the analysis puts today's staffing
//! and the plans.

use scraper::{ElementRef, Html, Selector};
use supportlint::analysis::TeamFigures;
use supportlint::report::html::{self, Options};
use supportlint::{Checker, FileReport, Source};

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn parse(page: &str) -> Html {
    let doc = Html::parse_document(page);
    assert!(doc.errors.is_empty(), "the page has HTML errors: {:?}", doc.errors);
    doc
}

/// Every team with its figures (no front-end error), with its section's id.
fn teams(reports: &[FileReport]) -> Vec<(String, String, &TeamFigures)> {
    let mut out = Vec::new();
    for (f, report) in reports.iter().enumerate() {
        let Some(policy) = &report.policy else { continue };
        for (t, (team, figures)) in policy.teams.iter().zip(report.figures()).enumerate() {
            if !team.has_errors {
                out.push((format!("f{}-t{}", f + 1, t + 1), team.name.clone(), figures));
            }
        }
    }
    out
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

fn attr(e: ElementRef<'_>, name: &str) -> f64 {
    e.value().attr(name).unwrap_or_else(|| panic!("no `{name}` on {:?}", e.value())).parse().unwrap()
}

/// A chart's axis as a map from a coordinate back to a value, read from
/// two of its tick labels (their `data-value` and position).
fn axis(chart: ElementRef<'_>, which: &str, coordinate: &str) -> impl Fn(f64) -> f64 {
    let ticks: Vec<(f64, f64)> = chart
        .select(&sel(&format!("g.axis.{which} text.tick")))
        .map(|t| (attr(t, "data-value"), attr(t, coordinate)))
        .collect();
    assert!(ticks.len() >= 2, "an axis needs two ticks, found {ticks:?}");
    let ((v1, c1), (v2, c2)) = (ticks[0], ticks[ticks.len() - 1]);
    // Tick labels of the vertical axis sit 4 units below their gridline.
    let offset = if which == "y" { 4.0 } else { 0.0 };
    move |c: f64| v1 + (c - (c1 - offset)) * (v2 - v1) / ((c2 - offset) - (c1 - offset))
}

#[test]
fn the_page_parses_and_loads_nothing_from_anywhere() {
    let page = html::page(&super::harness::example_reports());
    let doc = parse(&page);
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    let csp = doc.select(&sel("meta[http-equiv=Content-Security-Policy]")).next().expect("a CSP");
    assert!(csp.value().attr("content").unwrap().starts_with("default-src 'none'"));
    assert_eq!(doc.select(&sel("script, iframe, object, embed, link, img, base, form")).count(), 0);
    // Every link is to a place in the page, and every fragment exists.
    for a in doc.select(&sel("[href], [src], [action]")) {
        let target = a.value().attr("href").or(a.value().attr("src")).unwrap_or("?");
        let id = target.strip_prefix('#').unwrap_or_else(|| panic!("a link out of the page: {target}"));
        assert_eq!(doc.select(&sel(&format!("[id=\"{id}\"]"))).count(), 1, "no single target for {target}");
    }
    assert!(!page.contains("url(http") && !page.contains("@import"), "CSS loads nothing");
    // Ids are unique.
    let mut ids: Vec<&str> = doc.select(&sel("[id]")).map(|e| e.value().attr("id").unwrap()).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");
}

#[test]
fn every_staffed_team_has_its_charts_with_text_alternatives() {
    let reports = super::harness::example_reports();
    let doc = parse(&html::page(&reports));
    let all = teams(&reports);
    let staffed: Vec<_> = all.iter().filter(|(_, _, f)| f.servers.is_some() && f.planned.is_some()).collect();
    assert_eq!(staffed.len(), all.len(), "every team of the examples is staffed");
    assert!(staffed.len() >= 19);
    assert_eq!(doc.select(&sel("article.team")).count(), all.len());
    for (id, name, f) in &staffed {
        let article = doc.select(&sel(&format!("article#{id}"))).next().unwrap();
        assert_eq!(text(article.select(&sel("h3")).next().unwrap()), *name);
        let kinds: Vec<&str> =
            article.select(&sel("svg.chart")).map(|c| c.value().attr("data-chart").unwrap()).collect();
        assert!(kinds.contains(&"service-level") && kinds.contains(&"occupancy"), "{name}: {kinds:?}");
        assert_eq!(kinds.contains(&"abandonment"), f.planned.as_ref().unwrap().model.patience_s.is_some());
        for chart in article.select(&sel("svg.chart")) {
            assert_eq!(chart.value().attr("role"), Some("img"));
            let labelled = chart.value().attr("aria-labelledby").unwrap();
            for part in labelled.split(' ') {
                let target = chart.select(&sel(&format!("[id=\"{part}\"]"))).next().expect("labelled by its own parts");
                assert!(matches!(target.value().name(), "title" | "desc"));
                assert!(!text(target).trim().is_empty());
            }
            // Every line and reference line is labelled at its end.
            let lines = chart.select(&sel("g.series")).count() + chart.select(&sel("g.reference")).count();
            assert_eq!(chart.select(&sel("g.labels text")).count(), lines, "{name}");
        }
    }
}

#[test]
fn markers_sit_at_today_s_agents_and_the_plans() {
    let reports = super::harness::example_reports();
    let doc = parse(&html::page(&reports));
    let mut checked = 0;
    for (id, name, f) in teams(&reports) {
        let Some(q) = f.planned.as_ref() else { continue };
        let mut expected = vec![("today", f.scheduled.unwrap())];
        let plan = q.plan().scheduled().unwrap();
        expected.push(("plan", plan));
        if let Some(h) = f.honest.as_ref().filter(|h| h.handle_time != q.handle_time) {
            let honest = h.plan().scheduled().unwrap();
            if honest != plan {
                expected.push(("honest-plan", honest));
            }
        }
        for chart in doc.select(&sel(&format!("article#{id} svg.chart"))) {
            let kind = chart.value().attr("data-chart").unwrap();
            let to_agents = axis(chart, "x", "x");
            let to_value = axis(chart, "y", "y");
            for (marker, agents) in &expected {
                let m = chart
                    .select(&sel(&format!("g.marker[data-marker={marker}]")))
                    .next()
                    .unwrap_or_else(|| panic!("{name} {kind}: no {marker} marker"));
                assert_eq!(m.value().attr("data-agents"), Some(agents.to_string().as_str()));
                let line = m.select(&sel("line")).next().unwrap();
                let at = to_agents(attr(line, "x1"));
                assert!((at - *agents as f64).abs() < 0.1, "{name} {kind}: {marker} drawn at {at}, not {agents}");
            }
            // Where today's line meets the planned curve, the shape sits at
            // the figure the analysis gives for today.
            let figure = match kind {
                "service-level" => q.service_level,
                "occupancy" => q.occupancy,
                "abandonment" => q.abandonment,
                "speed-of-answer" => q.speed_of_answer(),
                _ => unreachable!(),
            };
            let today = chart.select(&sel("g.marker[data-marker=today] circle")).next();
            if let (Some(figure), Some(circle)) = (figure, today) {
                let value = to_value(attr(circle, "cy"));
                // Coordinates are written to 0.1 of a unit: half of that in
                // the chart's values, and a hair for the figure's rounding.
                let tolerance = (to_value(0.0) - to_value(1.0)).abs() * 0.06 + 1e-6;
                assert!((value - figure).abs() < tolerance, "{name} {kind}: today at {value}, analysis {figure}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 19 * 2, "checked {checked} markers against the figures");
}

#[test]
fn the_text_says_the_analysis_figures() {
    let reports = super::harness::example_reports();
    let doc = parse(&html::page(&reports));
    let row = |name: &str| -> Vec<String> {
        let tr = doc
            .select(&sel("table.summary tr"))
            .find(|tr| tr.select(&sel("th")).next().is_some_and(|th| text(th) == name))
            .unwrap_or_else(|| panic!("no summary row for {name}"));
        tr.select(&sel("td")).map(text).collect()
    };
    // The figures `analyze` prints for the telecommunications case.
    assert_eq!(
        row("Consumer Care")[1..],
        ["unstable (80% in 20s) missed", "100% (85%) over", "0.0%", "42", "52 (102 honest) 10 short"]
    );
    assert_eq!(
        row("Upgrades and Retention")[1..],
        ["88.8% (80% in 20s) met", "71.4% (85%)", "8.6%", "20", "20 (30 honest)"]
    );
    assert_eq!(row("Business Accounts")[1..], ["100% (90% in 4h) met", "33.3% (85%)", "155.0%", "9", "5"]);
    // Every team's row has its plan and headroom as the analysis computes them.
    for (id, name, f) in teams(&reports) {
        let cells = row(&name);
        let q = f.planned.as_ref().unwrap();
        let plan = q.plan().scheduled().unwrap().to_string();
        assert!(cells[5].starts_with(&plan), "{name}: plan {plan} in {:?}", cells[5]);
        let headroom = format!("{:.1}%", f.headroom().unwrap().percent());
        assert_eq!(cells[3], headroom, "{name}");
        // The key figures table has today's service level.
        let key = doc.select(&sel(&format!("article#{id} table.key"))).next().unwrap();
        let sl_row = key.select(&sel("tr")).find(|tr| text(*tr).starts_with("service level at")).unwrap();
        let today = text(sl_row.select(&sel("td")).next().unwrap());
        let expected = match q.service_level.unwrap() {
            x if x * 100.0 > 99.9 && x < 1.0 => ">99.9%".to_string(),
            // A whole percent without decimals, else one decimal.
            x if (x * 100.0 - (x * 100.0).round()).abs() < 0.05 => format!("{:.0}%", x * 100.0),
            x => format!("{:.1}%", x * 100.0),
        };
        assert_eq!(today, expected, "{name}");
    }
    // The findings carry their help and fixes, and link to the rule's explanation once.
    let care = doc.select(&sel("article#f6-t1")).next().unwrap();
    let findings = text(care);
    assert!(findings.contains("help: raise the ceiling to at least 6m"), "{findings}");
    assert!(care.select(&sel(".fixes li")).count() >= 1, "the staffing findings have fixes");
    let rules: Vec<String> = doc.select(&sel("#rules article h3")).map(text).collect();
    let mut codes: Vec<String> =
        reports.iter().flat_map(|r| &r.diagnostics).map(|d| format!("{} {}", d.code, d.name)).collect();
    codes.sort();
    codes.dedup();
    let mut sorted = rules.clone();
    sorted.sort();
    assert_eq!(sorted, codes, "each rule that fired is explained once");
    for link in doc.select(&sel("ol.findings a[href^='#rule-']")) {
        let target = link.value().attr("href").unwrap();
        assert_eq!(doc.select(&sel(target)).count(), 1);
    }
}

#[test]
fn the_structure_of_the_example_report() {
    let doc = parse(&html::page(&super::harness::example_reports()));
    let mut lines = Vec::new();
    for e in doc.select(&sel("h1, h2, h3, svg.chart > title")) {
        let indent = match e.value().name() {
            "h1" => "",
            "h2" => "  ",
            "h3" => "    ",
            _ => "      chart: ",
        };
        lines.push(format!("{indent}{}", text(e)));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn the_report_is_the_same_byte_for_byte() {
    let first = html::page(&super::harness::example_reports());
    let second = html::page(&super::harness::example_reports());
    assert!(first == second, "two reports of the same policies differ");
}

const HOSTILE: &str = r#"
policy "<script>alert('policy')</script>"
rule "html-in-message" {
  severity warning
  when agents > 1
  message "<img src=x onerror=alert(1)> and \"quotes\" & </style>"
  help "see `<b>` \u{1b}"
}
team "<script>alert(1)</script>" {
  channel phone
  demand 100/h
  agents 20
  service_level 80% within 20s
  drivers {
    "\"><svg onload=alert(2)>" 10%
  }
}
team "Esc\u{1b}[31mape \u{202e}evil" {
  channel chat
  demand 60/h
  agents 12
  concurrency 2
  patience 2m
  target abandonment <= 5%
}
"#;

#[test]
fn user_text_cannot_become_markup() {
    // The policy text holds the escapes literally; put real control
    // characters in the second team's name.
    let text = HOSTILE.replace("\\u{1b}", "\u{1b}").replace("\\u{202e}", "\u{202e}");
    let report = Checker::new().check(&Source::new("<evil>&\".policy", text));
    assert!(report.policy.is_some(), "{:?}", report.diagnostics);
    let page = html::page(&[report]);
    let doc = parse(&page);
    assert_eq!(doc.select(&sel("script, img, b, svg:not(.chart)")).count(), 0);
    for e in doc.root_element().descendants().filter_map(ElementRef::wrap) {
        for (name, _) in e.value().attrs() {
            assert!(!name.starts_with("on"), "an event handler attribute `{name}`");
        }
    }
    assert!(!page.contains('\u{1b}') && !page.contains('\u{202e}'), "control characters are shown as escapes");
    let names: Vec<String> = doc.select(&sel("article.team h3")).map(|h| h.text().collect()).collect();
    assert_eq!(names, ["<script>alert(1)</script>", "Esc\\u{1b}[31mape \\u{202e}evil"]);
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; and &quot;quotes&quot; &amp; &lt;/style&gt;"));
    assert_eq!(doc.select(&sel("style")).count(), 1);
    // The hostile team names reach the charts' titles escaped, too.
    let titles: Vec<String> = doc.select(&sel("svg.chart > title")).map(|t| t.text().collect()).collect();
    assert!(titles.iter().any(|t| t.ends_with(": <script>alert(1)</script>")), "{titles:?}");
}

#[test]
fn a_huge_staffing_draws_a_bounded_curve() {
    let policy = "team \"Vast\" {\n  channel phone\n  demand 10/h\n  agents 100000\n  shrinkage 30%\n  service_level 80% within 20s\n}\n";
    let report = Checker::new().check(&Source::new("vast.policy", policy));
    let page = html::page(&[report]);
    let doc = parse(&page);
    for path in doc.select(&sel("g.series path")) {
        let d = path.value().attr("d").unwrap();
        let points = d.matches(['M', 'L']).count();
        assert!(points <= 64 + 3, "{points} points");
    }
    let today = doc.select(&sel("g.marker[data-marker=today]")).next().unwrap();
    assert_eq!(today.value().attr("data-agents"), Some("100000"));
    assert!(page.len() < 60_000, "{} bytes", page.len());
}

#[test]
fn many_teams_share_a_budget_of_points() {
    let mut policy = String::new();
    for i in 0..50 {
        policy.push_str(&format!(
            "team \"T{i}\" {{ channel phone demand {}/h agents {} patience 2m service_level 80% within 20s }}\n",
            100 + i * 40,
            20 + i * 5
        ));
    }
    let report = Checker::new().check(&Source::new("many.policy", policy));
    let options = Options { max_points: 64, points_budget: 50 * 20 };
    let doc = parse(&html::page_with(&[report], &supportlint::rules::Catalog::default(), options));
    let longest = doc.select(&sel("g.series path")).map(|p| p.value().attr("d").unwrap().matches('L').count()).max();
    // 20 points a curve, plus today's staffing and the plan.
    assert!(longest.unwrap() <= 20 + 2, "{longest:?}");
    assert_eq!(doc.select(&sel("svg.chart[data-chart=service-level]")).count(), 50);
}

#[test]
fn teams_without_figures_say_why() {
    let policy = r#"
team "No demand" { channel phone agents 10 }
team "No agents" { channel phone demand 100/h service_level 80% within 20s }
team "Broken" { channel phone demand 100/h agents 10 shrinkage 130% }
"#;
    let report = Checker::new().check(&Source::new("gaps.policy", policy));
    let doc = parse(&html::page(&[report]));
    let article = |id: &str| text(doc.select(&sel(&format!("article#{id}"))).next().unwrap());
    assert!(article("f1-t1").contains("No staffing figures: the team states no demand"));
    // Without agents there is no today, but the plan is charted.
    let charts = doc.select(&sel("article#f1-t2 svg.chart")).count();
    assert_eq!(charts, 2);
    assert_eq!(doc.select(&sel("article#f1-t2 g.marker[data-marker=today]")).count(), 0);
    assert_eq!(doc.select(&sel("article#f1-t2 g.marker[data-marker=plan]")).count(), 2);
    assert!(article("f1-t3").contains("Not analysed: a front-end error"), "{}", article("f1-t3"));
    assert!(article("f1-t3").contains("E004"), "the team's front-end error is among its findings");
}

#[test]
fn a_file_that_cannot_be_read_is_listed_with_its_error() {
    // A misspelt statement: the team is read but not analysed, its error
    // listed with it.
    let report = Checker::new().check(&Source::new("broken.policy", "team \"A\" { chanel phone }"));
    let doc = parse(&html::page(&[report]));
    let section = text(doc.select(&sel("section#f1")).next().unwrap());
    assert!(section.contains("Not analysed: a front-end error"), "{section}");
    assert!(text(doc.select(&sel("article#f1-t1")).next().unwrap()).contains("E001"), "{section}");
    // A file with no policy at all says so.
    let report = Checker::new().check_bytes("binary.policy", b"team \"A\" {\xff\xfe}".to_vec());
    assert!(report.policy.is_none());
    let doc = parse(&html::page(&[report]));
    let section = text(doc.select(&sel("section#f1")).next().unwrap());
    assert!(section.contains("could not be read as a policy"), "{section}");
    assert!(section.contains("not UTF-8"), "{section}");
    assert_eq!(doc.select(&sel("#rules article")).count(), 1);
}

//! Turns pest's errors into messages in the words of a policy author.
//!
//! pest reports what it tried at the furthest position it reached: literal
//! tokens (`"channel"`, `"}"`, `'0'..'9'`) and rules. Those are grouped into
//! phrases ("a team statement", "a value such as `3m`") and the common
//! mistakes get their own message: a misspelt keyword gets "did you mean",
//! an unterminated string or block points back at where it opened.

use std::collections::BTreeSet;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::parse::Rule;
use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::model::vocab::closest;
use crate::{Source, Span};

const TOP_LEVEL: &[&str] = &["team", "defaults", "norms", "rule", "allow", "chain", "policy"];
use super::split::TEAM_STATEMENTS;
const RULE_STATEMENTS: &[&str] = &["severity", "when", "message", "help"];
/// Keywords that open a top-level block or item (not `allow`, which is also
/// a team statement).
const BLOCK_STARTS: &[&str] = &["team", "defaults", "norms", "rule", "chain", "policy"];
/// Tokens pest tries while extending a token it already read (`3` -> `3m`).
const CONTINUATIONS: &[&str] = &["%", ".", "/", "_", ":", "s", "sec", "m", "min", "h", "hr", "hour", "day"];

/// How each statement and item is written, for the help of a syntax error
/// inside one.
const FORMS: &[(&str, &str)] = &[
    ("channel", "`channel phone` (or chat, email, social, video, in_person)"),
    ("hours", "`hours 08:00-20:00`"),
    ("demand", "`demand 600/h` (per s, min, h or day)"),
    ("agents", "`agents 42`"),
    ("shrinkage", "`shrinkage 30%`"),
    ("concurrency", "`concurrency 3`"),
    ("service_level", "`service_level 80% within 20s`"),
    ("patience", "`patience 2m`"),
    ("target", "`target METRIC OP VALUE [weight P%] [set_by LEVEL]` or `target METRIC between A and B`"),
    ("promise", "`promise thorough, personalized`"),
    ("authority", "`authority { refund up_to $50  credit allowed approval supervisor }`"),
    ("drivers", "`drivers { \"billing dispute\" 35% needs refund up_to $120 }`"),
    ("scripts", "`scripts verbatim` (or guided, principles)"),
    ("emotional_load", "`emotional_load high` (or low, medium)"),
    ("training", "`training { cadence monthly  sequence resilience, product  case_reviews biweekly }`"),
    ("hiring", "`hiring { screen_for composure, curiosity }`"),
    ("directive", "`directive LEVEL: minimize METRIC` (or maximize, require PROMISE, cap/floor METRIC at VALUE)"),
    ("allow", "`allow RULE \"reason\"`"),
    ("team", "`team \"Name\" { ... }`"),
    ("policy", "`policy \"Name\"`"),
    ("chain", "`chain executive > director > manager > supervisor`"),
    ("norms", "`norms { max_occupancy 85% }`"),
    ("rule", "`rule \"name\" { severity warning  when CONDITION  message \"...\" }`"),
    ("severity", "`severity warning`"),
    ("when", "`when channel == phone and agents < 10`"),
    ("message", "`message \"agents can refund less than $25\"`"),
    ("help", "`help \"raise the refund limit\"`"),
];

/// What follows a statement's keyword, for "expected ... after `KEYWORD`".
const ARGUMENTS: &[(&str, &str)] = &[
    ("channel", "a channel like `phone`"),
    ("hours", "opening hours like `08:00-20:00`"),
    ("demand", "a rate like `600/h`"),
    ("agents", "a number of agents like `42`"),
    ("shrinkage", "a percentage like `30%`"),
    ("concurrency", "a number of contacts like `3`"),
    ("service_level", "a percentage like `80%` followed by `within` and a duration"),
    ("patience", "a duration like `2m`"),
    ("target", "a metric, a comparison and a value, like `handle_time <= 6m`"),
    ("promise", "promises like `thorough, personalized`"),
    ("authority", "a block of grants like `{ refund up_to $50 }`"),
    ("drivers", "a block of drivers like `{ \"billing dispute\" 35% }`"),
    ("scripts", "`verbatim`, `guided` or `principles`"),
    ("emotional_load", "`low`, `medium` or `high`"),
    ("training", "a block like `{ cadence monthly }`"),
    ("hiring", "a block like `{ screen_for composure }`"),
    ("directive", "a level and an intent, like `executive: minimize handle_time`"),
    ("allow", "a rule and a reason, like `K001 \"pilot ends in March\"`"),
    ("severity", "`error`, `warning` or `info`"),
    ("when", "a condition like `channel == phone and agents < 10`"),
    ("message", "a quoted message"),
    ("help", "a quoted help text"),
];

/// What follows the statement keyword `word`, and how the whole statement
/// is written.
pub(crate) fn arguments(word: &str) -> Option<(&'static str, &'static str)> {
    let args = ARGUMENTS.iter().find(|(k, _)| *k == word)?.1;
    let form = FORMS.iter().find(|(k, _)| *k == word).map_or("as docs/language.md shows", |(_, f)| f);
    Some((args, form))
}

/// The form of the statement whose line `offset` is on, by its first word.
fn form_at(text: &str, offset: usize) -> Option<(&'static str, &'static str)> {
    let line_start = text.get(..offset).and_then(|t| t.rfind(['\n', '\r'])).map_or(0, |i| i + 1);
    let line = text.get(line_start..)?;
    let first = line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).find(|w| !w.is_empty())?;
    FORMS.iter().find(|(k, _)| *k == first).copied()
}

/// What pest expected, grouped.
#[derive(Default)]
struct Expected {
    keywords: BTreeSet<String>,
    punct: BTreeSet<String>,
    value: bool,
    digit: bool,
    name: bool,
    quote: bool,
    time: bool,
}

/// The diagnostic for a failed parse of the slice of `source` that starts
/// at `base` (pest's positions are relative to it).
pub(crate) fn syntax_error(
    source: &Source,
    base: usize,
    error: &Error<Rule>,
    unclosed_brace: Option<usize>,
) -> Diagnostic {
    syntax_error_in(source, base, error, unclosed_brace, None)
}

/// [`syntax_error`] in a statement that starts with `keyword`: when pest
/// says nothing useful, the message says what the statement takes.
pub(crate) fn syntax_error_in(
    source: &Source,
    base: usize,
    error: &Error<Rule>,
    unclosed_brace: Option<usize>,
    keyword: Option<&str>,
) -> Diagnostic {
    let text = source.text();
    let fast = error;
    if let ErrorVariant::CustomError { message } = &error.variant {
        // pest's own resource limits: "call limit reached", "stack limit reached".
        return Diagnostic::error(ErrorCode::LimitExceeded, format!("the file is too complex to parse ({message})"))
            .primary(Span::point(base + location(error)), "parsing stopped here")
            .help("simplify or split the file");
    }
    let (offset, expected) = match error.parse_attempts() {
        Some(attempts) => {
            let rules: Vec<Rule> =
                attempts.call_stacks().iter().filter_map(|s| s.deepest.get_rule().copied()).collect();
            let offset = base + attempts.max_position;
            // pest does not export its token type; its display form is enough:
            // literals print as themselves, character ranges as `0..9`.
            let tokens: Vec<String> = attempts.expected_tokens().iter().map(ToString::to_string).collect();
            (offset, group(&tokens, &rules, text, offset))
        }
        None => (base + location(error), Expected::default()),
    };
    // The furthest attempt can be a negative lookahead (a keyword where a
    // fact name was expected) that expects nothing; pest's plain positives
    // then say more.
    let (offset, mut expected) =
        if expected.is_empty() { (base + location(fast), from_rules(fast)) } else { (offset, expected) };
    // Where one team statement may start, any may: the grammar only tries the
    // group that shares the first letter. (`allow` is also a top-level item.)
    if expected.keywords.iter().any(|k| k != "allow" && TEAM_STATEMENTS.contains(&k.as_str())) {
        expected.keywords.extend(TEAM_STATEMENTS.iter().map(|k| k.to_string()));
    }
    let (mut found_span, found) = found_at(text, offset);
    if found == "end of file" {
        found_span = source.end_of_content();
    }
    let word = found_word(text, found_span);

    if let Some(d) = special_case(source, offset, found_span, &found, &expected, unclosed_brace) {
        return d;
    }

    // A misspelt keyword: "unknown statement `chanel`", "did you mean `channel`?".
    if let Some(word) = word {
        let keywords: Vec<&str> = expected.keywords.iter().map(String::as_str).collect();
        let context = context_of(&expected);
        if let Some(suggestion) = closest(word, keywords.iter().copied()) {
            return Diagnostic::error(ErrorCode::SyntaxError, format!("unknown {context} `{word}`"))
                .primary(found_span, format!("did you mean `{suggestion}`?"))
                .help(format!("expected {}", describe(&expected)));
        }
        if context != "keyword" && !expected.value && !expected.name {
            return Diagnostic::error(ErrorCode::SyntaxError, format!("unknown {context} `{word}`"))
                .primary(found_span, format!("not {} {context}", crate::diagnostic::article(context)))
                .help(format!("expected {}", describe(&expected)));
        }
    }
    let wanted = match keyword.and_then(arguments) {
        Some((args, _)) if expected.is_empty() => format!("{args} after `{}`", keyword.unwrap_or_default()),
        _ => describe(&expected),
    };
    let diagnostic = Diagnostic::error(ErrorCode::SyntaxError, format!("expected {wanted}, found {found}"))
        .primary(found_span, format!("unexpected {found}"));
    if found == "`,`" && text.get(..offset).is_some_and(|t| t.ends_with(|c: char| c.is_ascii_digit())) {
        return diagnostic.help("numbers are written without thousands separators: `1000`, not `1,000`");
    }
    match form_at(text, offset) {
        Some((keyword, form)) => {
            diagnostic.help(format!("{} `{keyword}` is written {form}", crate::diagnostic::article(keyword)))
        }
        None => diagnostic.help("docs/language.md shows how each statement is written"),
    }
}

impl Expected {
    fn is_empty(&self) -> bool {
        self.keywords.is_empty()
            && self.punct.is_empty()
            && !(self.value || self.digit || self.name || self.quote || self.time)
    }
}

/// Expectations from the rules pest reports on its fast path.
fn from_rules(error: &Error<Rule>) -> Expected {
    let mut e = Expected::default();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            let name = format!("{rule:?}");
            match rule {
                Rule::value => e.value = true,
                Rule::path | Rule::ident => e.name = true,
                Rule::string => e.quote = true,
                // Nothing was read yet: a top-level item was expected.
                Rule::chunk
                | Rule::header
                | Rule::chain
                | Rule::norms
                | Rule::defaults
                | Rule::team
                | Rule::custom_rule => e.keywords.extend(TOP_LEVEL.iter().map(|k| k.to_string())),
                Rule::time_of_day => e.time = true,
                Rule::close => {
                    e.punct.insert("}".into());
                }
                Rule::target_op | Rule::cmp_op => {
                    e.keywords.insert("a comparison such as `<=`".into());
                }
                _ => {
                    if let Some(keyword) = name.strip_prefix("kw_") {
                        e.keywords.insert(keyword.to_string());
                    }
                }
            }
        }
    }
    e
}

/// Where pest stopped.
pub(crate) fn location(error: &Error<Rule>) -> usize {
    match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// A character range as pest displays it: `0..9`, `a..z`.
fn range_start(token: &str) -> Option<char> {
    let mut chars = token.chars();
    let (start, dot1, dot2, _end) = (chars.next()?, chars.next()?, chars.next()?, chars.next()?);
    (dot1 == '.' && dot2 == '.' && chars.next().is_none()).then_some(start)
}

fn group(tokens: &[String], rules: &[Rule], text: &str, offset: usize) -> Expected {
    let after_token =
        text.get(..offset).and_then(|t| t.chars().last()).is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut e = Expected { time: rules.contains(&Rule::time_of_day), ..Expected::default() };
    for token in tokens {
        let t = token.as_str();
        if let Some(start) = range_start(t) {
            match start {
                _ if after_token => {}
                '0' => e.digit = true,
                _ => e.name = true,
            }
            continue;
        }
        if t.trim().is_empty() || t == "#" || t == "\u{feff}" || (after_token && CONTINUATIONS.contains(&t)) {
            continue;
        }
        match t {
            "$" | "£" | "€" => e.value = true,
            "\"" => e.quote = true,
            // The grammar finds a team statement by a one-letter lookahead
            // on its first letter: any such letter stands for all of them.
            _ if t.len() == 1 && t.starts_with(|c: char| c.is_ascii_lowercase()) => {
                e.keywords.extend(TEAM_STATEMENTS.iter().map(|k| k.to_string()));
            }
            _ if t.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                e.keywords.insert(t.to_string());
            }
            _ => {
                e.punct.insert(t.to_string());
            }
        }
    }
    if e.value {
        // The sign of a number is part of "a value".
        e.punct.remove("-");
        e.digit = false;
    } else if e.digit && !e.time {
        e.value = true;
        e.digit = false;
    }
    e
}

/// What kind of thing the expected keywords start.
fn context_of(e: &Expected) -> &'static str {
    let has = |list: &[&str]| list.iter().filter(|k| e.keywords.contains(**k)).count() * 2 > list.len();
    if has(TEAM_STATEMENTS) {
        "statement"
    } else if has(TOP_LEVEL) {
        "item"
    } else if has(RULE_STATEMENTS) {
        "rule statement"
    } else {
        "keyword"
    }
}

/// "a team statement (`channel`, `demand`, ...) or `}`".
fn describe(e: &Expected) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut keywords: Vec<&str> = e.keywords.iter().map(String::as_str).collect();
    let mut take_group = |list: &[&str], phrase: &str, parts: &mut Vec<String>| {
        if list.iter().filter(|k| keywords.contains(*k)).count() * 2 > list.len() {
            keywords.retain(|k| !list.contains(k));
            parts.push(phrase.to_string());
        }
    };
    take_group(
        TEAM_STATEMENTS,
        "a team statement (`channel`, `demand`, `agents`, `target`, `promise`, ...)",
        &mut parts,
    );
    take_group(TOP_LEVEL, "a `team`, `defaults`, `norms`, `rule`, `allow`, `chain` or `policy` item", &mut parts);
    for k in keywords {
        parts.push(if k.contains(' ') { k.to_string() } else { format!("`{k}`") });
    }
    if e.value {
        parts.push("a value such as `3m`, `80%`, `600/h`, `$50` or `42`".into());
    }
    if e.time {
        parts.push("a time like `08:00`".into());
    } else if e.digit {
        parts.push("a number".into());
    }
    if e.name {
        parts.push("a name".into());
    }
    if e.quote {
        parts.push("a quoted name like `\"Consumer Care\"`".into());
    }
    for p in &e.punct {
        parts.push(format!("`{p}`"));
    }
    match parts.len() {
        0 => "something else".to_string(),
        1 => parts.remove(0),
        n => {
            let last = parts.remove(n - 1);
            format!("{} or {last}", parts.join(", "))
        }
    }
}

/// The token at `offset`, for "found ...".
fn found_at(text: &str, offset: usize) -> (Span, String) {
    let rest = text.get(offset..).unwrap_or_default();
    let Some(first) = rest.chars().next() else {
        return (Span::point(offset), "end of file".into());
    };
    if first == '\n' || first == '\r' {
        return (Span::point(offset), "end of line".into());
    }
    let stop = |c: char| c.is_whitespace() || "{}()[],\"#".contains(c);
    let len = if stop(first) { first.len_utf8() } else { rest.find(stop).unwrap_or(rest.len()) };
    let len = rest.char_indices().nth(40).map_or(len, |(i, _)| len.min(i));
    let token = rest.get(..len).unwrap_or_default();
    (Span::new(offset, offset + len), format!("`{token}`"))
}

/// The word at `span` if it looks like an identifier.
fn found_word(text: &str, span: Span) -> Option<&str> {
    let token = text.get(span.range())?;
    let mut chars = token.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')).then_some(token)
}

/// A backslash at `offset` inside a string followed by something other
/// than `"` or `\\`.
pub(crate) fn unknown_escape(source: &Source, offset: usize) -> Diagnostic {
    let escape =
        source.text().get(offset + 1..).and_then(|t| t.chars().next()).map_or(String::new(), |c| c.to_string());
    Diagnostic::error(ErrorCode::SyntaxError, format!("unknown escape `\\{escape}` in a string"))
        .primary(Span::new(offset, offset + 1 + escape.len()), "not an escape the language knows")
        .help("only `\\\"` (a quote) and `\\\\` (a backslash) may follow a backslash")
}

/// A string from `open` that runs to `end`, the end of its line.
pub(crate) fn unterminated_string(source: &Source, open: usize, end: usize) -> Diagnostic {
    let at = if end >= source.text().len() { source.end_of_content() } else { Span::point(end) };
    Diagnostic::error(ErrorCode::SyntaxError, "unterminated string")
        .primary(at, "expected a closing `\"` before the end of the line")
        .secondary(Span::new(open, open + 1), "the string starts here")
        .help("names are written on one line in double quotes; write `\\\"` for a quote inside a name")
}

fn special_case(
    source: &Source,
    offset: usize,
    found_span: Span,
    found: &str,
    e: &Expected,
    unclosed_brace: Option<usize>,
) -> Option<Diagnostic> {
    let text = source.text();
    if e.quote && text.get(..offset).is_some_and(|t| t.ends_with('\\')) {
        let escape = text.get(offset..).and_then(|t| t.chars().next()).map_or(String::new(), |c| c.to_string());
        return Some(
            Diagnostic::error(ErrorCode::SyntaxError, format!("unknown escape `\\{escape}` in a string"))
                .primary(Span::new(offset - 1, offset + escape.len()), "not an escape the language knows")
                .help("only `\\\"` (a quote) and `\\\\` (a backslash) may follow a backslash"),
        );
    }
    if found == "end of file" && e.punct.contains("}") {
        let mut d = Diagnostic::error(ErrorCode::SyntaxError, "unexpected end of file: a block is not closed")
            .primary(found_span, "expected `}` here")
            .help(format!("add the missing `}}`; expected {}", describe(e)));
        if let Some(open) = unclosed_brace {
            d = d.secondary(Span::new(open, open + 1), "this block is never closed");
        }
        return Some(d);
    }
    let top_level = e.keywords.contains("team") && e.keywords.contains("defaults");
    if let Some(word) = found_word(text, found_span).filter(|w| top_level && TEAM_STATEMENTS.contains(w)) {
        return Some(
            Diagnostic::error(ErrorCode::SyntaxError, format!("`{word}` belongs inside a `team` or `defaults` block"))
                .primary(found_span, "team statement at top level")
                .help(format!("move it into a block: `team \"Name\" {{ {word} ... }}`, or `defaults {{ {word} ... }}` for every team")),
        );
    }
    // A block keyword where a team statement belongs: the block above was
    // probably not closed.
    let statement_expected = e.keywords.contains("channel") && e.keywords.contains("target");
    if let Some(word) = found_word(text, found_span).filter(|w| statement_expected && BLOCK_STARTS.contains(w)) {
        let mut d = Diagnostic::error(ErrorCode::SyntaxError, format!("`{word}` cannot start inside another block"))
            .primary(found_span, "a new block starts here")
            .help("is a `}` missing above? every block is closed before the next one starts");
        if let Some(open) =
            super::scan::scan(text.get(..offset).unwrap_or_default(), usize::MAX, usize::MAX).unclosed_brace
        {
            d = d.secondary(Span::new(open, open + 1), "this block is still open");
        }
        return Some(d);
    }
    if found == "`}`" && top_level {
        return Some(
            Diagnostic::error(ErrorCode::SyntaxError, "unexpected `}`: no block is open here")
                .primary(found_span, "nothing to close")
                .help("remove it, or check that the block above was not closed twice"),
        );
    }
    None
}

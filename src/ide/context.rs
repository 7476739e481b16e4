//! What the language expects at a place in the text: the block the place is
//! in and the kind of word that fits there. Read from the tokens alone, so it
//! works on a file that does not parse (the author is typing). Completion
//! offers the words of the slot; hover reads a word by the slot it stands in.

use super::lex::{Tok, Token};
use crate::Span;
use crate::model::custom::{Fact, Kind, WordKind};
use crate::model::norms::NORM_NAMES;
use crate::model::vocab::Action;

/// The kind of block a place is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frame {
    /// Outside every block.
    Top,
    /// `team "..." { ... }`.
    Team,
    /// `defaults { ... }`.
    Defaults,
    /// `norms { ... }`.
    Norms,
    /// `rule "..." { ... }`.
    Rule,
    /// `authority { ... }`.
    Authority,
    /// `drivers { ... }`.
    Drivers,
    /// `training { ... }`.
    Training,
    /// `hiring { ... }`.
    Hiring,
    /// A block the language does not know (a misspelt keyword).
    Other,
}

/// The statements that may stand at top level.
pub(crate) const TOP_KEYWORDS: &[&str] = &["policy", "chain", "norms", "defaults", "team", "rule", "allow"];

/// The statements of a `team` or `defaults` block.
pub(crate) use crate::syntax::TEAM_STATEMENTS as TEAM_KEYWORDS;

/// The statements of a `rule` block.
pub(crate) const RULE_KEYWORDS: &[&str] = &["severity", "when", "message", "help"];
/// The statements of a `training` block.
pub(crate) const TRAINING_KEYWORDS: &[&str] = &["cadence", "sequence", "case_reviews"];
/// The statements of a `hiring` block.
pub(crate) const HIRING_KEYWORDS: &[&str] = &["screen_for"];
/// What a directive can ask for.
pub(crate) const INTENTS: &[&str] = &["minimize", "maximize", "require", "cap", "floor"];
/// What an `authority` line can grant.
pub(crate) const GRANTS: &[&str] = &["up_to", "allowed", "none", "approval"];
/// Custom rule severities.
pub(crate) const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// The kind of word that fits a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// One of these fixed words (statement keywords, `weight`, `within`).
    Keywords(&'static [&'static str]),
    /// A channel.
    Channel,
    /// A metric.
    Metric,
    /// A promise.
    Promise,
    /// A level of the file's leadership chain.
    Level,
    /// An authority action.
    Action,
    /// A training module.
    Module,
    /// A screening trait.
    Trait,
    /// A training cadence.
    Cadence,
    /// A script style.
    Scripts,
    /// An emotional load.
    EmotionalLoad,
    /// A rule's name or code, in an `allow`.
    RuleRef,
    /// A fact path of a custom rule.
    Path,
    /// A value a fact path is compared with (`channel == phone`).
    PathValue(WordKind),
    /// The name of a norm.
    Norm,
}

/// What the language expects at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    /// The innermost block.
    pub frame: Frame,
    /// The kind of word that fits, if any.
    pub slot: Option<Slot>,
    /// The word being typed (empty when none), which a completion replaces.
    pub partial: Span,
}

fn starts_statement(frame: Frame, token: Token, text: &str) -> bool {
    let word = token.text(text);
    match (frame, token.kind) {
        (Frame::Drivers, Tok::Str { .. }) => true,
        (_, Tok::Word) => match frame {
            Frame::Top => TOP_KEYWORDS.contains(&word),
            Frame::Team | Frame::Defaults => TEAM_KEYWORDS.contains(&word),
            Frame::Norms => NORM_NAMES.contains(&word),
            Frame::Rule => RULE_KEYWORDS.contains(&word),
            Frame::Authority => Action::parse(word).is_some(),
            Frame::Training => TRAINING_KEYWORDS.contains(&word),
            Frame::Hiring => HIRING_KEYWORDS.contains(&word),
            Frame::Drivers | Frame::Other => false,
        },
        _ => false,
    }
}

/// The block a `{` opens, from the statement it ends.
fn block(outer: Frame, keyword: &str) -> Frame {
    match (outer, keyword) {
        (Frame::Top, "team") => Frame::Team,
        (Frame::Top, "defaults") => Frame::Defaults,
        (Frame::Top, "norms") => Frame::Norms,
        (Frame::Top, "rule") => Frame::Rule,
        (Frame::Team | Frame::Defaults, "authority") => Frame::Authority,
        (Frame::Team | Frame::Defaults, "drivers") => Frame::Drivers,
        (Frame::Team | Frame::Defaults, "training") => Frame::Training,
        (Frame::Team | Frame::Defaults, "hiring") => Frame::Hiring,
        _ => Frame::Other,
    }
}

/// Words after which a word is an argument, never a new statement
/// (`allow agents`, a custom rule called `agents`).
const TAKES_A_WORD: &[&str] = &["allow", "set_by", "approval", "directive"];

/// What the language expects at byte `offset` of `text`, whose tokens are
/// `tokens`. Linear in the tokens before `offset`.
pub(crate) fn place(text: &str, tokens: &[Token], offset: usize) -> Place {
    let offset = offset.min(text.len());
    let at = tokens.partition_point(|t| (t.span.end as usize) < offset);
    // The word, value or string the place is in or at the end of, if any;
    // right after punctuation or a closing quote is after it, not in it.
    let current = tokens.get(at).copied().filter(|t| {
        let (start, end) = (t.span.start as usize, t.span.end as usize);
        start < offset
            && match t.kind {
                Tok::Word | Tok::Value | Tok::Other | Tok::Str { closed: false } => true,
                Tok::Str { closed: true } => offset < end,
                _ => false,
            }
    });
    let before = match current {
        Some(_) => at,
        None => tokens.partition_point(|t| (t.span.start as usize) < offset),
    };
    let mut frames: Vec<(Frame, usize)> = Vec::new();
    let (mut frame, mut stmt) = (Frame::Top, 0usize);
    for (i, token) in tokens.iter().take(before).enumerate() {
        match token.kind {
            Tok::Open => {
                let keyword = tokens.get(stmt).filter(|_| stmt < i).map_or("", |t| t.text(text));
                frames.push((frame, stmt));
                frame = block(frame, keyword);
                stmt = i + 1;
            }
            Tok::Close => {
                (frame, _) = frames.pop().unwrap_or((Frame::Top, 0));
                stmt = i + 1;
            }
            _ => {
                let previous = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|t| t.text(text));
                let argument = previous.is_some_and(|w| TAKES_A_WORD.contains(&w)) && i > stmt;
                if !argument && starts_statement(frame, *token, text) {
                    stmt = i;
                }
            }
        }
    }
    let statement = tokens.get(stmt..before).unwrap_or_default();
    let partial = match current {
        Some(t) if t.kind == Tok::Word => Span::new(t.span.start as usize, offset),
        _ => Span::point(offset),
    };
    let slot = match current {
        None => expected(text, frame, statement, line_start(text, offset)),
        Some(t) if t.kind == Tok::Word => expected(text, frame, statement, line_start(text, t.span.start as usize)),
        Some(t) if matches!(t.kind, Tok::Str { .. }) => {
            return in_string(text, frame, statement, t, offset);
        }
        Some(_) => None,
    };
    if in_comment(text, partial.start as usize) {
        return Place { frame, slot: None, partial };
    }
    Place { frame, slot, partial }
}

/// Whether only white space stands before `offset` on its line.
fn line_start(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or_default();
    let line = before.rfind(['\n', '\r']).map_or(before, |i| before.get(i + 1..).unwrap_or_default());
    line.trim_start_matches('\u{feff}').trim().is_empty()
}

/// Whether `offset` is inside a comment: a `#` outside a string before it
/// on its line.
fn in_comment(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or_default();
    let line = before.rfind(['\n', '\r']).map_or(before, |i| before.get(i + 1..).unwrap_or_default());
    let mut quoted = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// Inside a string: the `{path}` placeholders of a custom rule's `message`
/// and `help` complete to fact paths.
fn in_string(text: &str, frame: Frame, statement: &[Token], string: Token, offset: usize) -> Place {
    let none = Place { frame, slot: None, partial: Span::point(offset) };
    let keyword = statement.first().map(|t| t.text(text));
    if frame != Frame::Rule || !matches!(keyword, Some("message" | "help")) {
        return none;
    }
    let inside = text.get(string.span.start as usize + 1..offset).unwrap_or_default();
    match inside.rfind('{') {
        Some(open) if !inside.get(open..).unwrap_or_default().contains('}') => {
            let word = inside.get(open + 1..).unwrap_or_default();
            if !word.chars().all(super::lex::is_word_char) {
                return none;
            }
            Place { frame, slot: Some(Slot::Path), partial: Span::new(offset - word.len(), offset) }
        }
        _ => none,
    }
}

/// The slot after the tokens of the statement so far.
fn expected(text: &str, frame: Frame, statement: &[Token], at_line_start: bool) -> Option<Slot> {
    let words: Vec<&str> = statement.iter().map(|t| t.text(text)).collect();
    let last = statement.last().copied();
    let last_word = words.last().copied().unwrap_or("");
    let keywords = match frame {
        Frame::Top => Some(Slot::Keywords(TOP_KEYWORDS)),
        Frame::Team | Frame::Defaults => Some(Slot::Keywords(TEAM_KEYWORDS)),
        Frame::Norms => Some(Slot::Norm),
        Frame::Rule => Some(Slot::Keywords(RULE_KEYWORDS)),
        Frame::Authority => Some(Slot::Action),
        Frame::Training => Some(Slot::Keywords(TRAINING_KEYWORDS)),
        Frame::Hiring => Some(Slot::Keywords(HIRING_KEYWORDS)),
        Frame::Drivers | Frame::Other => None,
    };
    let Some(&first) = words.first() else { return keywords };
    let len = words.len();
    let after_value = last.is_some_and(|t| matches!(t.kind, Tok::Value | Tok::Str { .. }));
    let specific = match (frame, first) {
        (Frame::Top | Frame::Team | Frame::Defaults, "allow") => match len {
            1 => Some(Slot::RuleRef),
            _ if after_value && words.get(len.wrapping_sub(2)) == Some(&"owner") => Some(Slot::Keywords(&["until"])),
            _ if after_value && len == 3 => Some(Slot::Keywords(&["owner", "until"])),
            _ => None,
        },
        (Frame::Team | Frame::Defaults, keyword) => team_statement(keyword, &words, statement),
        (Frame::Authority, _) => match last_word {
            _ if len == 1 => Some(Slot::Keywords(GRANTS)),
            "approval" => Some(Slot::Level),
            "allowed" | "none" => Some(Slot::Keywords(&["approval"])),
            _ if after_value && words.contains(&"up_to") && !words.contains(&"approval") => {
                Some(Slot::Keywords(&["approval"]))
            }
            _ => None,
        },
        (Frame::Drivers, _) => match last_word {
            "needs" => Some(Slot::Action),
            _ if words.get(len.wrapping_sub(2)) == Some(&"needs") => Some(Slot::Keywords(&["up_to"])),
            _ if words.contains(&"needs") => None,
            _ if len >= 2 && (after_value || last_word == "preventable") => {
                if words.contains(&"preventable") {
                    Some(Slot::Keywords(&["needs"]))
                } else {
                    Some(Slot::Keywords(&["preventable", "needs"]))
                }
            }
            _ => None,
        },
        (Frame::Training, "cadence" | "case_reviews") if len == 1 => Some(Slot::Cadence),
        (Frame::Training, "sequence") if last_word == "sequence" || last.is_some_and(|t| t.kind == Tok::Comma) => {
            Some(Slot::Module)
        }
        (Frame::Hiring, "screen_for") if last_word == "screen_for" || last.is_some_and(|t| t.kind == Tok::Comma) => {
            Some(Slot::Trait)
        }
        (Frame::Norms, "handle_time_floor") => match len {
            1 => Some(Slot::Promise),
            2 => Some(Slot::Channel),
            _ => None,
        },
        (Frame::Norms, "typical_handle_time") if len == 1 => Some(Slot::Channel),
        (Frame::Rule, "severity") if len == 1 => Some(Slot::Keywords(SEVERITIES)),
        (Frame::Rule, "when") => expression(text, statement),
        _ => None,
    };
    match specific {
        Some(slot) => Some(slot),
        // A new line starts a new statement, as authors write them; a rule's
        // condition may go on over several lines.
        None if at_line_start && !(frame == Frame::Rule && first == "when" && !after_value) => keywords,
        None => None,
    }
}

/// The slot after the words of a team statement so far.
fn team_statement(keyword: &str, words: &[&str], statement: &[Token]) -> Option<Slot> {
    let len = words.len();
    let last_word = words.last().copied().unwrap_or("");
    let last = statement.last().copied();
    let after_value = last.is_some_and(|t| t.kind == Tok::Value);
    match keyword {
        "channel" if len == 1 => Some(Slot::Channel),
        "scripts" if len == 1 => Some(Slot::Scripts),
        "emotional_load" if len == 1 => Some(Slot::EmotionalLoad),
        "promise" if last_word == "promise" || last.is_some_and(|t| t.kind == Tok::Comma) => Some(Slot::Promise),
        "service_level" if len == 2 && after_value => Some(Slot::Keywords(&["within"])),
        "target" => match last_word {
            _ if len == 1 => Some(Slot::Metric),
            _ if len == 2 => Some(Slot::Keywords(&["between"])),
            "set_by" => Some(Slot::Level),
            _ if after_value && len >= 4 => {
                let (weight, set_by) = (words.contains(&"weight"), words.contains(&"set_by"));
                let between = words.contains(&"between");
                if between && !words.contains(&"and") {
                    Some(Slot::Keywords(&["and"]))
                } else if words.get(len - 2) == Some(&"weight") || !weight {
                    if set_by {
                        None
                    } else {
                        Some(Slot::Keywords(if weight { &["set_by"] } else { &["weight", "set_by"] }))
                    }
                } else {
                    None
                }
            }
            _ => None,
        },
        "directive" => match last_word {
            _ if len == 1 => Some(Slot::Level),
            ":" => Some(Slot::Keywords(INTENTS)),
            "minimize" | "maximize" | "cap" | "floor" => Some(Slot::Metric),
            "require" => Some(Slot::Promise),
            _ if len >= 2 && matches!(words.get(len - 2), Some(&"cap" | &"floor")) => Some(Slot::Keywords(&["at"])),
            _ => None,
        },
        _ => None,
    }
}

/// The slot inside a custom rule's `when` condition.
fn expression(text: &str, statement: &[Token]) -> Option<Slot> {
    let last = statement.last().copied()?;
    let word = last.text(text);
    let path_kind = |t: Option<&Token>| t.filter(|t| t.kind == Tok::Word).and_then(|t| Fact::parse(t.text(text)));
    let value_of = |fact: Fact| match fact.kind() {
        Kind::Word(kind) => Some(Slot::PathValue(kind)),
        Kind::Promises => Some(Slot::Promise),
        _ => None,
    };
    let n = statement.len();
    match (last.kind, word) {
        (Tok::Word, "when" | "and" | "or" | "not") | (Tok::OpenGroup, "(") => Some(Slot::Path),
        (Tok::Word, "has") => Some(Slot::Promise),
        (Tok::Word, "is") => Some(Slot::Keywords(&["set", "not"])),
        (Tok::Word, "set") => Some(Slot::Keywords(&["and", "or"])),
        (Tok::Word, _) if Fact::parse(word).is_some() => Some(Slot::Keywords(&["is", "in", "has", "and", "or"])),
        (Tok::Op, _) => path_kind(n.checked_sub(2).and_then(|i| statement.get(i))).and_then(value_of),
        (Tok::OpenGroup | Tok::Comma, _) => {
            // `PATH in [a, b, |`: walk back over the list to the path.
            let mut i = n;
            while i > 0 && statement.get(i - 1).is_some_and(|t| matches!(t.kind, Tok::Word | Tok::Comma)) {
                i -= 1;
            }
            let bracket = statement.get(i.checked_sub(1)?)?;
            let keyword = statement.get(i.checked_sub(2)?)?;
            if bracket.text(text) != "[" || keyword.text(text) != "in" {
                return None;
            }
            path_kind(statement.get(i.checked_sub(3)?)).and_then(value_of)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    /// The slot at `|` in `text`.
    fn slot(text: &str) -> Option<Slot> {
        let offset = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        place(&text, &lex(&text), offset).slot
    }

    #[test]
    fn statement_keywords_by_block() {
        assert_eq!(slot("|"), Some(Slot::Keywords(TOP_KEYWORDS)));
        assert_eq!(slot("team \"A\" {\n  |\n}"), Some(Slot::Keywords(TEAM_KEYWORDS)));
        assert_eq!(slot("team \"A\" {\n  cha|\n}"), Some(Slot::Keywords(TEAM_KEYWORDS)));
        assert_eq!(slot("defaults {\n  training {\n    |"), Some(Slot::Keywords(TRAINING_KEYWORDS)));
        assert_eq!(slot("team \"A\" { hiring { | } }"), Some(Slot::Keywords(HIRING_KEYWORDS)));
        assert_eq!(slot("rule \"r\" {\n  |"), Some(Slot::Keywords(RULE_KEYWORDS)));
        assert_eq!(slot("norms {\n  |"), Some(Slot::Norm));
        assert_eq!(slot("team \"A\" {\n  authority {\n    |"), Some(Slot::Action));
        assert_eq!(slot("team \"A\" {\n}\n|"), Some(Slot::Keywords(TOP_KEYWORDS)));
    }

    #[test]
    fn values_by_statement() {
        assert_eq!(slot("team \"A\" {\n  channel |"), Some(Slot::Channel));
        assert_eq!(slot("team \"A\" {\n  channel ph|"), Some(Slot::Channel));
        assert_eq!(slot("team \"A\" {\n  promise thorough, |"), Some(Slot::Promise));
        assert_eq!(slot("team \"A\" {\n  target |"), Some(Slot::Metric));
        assert_eq!(slot("team \"A\" {\n  target csat >= 80% |"), Some(Slot::Keywords(&["weight", "set_by"])));
        assert_eq!(slot("team \"A\" {\n  target csat >= 80% weight 10% set_by |"), Some(Slot::Level));
        assert_eq!(slot("team \"A\" {\n  directive |"), Some(Slot::Level));
        assert_eq!(slot("team \"A\" {\n  directive manager: |"), Some(Slot::Keywords(INTENTS)));
        assert_eq!(slot("team \"A\" {\n  directive manager: require |"), Some(Slot::Promise));
        assert_eq!(slot("team \"A\" {\n  directive manager: cap handle_time |"), Some(Slot::Keywords(&["at"])));
        assert_eq!(slot("team \"A\" {\n  allow |"), Some(Slot::RuleRef));
        assert_eq!(slot("allow one-|"), Some(Slot::RuleRef));
        assert_eq!(slot("allow K001 \"why\" |"), Some(Slot::Keywords(&["owner", "until"])));
        assert_eq!(slot("team \"A\" {\n  authority {\n    refund |"), Some(Slot::Keywords(GRANTS)));
        assert_eq!(slot("team \"A\" {\n  authority {\n    refund up_to $5 approval |"), Some(Slot::Level));
        assert_eq!(slot("team \"A\" {\n  drivers {\n    \"x\" 20% needs |"), Some(Slot::Action));
        assert_eq!(slot("team \"A\" {\n  drivers {\n    \"x\" 20% |"), Some(Slot::Keywords(&["preventable", "needs"])));
        assert_eq!(slot("team \"A\" { training { cadence |"), Some(Slot::Cadence));
        assert_eq!(slot("team \"A\" { training { sequence product, |"), Some(Slot::Module));
        assert_eq!(slot("team \"A\" { hiring { screen_for |"), Some(Slot::Trait));
        assert_eq!(slot("norms {\n  handle_time_floor thorough |"), Some(Slot::Channel));
        assert_eq!(slot("team \"A\" {\n  scripts |"), Some(Slot::Scripts));
        assert_eq!(slot("team \"A\" {\n  service_level 80% |"), Some(Slot::Keywords(&["within"])));
    }

    #[test]
    fn custom_rule_conditions_and_templates() {
        assert_eq!(slot("rule \"r\" {\n  when |"), Some(Slot::Path));
        assert_eq!(slot("rule \"r\" {\n  when channel == phone and deri|"), Some(Slot::Path));
        assert_eq!(slot("rule \"r\" {\n  when channel == |"), Some(Slot::PathValue(WordKind::Channel)));
        assert_eq!(slot("rule \"r\" {\n  when scripts in [guided, |"), Some(Slot::PathValue(WordKind::Scripts)));
        assert_eq!(slot("rule \"r\" {\n  when promises has |"), Some(Slot::Promise));
        assert_eq!(slot("rule \"r\" {\n  when (|"), Some(Slot::Path));
        assert_eq!(slot("rule \"r\" {\n  severity |"), Some(Slot::Keywords(SEVERITIES)));
        assert_eq!(slot("rule \"r\" {\n  message \"refund {authority.re|"), Some(Slot::Path));
        assert_eq!(slot("rule \"r\" {\n  message \"refund {x} |"), None);
    }

    #[test]
    fn nothing_in_names_values_or_comments() {
        assert_eq!(slot("team \"A|"), None);
        assert_eq!(slot("team \"A\" {\n  demand 60|"), None);
        assert_eq!(slot("team \"A\" {\n  # channel |"), None);
        assert_eq!(slot("team \"A\" {\n  hours |"), None);
    }

    #[test]
    fn the_partial_word_is_what_a_completion_replaces() {
        let text = "team \"A\" {\n  channel pho";
        let p = place(text, &lex(text), text.len());
        assert_eq!(p.partial, Span::new(text.len() - 3, text.len()));
        assert_eq!(p.frame, Frame::Team);
    }
}

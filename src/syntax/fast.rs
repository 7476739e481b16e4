//! The fast path: items read straight from the text into the tree, without
//! pest.
//!
//! Almost every item of a real policy is a well-formed `team`, and pest's
//! generated parser, with the pairs it builds and the lowering that walks
//! them, is most of the cost of a check. This reader follows the grammar in
//! `grammar/policy.pest` rule by rule for the items that make up the bulk of
//! a file (`policy`, `chain`, `norms`, `defaults`, `team` and `allow`),
//! and lowers each token as it reads it through the same [`Lowerer`]
//! functions, so values, spans and diagnostics are those of the pest path.
//!
//! It gives up at the first thing it does not expect: anything that is not
//! exactly what the grammar accepts, a custom `rule` (expressions stay
//! pest's), a byte-order mark, or a limit reached. Then what it reported
//! and counted is forgotten, and pest reads the chunk as if the fast path
//! did not exist: the grammar stays the one definition of the language, and
//! every error message is still pest's. The tests check that the two paths
//! give the same tree and the same diagnostics on every chunk the fast path
//! accepts.

use std::ops::Range;

use super::ast::*;
use super::lower::{self, Lowerer};
use crate::Span;

/// Reads the items of `range` (a chunk of whole items) of `text`, or `None`
/// with `lowerer` as it was, for pest to read them. `buffer` is working
/// space kept from chunk to chunk.
pub(super) fn items(
    text: &str,
    range: Range<usize>,
    lowerer: &mut Lowerer<'_>,
    buffer: &mut Vec<Stmt>,
) -> Option<Vec<Item>> {
    let saved = lowerer.save();
    let mut reader = Fast {
        text,
        bytes: text.as_bytes(),
        pos: range.start,
        last: range.start,
        end: range.end,
        lowerer,
        stmts: std::mem::take(buffer),
        peeked: (usize::MAX, 0),
    };
    let items = reader.chunk();
    *buffer = reader.stmts;
    if items.is_none() {
        lowerer.restore(saved);
    }
    items
}

/// `Some(())` when `condition` holds: a check that gives up otherwise.
fn ensure(condition: bool) -> Option<()> {
    condition.then_some(())
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

struct Fast<'t, 'l, 'm> {
    text: &'t str,
    bytes: &'t [u8],
    /// The next byte to read.
    pos: usize,
    /// Where the last token read ends: where the rule being read ends if it
    /// ends here (pest's spans are cut there too, see `span_of`).
    last: usize,
    /// The end of the chunk: pest's end of input.
    end: usize,
    lowerer: &'m mut Lowerer<'l>,
    /// The statements of the block being read.
    stmts: Vec<Stmt>,
    /// The last word peeked, start to end: a statement's keyword is peeked
    /// to choose how to read it, then read, so each word would be scanned
    /// twice.
    peeked: (usize, usize),
}

impl<'t> Fast<'t, '_, '_> {
    // ---------------------------------------------------------- tokens

    fn byte(&self, at: usize) -> Option<u8> {
        if at < self.end { self.bytes.get(at).copied() } else { None }
    }

    fn ident_char_at(&self, at: usize) -> bool {
        self.byte(at).is_some_and(is_ident_char)
    }

    /// Where the run of bytes from `at` that `continues` ends.
    fn run_end(&self, mut at: usize, continues: impl Fn(u8) -> bool) -> usize {
        while self.byte(at).is_some_and(&continues) {
            at += 1;
        }
        at
    }

    fn slice(&self, span: Span) -> &'t str {
        self.text.get(span.start as usize..span.end as usize).unwrap_or_default()
    }

    /// `WHITESPACE*`: blanks, line ends and comments.
    fn skip(&mut self) {
        loop {
            match self.byte(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'#') => {
                    while !matches!(self.byte(self.pos), None | Some(b'\n' | b'\r')) {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips white space; whether `literal` follows (not consumed).
    fn sees(&mut self, literal: u8) -> bool {
        self.skip();
        self.byte(self.pos) == Some(literal)
    }

    /// A punctuation literal.
    fn punct(&mut self, literal: u8) -> Option<Span> {
        ensure(self.sees(literal))?;
        Some(self.token(self.pos, self.pos + 1))
    }

    /// Reads the token `start..end`.
    fn token(&mut self, start: usize, end: usize) -> Span {
        self.pos = end;
        self.last = end;
        Span::new(start, end)
    }

    /// The word at the read position, white space skipped, not consumed:
    /// letters, digits and `_`, as keywords and identifiers end.
    fn peek_word(&mut self) -> &'t str {
        self.skip();
        if self.peeked.0 != self.pos {
            self.peeked = (self.pos, self.run_end(self.pos, is_ident_char));
        }
        let text: &'t str = self.text;
        text.get(self.pos..self.peeked.1).unwrap_or_default()
    }

    /// `kw_WORD = @{ "WORD" ~ !ident_char }`.
    fn keyword(&mut self, word: &str) -> Option<Span> {
        ensure(self.peek_word() == word)?;
        Some(self.token(self.pos, self.pos + word.len()))
    }

    /// `ident = @{ ASCII_ALPHA ~ ident_char* }`.
    fn ident(&mut self) -> Option<Ident> {
        self.word(is_ident_char)
    }

    /// `rule_ref = @{ ASCII_ALPHA ~ (ASCII_ALPHANUMERIC | "-" | "_")* }`.
    fn rule_ref(&mut self) -> Option<Ident> {
        self.word(|b| is_ident_char(b) || b == b'-')
    }

    /// A letter, then the bytes that `continues`.
    fn word(&mut self, continues: impl Fn(u8) -> bool) -> Option<Ident> {
        self.skip();
        ensure(self.byte(self.pos).is_some_and(|b| b.is_ascii_alphabetic()))?;
        let span = self.token(self.pos, self.run_end(self.pos, continues));
        Some(Ident { name: self.slice(span).to_string(), span })
    }

    /// `string`: a double-quoted name on one line, escaping only `"` and
    /// `\`.
    fn string(&mut self) -> Option<Str> {
        self.skip();
        ensure(self.byte(self.pos) == Some(b'"'))?;
        let start = self.pos;
        let mut at = start + 1;
        loop {
            match self.byte(at)? {
                b'"' => break,
                b'\\' => {
                    ensure(matches!(self.byte(at + 1), Some(b'"' | b'\\')))?;
                    at += 2;
                }
                b'\n' | b'\r' => return None,
                _ => at += 1,
            }
        }
        let span = self.token(start, at + 1);
        Some(lower::unquote(self.slice(span), span))
    }

    /// `decimal = _{ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? }` at `at`: where
    /// it ends.
    fn decimal(&self, at: usize) -> Option<usize> {
        let end = self.run_end(at, |b| b.is_ascii_digit());
        ensure(end > at)?;
        if self.byte(end) == Some(b'.') && self.byte(end + 1).is_some_and(|b| b.is_ascii_digit()) {
            return Some(self.run_end(end + 1, |b| b.is_ascii_digit()));
        }
        Some(end)
    }

    /// `value_suffix` at `at`: where it ends, if it is there.
    fn value_suffix(&self, at: usize) -> Option<usize> {
        match self.byte(at)? {
            b'%' => Some(at + 1),
            b'/' => {
                // `decimal | ident_char*`: a number when one is there.
                let end = self.decimal(at + 1).unwrap_or_else(|| self.run_end(at + 1, is_ident_char));
                (!self.ident_char_at(end)).then_some(end)
            }
            b' ' | b'\t' => {
                let word = self.run_end(at, |b| b == b' ' || b == b'\t');
                let end = word + 3;
                let letters = (word..end).all(|i| self.byte(i).is_some_and(|b| b.is_ascii_alphabetic()));
                let keyword = ["and", "not", "has", "set"].contains(&self.text.get(word..end).unwrap_or_default());
                (letters && !keyword && !self.ident_char_at(end)).then_some(end)
            }
            b if b.is_ascii_alphabetic() || b == b'_' => Some(self.run_end(at + 1, is_ident_char)),
            _ => None,
        }
    }

    /// `value`: any quantity as one token, read by the lowering.
    fn value(&mut self) -> Option<Quantity> {
        self.skip();
        let start = self.pos;
        let rest = self.text.get(start..self.end).unwrap_or_default();
        let sign =
            lower::CURRENCY_SIGNS.iter().find(|(sign, _)| rest.starts_with(*sign)).map_or(0, |(s, _)| s.len_utf8());
        let currency = if sign > 0 { self.decimal(start + sign).filter(|&end| !self.ident_char_at(end)) } else { None };
        let end = match currency {
            Some(end) => end,
            None => {
                let digits = if self.byte(start) == Some(b'-') { start + 1 } else { start };
                let number = self.decimal(digits)?;
                self.value_suffix(number).unwrap_or(number)
            }
        };
        let span = self.token(start, end);
        Some(self.lowerer.quantity(self.slice(span), span))
    }

    /// `time_of_day = @{ ASCII_DIGIT{2} ~ ":" ~ ASCII_DIGIT{2} }`.
    fn time_of_day(&mut self) -> Option<TimeOfDay> {
        self.skip();
        let start = self.pos;
        let digit = |i: usize| self.byte(start + i).is_some_and(|b| b.is_ascii_digit());
        ensure(digit(0) && digit(1) && self.byte(start + 2) == Some(b':') && digit(3) && digit(4))?;
        let span = self.token(start, start + 5);
        Some(lower::time_of_day(self.slice(span), span))
    }

    /// `date = @{ ASCII_DIGIT{4} ~ "-" ~ ASCII_DIGIT{2} ~ "-" ~
    /// ASCII_DIGIT{2} ~ !ident_char }`.
    fn date(&mut self) -> Option<DateLit> {
        self.skip();
        let start = self.pos;
        let shape = b"dddd-dd-dd";
        let fits = shape.iter().enumerate().all(|(i, &s)| match self.byte(start + i) {
            Some(b) if s == b'd' => b.is_ascii_digit(),
            b => b == Some(s),
        });
        ensure(fits && !self.ident_char_at(start + shape.len()))?;
        let span = self.token(start, start + shape.len());
        Some(lower::date(self.slice(span), span))
    }

    /// `target_op = @{ "<=" | ">=" | "<" | ">" | "=" }`.
    fn target_op(&mut self) -> Option<CmpOp> {
        self.skip();
        let (op, len) = match (self.byte(self.pos)?, self.byte(self.pos + 1)) {
            (b'<', Some(b'=')) => (CmpOp::Le, 2),
            (b'>', Some(b'=')) => (CmpOp::Ge, 2),
            (b'<', _) => (CmpOp::Lt, 1),
            (b'>', _) => (CmpOp::Gt, 1),
            (b'=', _) => (CmpOp::Eq, 1),
            _ => return None,
        };
        self.token(self.pos, self.pos + len);
        Some(op)
    }

    /// `ident ~ ("," ~ ident)*`, each counted against the statement limit.
    fn ident_list(&mut self, what: &str) -> Option<Vec<Ident>> {
        let mut idents = vec![self.ident()?];
        while self.sees(b',') {
            self.pos += 1;
            let ident = self.ident()?;
            ensure(!self.lowerer.over_statement_limit_at(idents.len(), ident.span, what))?;
            idents.push(ident);
        }
        Some(idents)
    }

    /// `open ~ ITEM* ~ close`: the items `item` reads, each (with its
    /// span) counted against the statement limit as `what`; and the span of
    /// the closing brace.
    fn braced<T>(
        &mut self,
        what: &str,
        mut item: impl FnMut(&mut Self) -> Option<(T, Span)>,
    ) -> Option<(Vec<T>, Span)> {
        self.punct(b'{')?;
        let mut items = Vec::new();
        while !self.sees(b'}') {
            let (value, span) = item(self)?;
            ensure(!self.lowerer.over_statement_limit_at(items.len(), span, what))?;
            items.push(value);
        }
        let close = self.punct(b'}')?;
        Some((items, close))
    }

    // ----------------------------------------------------------- items

    /// `chunk = { SOI ~ "\u{FEFF}"? ~ item* ~ EOI }`, without the mark.
    fn chunk(&mut self) -> Option<Vec<Item>> {
        let mut items = Vec::new();
        loop {
            self.skip();
            if self.pos >= self.end {
                return Some(items);
            }
            let start = self.pos;
            let item = match self.peek_word() {
                "team" => {
                    let keyword = self.keyword("team")?;
                    ensure(!self.lowerer.over_team_limit_at(keyword))?;
                    let name = self.string()?;
                    Item::Team(Team { name, body: self.block(keyword, "team")? })
                }
                "defaults" => {
                    let keyword = self.keyword("defaults")?;
                    Item::Defaults(self.block(keyword, "defaults")?)
                }
                "norms" => Item::Norms(self.norms()?),
                "allow" => Item::Allow(Box::new(self.allow(start)?)),
                "policy" => {
                    self.keyword("policy")?;
                    let name = self.string()?;
                    Item::Header(Header { span: Span::new(start, self.last), name })
                }
                "chain" => {
                    self.keyword("chain")?;
                    let mut levels = vec![self.ident()?];
                    while self.sees(b'>') {
                        self.pos += 1;
                        levels.push(self.ident()?);
                    }
                    Item::Chain(Chain { levels, span: Span::new(start, self.last) })
                }
                _ => return None,
            };
            items.push(item);
        }
    }

    /// `open ~ team_stmt* ~ close` after the keyword (and name) of a `team`
    /// or `defaults` block.
    fn block(&mut self, keyword: Span, what: &str) -> Option<Block> {
        self.punct(b'{')?;
        // Statements are gathered in a buffer kept from block to block and
        // moved out at their exact number: a vector grown one push at a
        // time holds up to twice the memory, for as long as the tree lives.
        self.stmts.clear();
        while !self.sees(b'}') {
            let stmt = self.stmt()?;
            ensure(!self.lowerer.over_statement_limit_at(self.stmts.len(), stmt.span, what))?;
            self.stmts.push(stmt);
        }
        let stmts = self.stmts.drain(..).collect();
        let close = self.punct(b'}')?;
        Some(Block { stmts, keyword, span: keyword.cover(close) })
    }

    /// `norms = { kw_norms ~ open ~ norm* ~ close }`, with
    /// `norm = { ident ~ ident* ~ value }`.
    fn norms(&mut self) -> Option<NormsBlock> {
        let keyword = self.keyword("norms")?;
        let (norms, close) = self.braced("norms", |r| {
            let name = r.ident()?;
            let mut args = Vec::new();
            loop {
                r.skip();
                if !r.byte(r.pos).is_some_and(|b| b.is_ascii_alphabetic()) {
                    break;
                }
                args.push(r.ident()?);
            }
            let value = r.value()?;
            let span = name.span.cover(value.span);
            Some((Norm { name, args, value, span }, span))
        })?;
        Some(NormsBlock { norms, span: keyword.cover(close) })
    }

    /// `allow = { kw_allow ~ rule_ref ~ string ~ owner? ~ until? }`.
    fn allow(&mut self, start: usize) -> Option<Allow> {
        self.keyword("allow")?;
        let rule = self.rule_ref()?;
        let reason = self.string()?;
        // An optional clause: `keyword` reads nothing when it is not there.
        let owner = if self.keyword("owner").is_some() { Some(self.string()?) } else { None };
        let until = if self.keyword("until").is_some() { Some(self.date()?) } else { None };
        Some(self.lowerer.allow_of(rule, reason, owner, until, Span::new(start, self.last)))
    }

    // ------------------------------------------------------ statements

    /// One `team_stmt`; its span ends where its last token ends.
    fn stmt(&mut self) -> Option<Stmt> {
        let start = self.pos;
        let word = self.peek_word();
        let kind = match word {
            "channel" | "scripts" | "emotional_load" => {
                self.keyword(word)?;
                let ident = self.ident()?;
                match word {
                    "channel" => StmtKind::Channel(ident),
                    "scripts" => StmtKind::Scripts(ident),
                    _ => StmtKind::EmotionalLoad(ident),
                }
            }
            "demand" | "agents" | "shrinkage" | "concurrency" | "patience" => {
                self.keyword(word)?;
                let value = self.value()?;
                match word {
                    "demand" => StmtKind::Demand(value),
                    "agents" => StmtKind::Agents(value),
                    "shrinkage" => StmtKind::Shrinkage(value),
                    "concurrency" => StmtKind::Concurrency(value),
                    _ => StmtKind::Patience(value),
                }
            }
            "hours" => {
                self.keyword("hours")?;
                let open = self.time_of_day()?;
                self.punct(b'-')?;
                StmtKind::Hours { open, close: self.time_of_day()? }
            }
            "service_level" => {
                self.keyword("service_level")?;
                let share = self.value()?;
                self.keyword("within")?;
                StmtKind::ServiceLevel(Box::new(ServiceLevel { share, within: self.value()? }))
            }
            "target" => StmtKind::Target(Box::new(self.target()?)),
            "promise" => {
                self.keyword("promise")?;
                StmtKind::Promise(self.ident_list("promise")?)
            }
            "authority" => self.authority()?,
            "drivers" => self.drivers()?,
            "training" => self.training()?,
            "hiring" => self.hiring()?,
            "directive" => self.directive()?,
            "allow" => StmtKind::Allow(Box::new(self.allow(start)?)),
            _ => return None,
        };
        Some(Stmt { kind, span: Span::new(start, self.last) })
    }

    /// `target = { kw_target ~ ident ~ (between | target_op ~ value) ~
    /// (weight | set_by)* }`.
    fn target(&mut self) -> Option<Target> {
        self.keyword("target")?;
        let metric = self.ident()?;
        let bound = if self.keyword("between").is_some() {
            let low = self.value()?;
            self.keyword("and")?;
            TargetBound::Between { low, high: self.value()? }
        } else {
            let op = self.target_op()?;
            TargetBound::Compare { op, value: self.value()? }
        };
        let (mut weight, mut set_by) = (None, None);
        loop {
            match self.peek_word() {
                "weight" => {
                    let start = self.keyword("weight")?.start as usize;
                    let value = self.value()?;
                    if weight.replace(value).is_some() {
                        self.lowerer.duplicate_clause(Span::new(start, self.last), "weight");
                    }
                }
                "set_by" => {
                    let start = self.keyword("set_by")?.start as usize;
                    let level = self.ident()?;
                    if set_by.replace(level).is_some() {
                        self.lowerer.duplicate_clause(Span::new(start, self.last), "set_by");
                    }
                }
                _ => break,
            }
        }
        Some(Target { metric, bound, weight, set_by })
    }

    /// `authority = { kw_authority ~ open ~ grant* ~ close }`.
    fn authority(&mut self) -> Option<StmtKind> {
        self.keyword("authority")?;
        let (grants, _) = self.braced("authority", |r| {
            let grant = r.grant()?;
            let span = grant.span;
            Some((grant, span))
        })?;
        Some(StmtKind::Authority(grants))
    }

    /// `grant = { ident ~ (grant_kind ~ approval? | approval) }`.
    fn grant(&mut self) -> Option<Grant> {
        let action = self.ident()?;
        let start = action.span.start as usize;
        let kind = match self.peek_word() {
            "up_to" => {
                self.keyword("up_to")?;
                GrantKind::UpTo(self.value()?)
            }
            "allowed" => {
                self.keyword("allowed")?;
                GrantKind::Allowed
            }
            "none" => {
                self.keyword("none")?;
                GrantKind::None
            }
            "approval" => GrantKind::ApprovalOnly,
            _ => return None,
        };
        let approval = if self.keyword("approval").is_some() { Some(self.ident()?) } else { None };
        Some(Grant { action, kind, approval, span: Span::new(start, self.last) })
    }

    /// `drivers = { kw_drivers ~ open ~ driver* ~ close }`, with
    /// `driver = { string ~ value ~ (preventable | needs)* }`.
    fn drivers(&mut self) -> Option<StmtKind> {
        self.keyword("drivers")?;
        let (drivers, _) = self.braced("drivers", Self::driver)?;
        Some(StmtKind::Drivers(drivers))
    }

    /// `driver = { string ~ value ~ (preventable | needs)* }`.
    fn driver(&mut self) -> Option<(Driver, Span)> {
        let name = self.string()?;
        let share = self.value()?;
        let (mut preventable, mut needs) = (None, None);
        loop {
            match self.peek_word() {
                "preventable" => {
                    let clause = self.keyword("preventable")?;
                    if preventable.replace(clause).is_some() {
                        self.lowerer.preventable_twice(clause);
                    }
                }
                "needs" => {
                    let start = self.keyword("needs")?.start as usize;
                    let action = self.ident()?;
                    let up_to = if self.keyword("up_to").is_some() { Some(self.value()?) } else { None };
                    let clause = Span::new(start, self.last);
                    if needs.replace(Need { action, up_to, span: clause }).is_some() {
                        self.lowerer.needs_twice(clause);
                    }
                }
                _ => break,
            }
        }
        let span = Span::new(name.span.start as usize, self.last);
        Some((Driver { name, share, preventable, needs, span }, span))
    }

    /// `training = { kw_training ~ open ~ (cadence | sequence |
    /// case_reviews)* ~ close }`.
    fn training(&mut self) -> Option<StmtKind> {
        self.keyword("training")?;
        let (stmts, _) = self.braced("training", |r| {
            let start = r.pos;
            let word = r.peek_word();
            r.keyword(word)?;
            let stmt = match word {
                "cadence" => TrainingStmt::Cadence(r.ident()?, Span::new(start, r.last)),
                "sequence" => {
                    let list = r.ident_list("sequence")?;
                    TrainingStmt::Sequence(list, Span::new(start, r.last))
                }
                "case_reviews" => TrainingStmt::CaseReviews(r.ident()?, Span::new(start, r.last)),
                _ => return None,
            };
            Some((stmt, Span::new(start, r.last)))
        })?;
        Some(StmtKind::Training(stmts))
    }

    /// `hiring = { kw_hiring ~ open ~ screen_for* ~ close }`.
    fn hiring(&mut self) -> Option<StmtKind> {
        self.keyword("hiring")?;
        let (screens, _) = self.braced("hiring", |r| {
            let start = r.pos;
            r.keyword("screen_for")?;
            let traits = r.ident_list("screen_for")?;
            let span = Span::new(start, r.last);
            Some((ScreenFor { traits, span }, span))
        })?;
        Some(StmtKind::Hiring(screens))
    }

    /// `directive = { kw_directive ~ ident ~ colon ~ (minimize | maximize |
    /// require | cap | floor) }`.
    fn directive(&mut self) -> Option<StmtKind> {
        self.keyword("directive")?;
        let level = self.ident()?;
        self.punct(b':')?;
        let word = self.peek_word();
        let intent = match word {
            "minimize" | "maximize" | "require" => {
                self.keyword(word)?;
                let subject = self.ident()?;
                match word {
                    "minimize" => Intent::Minimize(subject),
                    "maximize" => Intent::Maximize(subject),
                    _ => Intent::Require(subject),
                }
            }
            "cap" | "floor" => {
                self.keyword(word)?;
                let subject = self.ident()?;
                self.keyword("at")?;
                let value = self.value()?;
                if word == "cap" { Intent::Cap(subject, value) } else { Intent::Floor(subject, value) }
            }
            _ => return None,
        };
        Some(StmtKind::Directive(Box::new(Directive { level, intent })))
    }
}

/// Whether the fast path and pest alone read `source` to the same tree and
/// the same diagnostics: the fuzz target `fast_path` asserts it.
#[cfg(any(test, fuzzing))]
pub fn agrees(source: &crate::Source, limits: &super::Limits) -> Result<(), String> {
    use super::parse::{Path, parse_by};
    let fast = parse_by(source, limits, Path::Fast);
    let pest = parse_by(source, limits, Path::Pest);
    if fast.file != pest.file {
        return Err(format!("trees differ\nfast: {:#?}\npest: {:#?}", fast.file, pest.file));
    }
    if fast.diagnostics != pest.diagnostics {
        return Err(format!("diagnostics differ\nfast: {:#?}\npest: {:#?}", fast.diagnostics, pest.diagnostics));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Source;
    use crate::syntax::{Limits, split};

    fn check(text: &str, limits: &Limits) {
        let source = Source::new("t.policy", text.to_string());
        if let Err(e) = agrees(&source, limits) {
            panic!("{e}\ntext:\n{text}");
        }
    }

    /// How many chunks of `text` the fast path reads, of how many.
    fn accepted(text: &str) -> (usize, usize) {
        let limits = Limits::default();
        let mut lowerer = Lowerer::new(&limits);
        let chunks: Vec<_> = split::items(text).into_iter().filter(|r| !split::is_trivia(&text[r.clone()])).collect();
        let mut buffer = Vec::new();
        let read = chunks.iter().filter(|r| items(text, (*r).clone(), &mut lowerer, &mut buffer).is_some()).count();
        (read, chunks.len())
    }

    fn policy_files() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("policies"), root.join("tests/fixtures")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "policy") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    files.push((path, text));
                }
            }
        }
        assert!(files.len() > 50, "{}", files.len());
        files
    }

    #[test]
    fn agrees_with_pest_on_every_policy_of_the_repository() {
        for (path, text) in policy_files() {
            let source = Source::new("t.policy", text);
            if let Err(e) = agrees(&source, &Limits::default()) {
                panic!("{}: {e}", path.display());
            }
        }
    }

    #[test]
    fn reads_every_item_of_the_shipped_policies_but_custom_rules() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
        for entry in std::fs::read_dir(root).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "policy") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let rules =
                split::items(&text).iter().filter(|r| text[(*r).clone()].trim_start().starts_with("rule ")).count();
            let (read, all) = accepted(&text);
            assert_eq!(read + rules, all, "{}", path.display());
        }
    }

    #[test]
    fn agrees_with_pest_at_the_limits() {
        let text = "team \"A\" {\n  channel phone\n  promise a, b, c\n  agents 3\n}\nteam \"B\" {\n  agents 4\n}\n\
                    norms {\n  a 1\n  b 2\n}\nteam \"C\" { training { cadence once sequence a, b } }\n";
        for n in 0..5 {
            let limits = Limits { max_statements: n, max_teams: n, ..Limits::default() };
            check(text, &limits);
        }
    }

    #[test]
    fn gives_up_on_what_pest_alone_reads() {
        for text in [
            "rule \"r\" { when agents > 3 message \"m\" }",
            "\u{feff}team \"A\" { agents 3 }",
            "team \"A\" { agents 3 ",
            "team \"A\" { agnets 3 }",
        ] {
            assert_eq!(accepted(text).0, 0, "{text}");
            check(text, &Limits::default());
        }
    }

    #[test]
    fn values_end_where_pest_ends_them() {
        for value in [
            "3",
            "-3",
            "4.5",
            "4.",
            "80%",
            "3m",
            "1h30m",
            "600/h",
            "4.5/5",
            "4.5/5x",
            "3/",
            "3/h1",
            "$50",
            "$50x",
            "€50",
            "£5.5",
            "120 USD",
            "120 usd",
            "120\tEUR",
            "3 and",
            "3 andy",
            "3 set",
            "3 set_by",
            "3 abcd",
            "3 ab",
            "3mins",
            "3m30",
            "-3m",
            "3_x",
            "9999999999999",
            "1.1234567",
            "$-5",
            "- 3",
            "3 #c",
        ] {
            check(
                &format!("team \"A\" {{\n  agents {value}\n  target handle_time <= {value} weight {value}\n}}\n"),
                &Limits::default(),
            );
            check(
                &format!("norms {{ x y {value} }}\nteam \"A\" {{ service_level {value} within {value} }}"),
                &Limits::default(),
            );
        }
    }

    /// Words and punctuation the grammar knows, and some it does not, to
    /// build near-policies from.
    fn token() -> impl Strategy<Value = String> {
        let others = [
            "team",
            "defaults",
            "norms",
            "policy",
            "chain",
            "rule",
            "owner",
            "until",
            "within",
            "between",
            "and",
            "weight",
            "set_by",
            "up_to",
            "allowed",
            "none",
            "approval",
            "preventable",
            "needs",
            "cadence",
            "sequence",
            "case_reviews",
            "screen_for",
            "minimize",
            "maximize",
            "require",
            "cap",
            "floor",
            "at",
            "phone",
            "x",
            "Y_1",
            "{",
            "}",
            ",",
            ":",
            "-",
            ">",
            "<=",
            ">=",
            "<",
            "=",
            "\"A\"",
            "\"B\"",
            "\"\"",
            "\"a\\\"b\"",
            "\"x\\q\"",
            "\"open",
            "3",
            "-2",
            "4.5",
            "80%",
            "3m",
            "1h30m",
            "600/h",
            "4/5",
            "$50",
            "120 USD",
            "3 set",
            "3mins",
            "08:00",
            "8:00",
            "2027-03-31",
            "2027-3-31",
            "one-off",
            "# note\n",
            "\n",
            " ",
            "\t",
            "\r\n",
            "\u{feff}",
            "é",
            "\u{b}",
        ];
        let words: Vec<&str> = split::TEAM_STATEMENTS.iter().copied().chain(others).collect();
        prop::sample::select(words).prop_map(str::to_string)
    }

    fn glue() -> impl Strategy<Value = String> {
        prop::sample::select(vec![" ", "", "\n", "  ", "\t", " # c\n"]).prop_map(str::to_string)
    }

    fn soup() -> impl Strategy<Value = String> {
        prop::collection::vec((token(), glue()), 0..40)
            .prop_map(|parts| parts.into_iter().map(|(t, g)| t + &g).collect())
    }

    const STATEMENTS: &[&str] = &[
        "channel I",
        "scripts I",
        "emotional_load I",
        "demand V",
        "agents V",
        "shrinkage V",
        "concurrency V",
        "patience V",
        "hours T - T",
        "service_level V within V",
        "target I O V C",
        "target I between V and V C",
        "promise I",
        "promise I , I , I",
        "authority { I up_to V approval I I allowed I none I approval I }",
        "authority { }",
        "drivers { S V preventable needs I up_to V S V needs I needs I preventable preventable }",
        "training { cadence I sequence I , I case_reviews I }",
        "hiring { screen_for I , I screen_for I }",
        "directive I : minimize I",
        "directive I : cap I at V",
        "directive I : floor I at V",
        "directive I : require I",
        "directive I : maximize I",
        "allow R S owner S until D",
        "allow R S",
    ];
    const ITEMS: &[&str] = &[
        "policy S",
        "chain I > I > I",
        "norms { I I V I V }",
        "norms { }",
        "allow R S until D",
        "team S { B }",
        "defaults { B }",
    ];
    const IDENTS: &[&str] = &["phone", "x", "Y_1", "thorough", "manager", "and", "set", "approval", "up_to", "a9"];
    const VALUES: &[&str] = &[
        "3",
        "-3",
        "4.5",
        "80%",
        "3m",
        "1h30m",
        "600/h",
        "4.5/5",
        "$50",
        "€5",
        "120 USD",
        "3mins",
        "3m30",
        "-3m",
        "1m2h",
        "9999999999999",
        "1.1234567",
        "5/fortnight",
        "2 set",
        "7 xyz",
        "0",
        "100%",
    ];
    const STRINGS: &[&str] = &["\"A\"", "\"\"", "\"  \"", "\"q\\\"uote\"", "\"back\\\\slash\"", "\"é\""];
    const GLUE: &[&str] = &[" ", "\n", "\t", " # c\n", "  ", "\r\n", "\n\n"];

    /// Writes `template` with each slot drawn by `pick`, words separated
    /// by drawn white space and comments.
    fn emit(template: &str, out: &mut String, pick: &mut dyn FnMut(usize) -> usize) {
        fn one(list: &[&str], pick: &mut dyn FnMut(usize) -> usize) -> String {
            list[pick(list.len())].to_string()
        }
        for (i, part) in template.split(' ').enumerate() {
            if i > 0 {
                out.push_str(&one(GLUE, pick));
            }
            match part {
                "I" => out.push_str(&one(IDENTS, pick)),
                "V" => out.push_str(&one(VALUES, pick)),
                "S" => out.push_str(&one(STRINGS, pick)),
                "T" => out.push_str(&one(&["08:00", "23:59", "99:99"], pick)),
                "D" => out.push_str(&one(&["2027-03-31", "2027-13-40"], pick)),
                "R" => out.push_str(&one(&["one-off-training", "P002", "x_y-z"], pick)),
                "O" => out.push_str(&one(&["<=", ">=", "<", ">", "="], pick)),
                "C" => {
                    for _ in 0..pick(4) {
                        out.push_str(&one(&[" weight 5%", " set_by manager", " weight 3m"], pick));
                    }
                }
                "B" => {
                    for _ in 0..pick(6) {
                        out.push_str(&one(GLUE, pick));
                        let statement = one(STATEMENTS, pick);
                        emit(&statement, out, pick);
                    }
                    out.push_str(&one(GLUE, pick));
                }
                other => out.push_str(other),
            }
        }
    }

    /// A policy of well-formed items of every kind, with odd values,
    /// names and spacing, drawn from `draws`.
    fn policy_from(draws: &[u32]) -> String {
        let mut draws = draws.iter().cycle();
        let mut pick = |n: usize| draws.next().map_or(0, |&d| d as usize % n.max(1));
        let mut out = String::new();
        for _ in 0..1 + pick(4) {
            let item = ITEMS[pick(ITEMS.len())];
            emit(item, &mut out, &mut pick);
            out.push('\n');
        }
        out
    }

    #[test]
    fn generated_policies_are_mostly_read_by_the_fast_path() {
        let (mut read, mut all) = (0, 0);
        for seed in 0..200u32 {
            let draws: Vec<u32> =
                (0..300).map(|i| seed.wrapping_mul(2_654_435_761).wrapping_add(i * 40_503) >> 7).collect();
            let (r, a) = accepted(&policy_from(&draws));
            read += r;
            all += a;
        }
        assert!(read * 2 > all, "{read} of {all}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Token soup inside a team block: the fast path either gives up or
        /// reads exactly what pest reads.
        #[test]
        fn agrees_with_pest_on_token_soup(body in soup(), outside in soup()) {
            check(&format!("team \"T\" {{\n{body}\n}}\n{outside}"), &Limits::default());
        }

        /// Well-formed items of every kind: the fast path reads exactly
        /// what pest reads.
        #[test]
        fn agrees_with_pest_on_generated_policies(draws in prop::collection::vec(any::<u32>(), 1..300)) {
            check(&policy_from(&draws), &Limits::default());
        }

        /// A policy with tokens inserted.
        #[test]
        fn agrees_with_pest_on_damaged_policies(edits in prop::collection::vec((any::<prop::sample::Index>(), token()), 1..4)) {
            let mut text = include_str!("../../policies/financial_services.policy").to_string();
            for (at, token) in edits {
                let mut at = at.index(text.len());
                while !text.is_char_boundary(at) { at -= 1; }
                text.insert_str(at, &token);
            }
            check(&text, &Limits::default());
        }
    }
}

//! Completion: the words that fit where the cursor is, from the slot
//! `context.rs` finds. Every candidate of the slot is returned; the editor
//! filters them by what has been typed.

use super::context::{Slot, place};
use super::lex::lex;
use super::outline::{ItemKind, outline};
use super::{Completion, CompletionKind, Completions, words};
use crate::FileReport;
use crate::model::custom::{Fact, WordKind};
use crate::model::norms::NORM_NAMES;
use crate::model::vocab::{Action, Cadence, Channel, EmotionalLoad, Metric, Module, Promise, Scripts, Trait};
use crate::rules::Category;

fn item(label: impl Into<String>, kind: CompletionKind, detail: impl Into<String>) -> Completion {
    Completion { label: label.into(), kind, detail: detail.into() }
}

/// The words of a vocabulary, each with what it means.
fn vocabulary<T: Copy>(all: &[T], name: fn(T) -> &'static str, describe: fn(T) -> &'static str) -> Vec<Completion> {
    all.iter().map(|w| item(name(*w), CompletionKind::Word, describe(*w))).collect()
}

/// The completions at byte `offset` of the report's source.
pub(crate) fn complete(report: &FileReport, offset: usize) -> Completions {
    let text = report.source.text();
    let offset = super::floor_boundary(text, offset);
    let tokens = lex(text);
    let at = place(text, &tokens, offset);
    let items = match at.slot {
        None => Vec::new(),
        Some(Slot::Keywords(list)) => {
            list.iter().map(|k| item(*k, CompletionKind::Keyword, words::keyword(k).unwrap_or_default())).collect()
        }
        Some(Slot::Channel) | Some(Slot::PathValue(WordKind::Channel)) => {
            vocabulary(Channel::ALL, Channel::as_str, Channel::description)
        }
        Some(Slot::Metric) => {
            Metric::ALL.iter().map(|m| item(m.as_str(), CompletionKind::Word, words::metric(*m))).collect()
        }
        Some(Slot::Promise) => vocabulary(Promise::ALL, Promise::as_str, Promise::description),
        Some(Slot::Action) => vocabulary(Action::ALL, Action::as_str, Action::description),
        Some(Slot::Module) => vocabulary(Module::ALL, Module::as_str, Module::description),
        Some(Slot::Trait) => vocabulary(Trait::ALL, Trait::as_str, Trait::description),
        Some(Slot::Cadence) | Some(Slot::PathValue(WordKind::Cadence)) => {
            vocabulary(Cadence::ALL, Cadence::as_str, Cadence::description)
        }
        Some(Slot::Scripts) | Some(Slot::PathValue(WordKind::Scripts)) => {
            vocabulary(Scripts::ALL, Scripts::as_str, Scripts::description)
        }
        Some(Slot::EmotionalLoad) | Some(Slot::PathValue(WordKind::EmotionalLoad)) => {
            vocabulary(EmotionalLoad::ALL, EmotionalLoad::as_str, EmotionalLoad::description)
        }
        Some(Slot::Level) => {
            let default = crate::model::Chain::default();
            let chain = report.policy.as_ref().map_or(&default, |p| &p.chain);
            let count = chain.levels.len();
            chain
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    item(l.clone(), CompletionKind::Word, format!("level {} of {count} of the leadership chain", i + 1))
                })
                .collect()
        }
        Some(Slot::RuleRef) => {
            let mut items: Vec<Completion> = Vec::new();
            for meta in report.rules().filter(|m| m.category != Category::Syntax) {
                items.push(item(meta.name, CompletionKind::Rule, format!("{}: {}", meta.code, meta.summary())));
                items.push(item(meta.code, CompletionKind::Rule, meta.name));
            }
            let custom = outline(text, &tokens).into_iter().filter(|i| i.kind == ItemKind::Rule).filter_map(|i| i.name);
            for (name, _) in custom {
                if crate::model::is_kebab(&name) && !items.iter().any(|c| c.label == name) {
                    items.push(item(name, CompletionKind::Rule, "a rule of this file"));
                }
            }
            items
        }
        Some(Slot::Path) => Fact::all_paths()
            .into_iter()
            .filter_map(|p| Fact::parse(&p).map(|f| item(p, CompletionKind::Path, words::path(f))))
            .collect(),
        Some(Slot::Norm) => {
            NORM_NAMES.iter().map(|n| item(*n, CompletionKind::Keyword, words::norm(n).unwrap_or_default())).collect()
        }
    };
    Completions { replace: at.partial, items }
}

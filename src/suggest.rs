//! "Did you mean": the closest known word to a misspelt one.
//!
//! Both words may come from hostile input (a leadership level declared in
//! the file, a custom rule's name, a key of the configuration), so the cost
//! of one suggestion is bounded whatever their lengths: words longer than
//! [`MAX_WORD`] characters get no suggestion, and a length filter runs
//! before any distance is computed. The distance itself is `strsim`'s
//! optimal string alignment (edits and adjacent transpositions).

/// Longer words are not typos of a vocabulary word; they get no suggestion.
pub const MAX_WORD: usize = 64;

/// The edits a word of `chars` characters may be away from a suggestion: a
/// third of its length, at least one.
fn edit_limit(chars: usize) -> usize {
    (chars / 3).max(1)
}

/// The candidate closest to `word` (case aside), if one is close enough to
/// be a likely typo: at most a third of the word's length in edits. Ties go
/// to the first candidate. Costs at most `MAX_WORD`² per candidate.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let chars = word.chars().count();
    if chars > MAX_WORD {
        return None;
    }
    let limit = edit_limit(chars);
    let word = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let len = candidate.chars().count();
        if len > MAX_WORD || len.abs_diff(chars) > limit {
            continue;
        }
        let lower = if candidate.chars().any(char::is_uppercase) {
            std::borrow::Cow::Owned(candidate.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(candidate)
        };
        let d = strsim::osa_distance(&word, &lower);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(closest("chanel", ["channel", "hours"]), Some("channel"));
        assert_eq!(closest("Phone", ["phone", "chat"]), Some("phone"));
        assert_eq!(closest("thourough", ["thorough", "personalized"]), Some("thorough"));
        assert_eq!(closest("personalised", ["thorough", "personalized"]), Some("personalized"));
        assert_eq!(closest("xyz", ["thorough"]), None);
        assert_eq!(closest("ab", ["ba"]), Some("ba"));
    }

    #[test]
    fn long_words_cost_nothing() {
        let long = "a".repeat(600_000);
        assert_eq!(closest(&long, [long.as_str()]), None);
        assert_eq!(closest("level", [long.as_str(), "levels"]), Some("levels"));
    }
}

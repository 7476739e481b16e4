//! The vocabularies of the language: channels, metrics, promises, actions,
//! training modules, screening traits and the other closed word lists, with
//! "did you mean" suggestions for misspellings.

use std::fmt;

/// Declares a closed vocabulary: an enum, its spelling in policy files, and
/// a human name for the list (used in "unknown channel `fone`").
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        pub enum $name {
            $( $(#[doc = $vdoc])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every word of the vocabulary, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What the vocabulary is called in messages.
            pub const WHAT: &'static str = $what;

            /// The word as written in a policy.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The word for `text`, if it is one.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// What the word means, in a few words (its doc comment).
            pub fn description(self) -> &'static str {
                match self { $($name::$variant => concat!($($vdoc),*)),+ }.trim()
            }

            /// Every word, as written.
            pub fn names() -> impl Iterator<Item = &'static str> + Clone {
                Self::ALL.iter().map(|v| v.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// How customers reach a team.
    pub enum Channel as "channel" {
        /// Voice calls.
        Phone = "phone",
        /// Live chat.
        Chat = "chat",
        /// Email.
        Email = "email",
        /// Social media.
        Social = "social",
        /// Video calls.
        Video = "video",
        /// Face to face.
        InPerson = "in_person",
    }
}

impl Channel {
    /// Whether one agent can hold several contacts at once (`concurrency`).
    pub fn is_concurrent(self) -> bool {
        matches!(self, Channel::Chat | Channel::Social)
    }

    /// The channel's name in a sentence ("a thorough phone contact").
    pub fn phrase(self) -> &'static str {
        match self {
            Channel::InPerson => "in-person",
            other => other.as_str(),
        }
    }
}

vocabulary! {
    /// A key performance indicator a target can bound.
    pub enum Metric as "metric" {
        /// Average handle time (duration).
        HandleTime = "handle_time",
        /// Average speed of answer (duration).
        SpeedOfAnswer = "speed_of_answer",
        /// Contacts per agent per hour (count).
        ContactsPerHour = "contacts_per_hour",
        /// Share of contacts abandoned (percentage).
        Abandonment = "abandonment",
        /// Share of available time spent on contacts (percentage).
        Occupancy = "occupancy",
        /// Share of time on schedule (percentage).
        Adherence = "adherence",
        /// Share resolved on the first contact (percentage).
        FirstContactResolution = "first_contact_resolution",
        /// Share resolved at all (percentage).
        ResolutionRate = "resolution_rate",
        /// Share of contacts that are repeats (percentage).
        RepeatContacts = "repeat_contacts",
        /// Customer satisfaction (percentage or score).
        Csat = "csat",
        /// Quality-assurance score (percentage or score).
        QualityScore = "quality_score",
        /// Net promoter score (-100 to 100).
        Nps = "nps",
    }
}

/// The four families of metrics that scorecard rules weigh against each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricClass {
    /// How fast.
    Speed,
    /// How much.
    Volume,
    /// Whether the problem was solved.
    Resolution,
    /// How it felt to the customer.
    Quality,
}

/// The kind of value a metric is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricUnit {
    /// A duration.
    Duration,
    /// A percentage.
    Percentage,
    /// A percentage or a score (`4.5/5`).
    PercentageOrScore,
    /// A plain number.
    Count,
    /// A number from -100 to 100.
    Nps,
}

impl Metric {
    /// The metric's class.
    pub fn class(self) -> MetricClass {
        use Metric::*;
        match self {
            HandleTime | SpeedOfAnswer | Abandonment => MetricClass::Speed,
            ContactsPerHour | Occupancy | Adherence => MetricClass::Volume,
            FirstContactResolution | ResolutionRate | RepeatContacts => MetricClass::Resolution,
            Csat | QualityScore | Nps => MetricClass::Quality,
        }
    }

    /// The kind of value the metric takes.
    pub fn unit(self) -> MetricUnit {
        use Metric::*;
        match self {
            HandleTime | SpeedOfAnswer => MetricUnit::Duration,
            ContactsPerHour => MetricUnit::Count,
            Abandonment | Occupancy | Adherence | FirstContactResolution | ResolutionRate | RepeatContacts => {
                MetricUnit::Percentage
            }
            Csat | QualityScore => MetricUnit::PercentageOrScore,
            Nps => MetricUnit::Nps,
        }
    }
}

vocabulary! {
    /// A service commitment made to customers.
    pub enum Promise as "promise" {
        /// Take the time the problem needs.
        Thorough = "thorough",
        /// Treat the customer as an individual.
        Personalized = "personalized",
        /// Acknowledge how the customer feels.
        Empathetic = "empathetic",
        /// One person owns the case to the end.
        OwnUntilResolved = "own_until_resolved",
        /// Resolve on the first contact.
        FirstContact = "first_contact",
        /// Check back that the fix worked.
        FollowUp = "follow_up",
    }
}

vocabulary! {
    /// Something an agent may be allowed to do for a customer.
    pub enum Action as "action" {
        /// Give money back.
        Refund = "refund",
        /// Credit an account.
        Credit = "credit",
        /// Send a replacement.
        Replacement = "replacement",
        /// Waive a fee.
        FeeWaiver = "fee_waiver",
        /// Make an exception to policy.
        Exception = "exception",
        /// Arrange a call back.
        Callback = "callback",
        /// Pass the case on.
        Escalate = "escalate",
    }
}

vocabulary! {
    /// How closely agents follow scripts.
    pub enum Scripts as "scripts style" {
        /// Read as written.
        Verbatim = "verbatim",
        /// Follow a guide.
        Guided = "guided",
        /// Work from principles.
        Principles = "principles",
    }
}

vocabulary! {
    /// How distressing contacts are for staff.
    pub enum EmotionalLoad as "emotional load" {
        /// Routine.
        Low = "low",
        /// Sometimes hard.
        Medium = "medium",
        /// Distressing.
        High = "high",
    }
}

vocabulary! {
    /// How often training happens.
    pub enum Cadence as "cadence" {
        /// A single event.
        Once = "once",
        /// Every week.
        Weekly = "weekly",
        /// Every other week.
        Biweekly = "biweekly",
        /// Every month.
        Monthly = "monthly",
        /// Every quarter.
        Quarterly = "quarterly",
        /// Every year.
        Yearly = "yearly",
    }
}

vocabulary! {
    /// A training module.
    pub enum Module as "training module" {
        /// Recovering from hard contacts.
        Resilience = "resilience",
        /// Emotional boundaries and language for limits.
        Boundaries = "boundaries",
        /// Self-care and reflection.
        SelfCare = "self_care",
        /// Techniques for handling customers.
        CustomerMethods = "customer_methods",
        /// The products.
        Product = "product",
        /// The tools.
        Systems = "systems",
        /// Calming angry customers.
        DeEscalation = "de_escalation",
        /// Individual coaching.
        Coaching = "coaching",
    }
}

impl Module {
    /// Whether the module protects staff (resilience, boundaries, self-care).
    pub fn is_protective(self) -> bool {
        matches!(self, Module::Resilience | Module::Boundaries | Module::SelfCare)
    }
}

vocabulary! {
    /// A trait candidates are screened for.
    pub enum Trait as "screening trait" {
        /// Pleasant manner.
        Friendliness = "friendliness",
        /// Energy.
        Enthusiasm = "enthusiasm",
        /// Calm under pressure.
        Composure = "composure",
        /// Recovers from setbacks.
        Resilience = "resilience",
        /// Finds the real problem.
        ProblemSolving = "problem_solving",
        /// Comfortable saying no.
        Boundaries = "boundaries",
        /// Wants to understand.
        Curiosity = "curiosity",
        /// Reads and manages emotions.
        EmotionalIntelligence = "emotional_intelligence",
    }
}

impl Trait {
    /// Whether the trait predicts handling hard cases without being
    /// overwhelmed (composure, resilience, problem solving, boundaries).
    pub fn is_grounding(self) -> bool {
        matches!(self, Trait::Composure | Trait::Resilience | Trait::ProblemSolving | Trait::Boundaries)
    }
}

pub use crate::suggest::closest;

/// What to say about a word outside a vocabulary.
pub struct UnknownWord {
    /// "unknown channel `fone`".
    pub message: String,
    /// "did you mean `phone`?", or "not a channel".
    pub label: String,
    /// The known words, or where to find them when there are many.
    pub help: String,
}

/// Describes `word`, which is none of `names`, the words of a vocabulary of
/// `what`s (`channel`, `promise`).
pub fn unknown_word(word: &str, names: impl Iterator<Item = &'static str> + Clone, what: &str) -> UnknownWord {
    let label = match closest(word, names.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("not {} {what}", crate::diagnostic::article(what)),
    };
    let known: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    let help = if known.len() <= 15 {
        format!("known {what}s: {}", known.join(", "))
    } else {
        format!("see docs/language.md for the {what}s the language knows")
    };
    UnknownWord { message: format!("unknown {what} `{}`", crate::diagnostic::excerpt(word)), label, help }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(closest("chanel", ["channel", "hours"]), Some("channel"));
        assert_eq!(closest("Phone", Channel::names()), Some("phone"));
        assert_eq!(closest("thourough", Promise::names()), Some("thorough"));
        assert_eq!(closest("personalised", Promise::names()), Some("personalized"));
        assert_eq!(closest("xyz", Promise::names()), None);
    }

    #[test]
    fn vocabularies_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.as_str()), Some(*m));
        }
        assert_eq!(Channel::parse("in_person"), Some(Channel::InPerson));
        assert_eq!(Channel::parse("fone"), None);
    }
}

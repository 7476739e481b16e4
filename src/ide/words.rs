//! What the words of the language mean: statement keywords, fact paths and
//! norms, in a sentence each, for hover and for the detail of completions.
//! The vocabularies' own words describe themselves (`description()`).

use crate::model::custom::{Derived, Fact};
use crate::model::vocab::{Metric, MetricClass, MetricUnit};

/// What a keyword of the language does.
pub(crate) fn keyword(word: &str) -> Option<&'static str> {
    Some(match word {
        "policy" => "the organisation's name; optional, at most once, first",
        "chain" => {
            "the leadership levels from highest to lowest (default `executive > director > manager > supervisor`)"
        }
        "norms" => "calibrates the built-in thresholds for this file",
        "defaults" => "team statements that apply to every team in the file",
        "team" => "one support team or queue: the unit that is checked",
        "rule" => "a check written by the policy author, evaluated once per team",
        "allow" => {
            "suppresses one rule in its scope (a team, `defaults` = every team, top level = the file); the reason is required"
        }
        "channel" => "how customers reach the team: `phone`, `chat`, `email`, `social`, `video`, `in_person`",
        "hours" => "daily opening hours, `08:00-20:00`; needed to spread a `/day` demand",
        "demand" => "forecast arrival rate in the busiest interval, `600/h`",
        "agents" => "agents scheduled in the busiest interval",
        "shrinkage" => {
            "share of scheduled time not available for contacts (breaks, training, absence); typical is 30-35%"
        }
        "concurrency" => "contacts one agent handles at once (chat and social only)",
        "service_level" => "share of contacts answered within the threshold, `80% within 20s`",
        "patience" => {
            "mean time a customer waits before abandoning; when stated, abandonment is modelled (Erlang A) and abandoned contacts count as missed"
        }
        "target" => "a KPI target: `target METRIC OP VALUE [weight P%] [set_by LEVEL]`, or `between A and B`",
        "promise" => "service commitments made to customers; each may set a handle-time floor on the team's channel",
        "authority" => "what agents may decide without asking; an action that is not listed is `none`",
        "drivers" => {
            "why customers contact the team: a name, a share, then `preventable` and `needs ACTION [up_to MONEY]`"
        }
        "scripts" => "how closely agents follow scripts: `verbatim`, `guided` or `principles`",
        "emotional_load" => "how distressing contacts are for staff: `low`, `medium` or `high`",
        "training" => "how staff are developed: `cadence`, `sequence`, `case_reviews`",
        "hiring" => "what candidates are screened for: `screen_for`",
        "directive" => "an instruction from a leadership level: `directive LEVEL: INTENT`",
        "severity" => "the custom rule's severity: `error`, `warning` or `info`",
        "when" => "the custom rule's condition, evaluated on each team as combined with `defaults`",
        "message" => "what the custom rule says when it fires; `{path}` is replaced by the fact's value",
        "help" => "what the custom rule says would resolve it; `{path}` is replaced by the fact's value",
        "cadence" => "how often training happens; `once` is a one-off event (P002)",
        "sequence" => "the order in which new staff take the training modules (P003)",
        "case_reviews" => "how often staff review hard cases together",
        "screen_for" => "the traits candidates are screened for (P004)",
        "minimize" => "asks for the metric to go down",
        "maximize" => "asks for the metric to go up",
        "require" => "asks for a promise to be kept",
        "cap" => "sets a ceiling on a metric: `cap METRIC at VALUE`",
        "floor" => "sets a floor under a metric: `floor METRIC at VALUE`",
        "up_to" => "agents may do it alone up to this amount",
        "allowed" => "agents may do it alone, without a limit",
        "none" => "agents may not do it at all",
        "approval" => "the action needs this level's approval every time",
        "preventable" => "the contact exists because something upstream failed (P005)",
        "needs" => "resolving the contact takes this authority (A001, A002, A003)",
        "weight" => "the target's weight in the scorecard (K003, K005)",
        "set_by" => "the level that set the target (L003)",
        "within" => "the answer threshold of the service level",
        "between" => "a range of admitted values, both ends included",
        "owner" => "who answers for the exception",
        "until" => "from this date on the `allow` silences nothing (X004)",
        _ => return None,
    })
}

/// What a metric is, and what a bound on it does in the scorecard.
pub(crate) fn metric(metric: Metric) -> String {
    let unit = match metric.unit() {
        MetricUnit::Duration => "a duration",
        MetricUnit::Percentage => "a percentage",
        MetricUnit::PercentageOrScore => "a percentage or a score like `4.5/5`",
        MetricUnit::Count => "a number",
        MetricUnit::Nps => "a number from -100 to 100",
    };
    let (class, role) = match metric.class() {
        MetricClass::Speed => ("speed", "an upper bound on it is speed pressure in the scorecard (K003, K004)"),
        MetricClass::Volume => ("volume", "a lower bound on it is volume pressure in the scorecard (K003, K004)"),
        MetricClass::Resolution => ("resolution", "a target on it balances speed and volume pressure (K003, K004)"),
        MetricClass::Quality => ("quality", "a target on it balances speed and volume pressure (K003)"),
    };
    let role = match metric {
        Metric::Occupancy => {
            "a lower bound on it is volume pressure (K003); above `max_occupancy` it is burnout (K007, S004)"
        }
        _ => role,
    };
    format!("{}, measured as {unit}; {class} class: {role}", metric.description().trim_end_matches('.'))
}

/// What a fact path of a custom rule reads.
pub(crate) fn path(fact: Fact) -> String {
    match fact {
        Fact::Channel => "the team's channel".into(),
        Fact::Agents => "scheduled agents".into(),
        Fact::Shrinkage => "shrinkage, a percentage".into(),
        Fact::Concurrency => "contacts one agent holds at once".into(),
        Fact::Demand => "demand, as an hourly rate".into(),
        Fact::Patience => "mean time customers wait before abandoning".into(),
        Fact::EmotionalLoad => "the emotional load: `low`, `medium` or `high`".into(),
        Fact::Scripts => "the script style: `verbatim`, `guided` or `principles`".into(),
        Fact::Promises => "the promises in force; test with `promises has PROMISE`".into(),
        Fact::ServiceLevel => "the service-level target share".into(),
        Fact::Target(m) => format!("the tightest bound in force on `{m}`"),
        Fact::Weight(m) => format!("the summed weight of the targets on `{m}`"),
        Fact::Authority(a) => format!("the money limit of `{a}`; `none` compares below every amount"),
        Fact::TrainingCadence => "the training cadence".into(),
        Fact::Derived(d) => match d {
            Derived::Load => "offered load in Erlangs at the planned handle time".into(),
            Derived::Occupancy => "occupancy at the planned handle time".into(),
            Derived::ServiceLevel => "achieved service level at the planned handle time".into(),
            Derived::SpeedOfAnswer => "average speed of answer at the planned handle time".into(),
            Derived::RequiredAgents => "scheduled agents needed to meet the service level".into(),
            Derived::MaxFirstContactResolution => "the share of contacts agents can resolve on first contact".into(),
        },
    }
}

/// What a norm calibrates.
pub(crate) fn norm(name: &str) -> Option<&'static str> {
    Some(match name {
        "handle_time_floor" => {
            "the shortest handle time a promise needs on a channel: `handle_time_floor PROMISE CHANNEL DURATION`"
        }
        "typical_handle_time" => {
            "the handle time assumed when a team states no bound: `typical_handle_time CHANNEL DURATION`"
        }
        "max_occupancy" => "the highest sustainable occupancy; 75-85% is the usual band",
        "max_occupancy_high_load" => "the highest sustainable occupancy for a team with `emotional_load high`",
        "max_concurrency" => "the most concurrent chats compatible with care",
        "max_preventable_share" => "the share of preventable contacts at which fixing the process beats training",
        "max_approval_share" => "the share of contacts needing an approval at which control stops agents from helping",
        _ => return None,
    })
}

//! The calibrated thresholds the built-in rules compare against, with the
//! documented defaults. A file's `norms` block and the project configuration
//! override them; see RULES.md's "Norms and their defaults".

use std::collections::BTreeMap;

use super::units::{Ratio, Seconds};
use super::vocab::{Channel, Promise};
use crate::Span;

/// The thresholds in force for one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Norms {
    /// Shortest handle time a promise needs on a channel.
    pub handle_time_floor: BTreeMap<(Promise, Channel), Seconds>,
    /// Handle time assumed when a team states no bound.
    pub typical_handle_time: BTreeMap<Channel, Seconds>,
    /// Highest sustainable occupancy.
    pub max_occupancy: Ratio,
    /// Highest sustainable occupancy for `emotional_load high`.
    pub max_occupancy_high_load: Ratio,
    /// Most concurrent chats compatible with care.
    pub max_concurrency: u32,
    /// Share of preventable contacts at which process beats training.
    pub max_preventable_share: Ratio,
    /// Share of contacts needing an approval at which control stops help.
    pub max_approval_share: Ratio,
    /// Where each overridden norm was set in the file, by norm name.
    pub overridden_at: BTreeMap<String, Span>,
}

/// The names of the norms, as written in a `norms` block.
pub const NORM_NAMES: &[&str] = &[
    "handle_time_floor",
    "typical_handle_time",
    "max_occupancy",
    "max_occupancy_high_load",
    "max_concurrency",
    "max_preventable_share",
    "max_approval_share",
];

impl Default for Norms {
    fn default() -> Self {
        use Channel::*;
        let mut handle_time_floor = BTreeMap::new();
        let floors: [(Promise, [i64; 6]); 3] = [
            (Promise::Thorough, [6, 10, 8, 5, 8, 10]),
            (Promise::Personalized, [5, 8, 6, 4, 6, 8]),
            (Promise::Empathetic, [5, 8, 6, 4, 6, 8]),
        ];
        let channels = [Phone, Chat, Email, Social, Video, InPerson];
        for (promise, minutes) in floors {
            for (channel, m) in channels.iter().zip(minutes) {
                handle_time_floor.insert((promise, *channel), Seconds::from_mins(m));
            }
        }
        let typical_handle_time =
            channels.iter().zip([6, 11, 6, 4, 8, 10]).map(|(c, m)| (*c, Seconds::from_mins(m))).collect();
        Norms {
            handle_time_floor,
            typical_handle_time,
            max_occupancy: Ratio::percent(85),
            max_occupancy_high_load: Ratio::percent(75),
            max_concurrency: 3,
            max_preventable_share: Ratio::percent(30),
            max_approval_share: Ratio::percent(20),
            overridden_at: BTreeMap::new(),
        }
    }
}

impl Norms {
    /// The handle-time floor of `promise` on `channel`, if it has one.
    pub fn floor(&self, promise: Promise, channel: Channel) -> Option<Seconds> {
        self.handle_time_floor.get(&(promise, channel)).copied()
    }

    /// The typical handle time on `channel`.
    pub fn typical(&self, channel: Channel) -> Seconds {
        self.typical_handle_time.get(&channel).copied().unwrap_or(Seconds::from_mins(6))
    }
}

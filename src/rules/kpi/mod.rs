//! Targets and scorecards.

mod handle_time_below_promise;

pub use handle_time_below_promise::HandleTimeBelowPromise;

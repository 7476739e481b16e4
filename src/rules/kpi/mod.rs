//! Targets and scorecards.

mod contradictory_targets;
mod handle_time_below_promise;
mod occupancy_target_above_ceiling;
mod productivity_below_promise;
mod speed_without_resolution;
mod volume_over_resolution;
mod weights_not_100;

pub use contradictory_targets::ContradictoryTargets;
pub use handle_time_below_promise::HandleTimeBelowPromise;
pub use occupancy_target_above_ceiling::OccupancyTargetAboveCeiling;
pub use productivity_below_promise::ProductivityBelowPromise;
pub use speed_without_resolution::SpeedWithoutResolution;
pub use volume_over_resolution::VolumeOverResolution;
pub use weights_not_100::WeightsNot100;

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

/// Labels each promise whose handle-time floor a target breaks: "`thorough`
/// needs at least 6m on phone" (K001 and K006 show them alike).
fn label_broken_promises(
    mut finding: crate::Diagnostic,
    cx: &super::Context<'_>,
    broken: &[&(&crate::model::Fact<crate::model::vocab::Promise>, crate::model::units::Seconds)],
    channel: crate::model::vocab::Channel,
) -> crate::Diagnostic {
    for (promise, floor) in broken {
        finding = finding.secondary(
            promise.span,
            format!("`{}` needs at least {floor} on {}{}", promise.value, channel.phrase(), cx.from(promise.origin)),
        );
    }
    finding
}

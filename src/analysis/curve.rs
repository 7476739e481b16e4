//! The figures of one queue across a range of staffings: the curves of the
//! planner's report (issue 15). Pure functions over numbers. Each point is
//! what [`QueueModel`] gives at that staffing, computed as
//! [`Queue`](super::Queue) computes the team's own figures, so a curve
//! passes exactly through the figures `analyze` shows for today's agents.
//!
//! The work is bounded whatever the staffing: a curve is evaluated at
//! [`sample`]'s counts (at most `max` spread over the range, plus the
//! counts the caller must see exactly): without `patience` in one walk of
//! the Erlang B recurrence, O(√A) in all; with it, one Erlang A evaluation
//! a count.

use super::conditions::{NotComputed, QueueModel};
use super::erlang::{ErlangB, ErlangC};
use super::exact;
use crate::model::units::Seconds;
use crate::num::Rational;

/// The queue's figures at one staffing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Scheduled agents.
    pub scheduled: u64,
    /// Servers: productive agents (shrinkage taken off, exactly) times the
    /// concurrency.
    pub servers: u64,
    /// The share answered within the threshold asked for (abandoned
    /// contacts count as missed; 0 for an unstable queue without
    /// `patience`); `None` when no threshold was asked for.
    pub service_level: Option<f64>,
    /// The mean wait of answered contacts in seconds, when asked for;
    /// `None` for an unstable queue without `patience`, or without servers.
    pub speed_of_answer: Option<f64>,
    /// The share of offered contacts that abandon (with `patience` only).
    pub abandonment: Option<f64>,
    /// Occupancy as S004 judges it; `None` without servers.
    pub occupancy: Option<f64>,
}

/// The scheduled agent counts a curve over `lo..=hi` is evaluated at: every
/// count when at most `max` fit; otherwise half of `max` spread evenly over
/// the range and half over `focus` (where the curve bends: from the
/// stability point to the plan), when it is narrower than the range. The
/// counts in `exact` (today's staffing, the plans) are always included, so
/// the curve passes through them. Sorted, without duplicates, at most
/// `max + exact.len() + 2` counts.
pub fn sample(lo: u64, hi: u64, focus: Option<(u64, u64)>, exact: &[u64], max: usize) -> Vec<u64> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let max = max.max(2) as u64;
    let mut counts: Vec<u64> = Vec::new();
    if hi - lo < max {
        counts.extend(lo..=hi);
    } else {
        let focus = focus
            .map(|(a, b)| (a.clamp(lo, hi), b.clamp(lo, hi)))
            .map(|(a, b)| (a.min(b), a.max(b)))
            .filter(|(a, b)| (b - a).saturating_mul(2) < hi - lo);
        let spread = |from: u64, to: u64, n: u64, counts: &mut Vec<u64>| {
            let n = n.max(2);
            let width = u128::from(to - from);
            for i in 0..n {
                let offset = width * u128::from(i) / u128::from(n - 1);
                counts.push(from + u64::try_from(offset).unwrap_or(0));
            }
        };
        match focus {
            Some((a, b)) => {
                spread(lo, hi, max / 2, &mut counts);
                spread(a, b, max - max / 2, &mut counts);
            }
            None => spread(lo, hi, max, &mut counts),
        }
    }
    counts.extend(exact.iter().copied().filter(|n| (lo..=hi).contains(n)));
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// The figures of `model` at `scheduled` agents: the service level within
/// `within` when given, the speed of answer when `speed` is set (it costs a
/// second evaluation with `patience`), and always occupancy and, with
/// `patience`, abandonment. `Ok(None)` when the servers cannot be counted.
pub fn point(
    model: &QueueModel,
    scheduled: u64,
    within: Option<Seconds>,
    speed: bool,
) -> Result<Option<Point>, NotComputed> {
    model.computable()?;
    let Some(servers) = model.servers_for_scheduled(scheduled) else { return Ok(None) };
    let mut point =
        Point { scheduled, servers, service_level: None, speed_of_answer: None, abandonment: None, occupancy: None };
    match model.patience_s {
        Some(_) => {
            // One pass for the service level, abandonment and occupancy, as
            // `Queue` computes them.
            let threshold = within.unwrap_or(Seconds(Rational::ZERO));
            if let Some((a, occupancy)) = model.erlang_a_figures(servers, threshold)? {
                point.service_level = within.map(|_| a.service_level);
                point.abandonment = Some(a.abandonment);
                point.occupancy = occupancy;
            }
            if speed {
                point.speed_of_answer = model.speed_of_answer(servers)?;
            }
        }
        None => {
            point.occupancy = model.occupancy(servers)?;
            match ErlangC::new(servers, model.load) {
                Some(c) => {
                    point.service_level = within.map(|t| c.service_level(t.secs().to_f64(), model.handle_s));
                    point.speed_of_answer = speed.then(|| c.speed_of_answer(model.handle_s));
                }
                // Unstable: nobody is answered in time.
                None => point.service_level = within.map(|_| 0.0),
            }
        }
    }
    Ok(Some(point))
}

/// [`point`] at each of `counts` (ascending), skipping counts whose
/// servers cannot be counted. Without `patience` the Erlang B recurrence
/// is walked once up the counts ([`ErlangB::advance_to`]), bit for bit the
/// figures [`point`] gives one by one, so a curve costs O(√A) plus the
/// servers walked before B underflows (at most about 50√A + 1000), not
/// O(√A) a point. With `patience` each point costs one Erlang A
/// evaluation.
pub fn curve(
    model: &QueueModel,
    counts: &[u64],
    within: Option<Seconds>,
    speed: bool,
) -> Result<Vec<Point>, NotComputed> {
    model.computable()?;
    let mut points = Vec::with_capacity(counts.len());
    if model.patience_s.is_some() {
        for &n in counts {
            if let Some(p) = point(model, n, within, speed)? {
                points.push(p);
            }
        }
        return Ok(points);
    }
    let load = model.load_f64();
    let mut walk: Option<ErlangB> = None;
    for &scheduled in counts {
        let Some(servers) = model.servers_for_scheduled(scheduled) else { continue };
        let c = if exact::is_stable(servers, model.load) {
            let b = match walk {
                Some(mut b) if b.servers() <= servers => {
                    b.advance_to(servers);
                    b
                }
                _ => ErlangB::at(servers, load),
            };
            walk = Some(b);
            Some(ErlangC::from_b(b, exact::headroom(servers, model.load)))
        } else {
            None
        };
        points.push(Point {
            scheduled,
            servers,
            service_level: within.map(|t| c.map_or(0.0, |c| c.service_level(t.secs().to_f64(), model.handle_s))),
            speed_of_answer: if speed { c.map(|c| c.speed_of_answer(model.handle_s)) } else { None },
            abandonment: None,
            occupancy: model.occupancy(servers)?,
        });
    }
    Ok(points)
}

/// The fewest scheduled agents whose servers exceed the load of `model`
/// (the knee of its curves: below it, without `patience`, the queue grows
/// without bound); `None` when they cannot be counted or shrinkage is 100%.
pub fn stability_point(model: &QueueModel) -> Option<u64> {
    let servers = u64::try_from(model.load.floor().max(0) + 1).ok()?;
    super::plan::staffing_for(model, servers).ok().map(|s| s.scheduled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::units::Ratio;

    fn model(load: i64, patience: Option<f64>) -> QueueModel {
        QueueModel {
            load: Rational::from_int(load),
            handle_s: 180.0,
            patience_s: patience,
            targets: Vec::new(),
            occupancy_ceiling: Ratio(Rational::new(85, 100).unwrap_or(Rational::ONE)),
            concurrency: 1,
            shrinkage: Rational::new(3, 10).unwrap_or(Rational::ZERO),
        }
    }

    #[test]
    fn small_ranges_are_sampled_at_every_count() {
        assert_eq!(sample(10, 14, None, &[12], 64), vec![10, 11, 12, 13, 14]);
        assert_eq!(sample(14, 10, None, &[], 64), vec![10, 11, 12, 13, 14]);
    }

    #[test]
    fn large_ranges_are_bounded_and_keep_the_exact_counts() {
        let counts = sample(0, 100_000, Some((10, 30)), &[17, 100_000, 99_999, 200_000], 64);
        assert!(counts.len() <= 64 + 4, "{}", counts.len());
        assert!(counts.contains(&17) && counts.contains(&99_999) && counts.contains(&100_000));
        assert!(!counts.contains(&200_000));
        assert_eq!(counts.first(), Some(&0));
        // Half the budget lands where the curve bends.
        assert!(counts.iter().filter(|&&n| (10..=30).contains(&n)).count() >= 21);
        assert!(counts.windows(2).all(|w| w[0] < w[1]));
        let hostile = sample(0, u64::MAX, None, &[u64::MAX], 64);
        assert!(hostile.len() <= 65 && hostile.last() == Some(&u64::MAX));
    }

    #[test]
    fn points_are_the_team_figures() {
        // The classic example: 10 Erlangs, 14 productive agents (20 scheduled
        // at 30% shrinkage), 80% in 20s.
        let m = model(10, None);
        let p = point(&m, 20, Some(Seconds(Rational::from_int(20))), true).unwrap().unwrap();
        assert_eq!(p.servers, 14);
        assert!((p.service_level.unwrap() - 0.888_350).abs() < 1e-6);
        assert!((p.speed_of_answer.unwrap() - 7.836).abs() < 1e-3);
        assert!((p.occupancy.unwrap() - 10.0 / 14.0).abs() < 1e-12);
        assert_eq!(p.abandonment, None);
        // Unstable: 14 scheduled are 9 productive.
        let p = point(&m, 14, Some(Seconds(Rational::from_int(20))), true).unwrap().unwrap();
        assert_eq!((p.service_level, p.speed_of_answer, p.occupancy), (Some(0.0), None, Some(1.0)));
        assert_eq!(stability_point(&m), Some(16));
    }

    #[test]
    fn with_patience_the_figures_come_from_erlang_a() {
        let m = model(10, Some(120.0));
        let within = Some(Seconds(Rational::from_int(20)));
        let p = point(&m, 20, within, true).unwrap().unwrap();
        let (a, occupancy) = m.erlang_a_figures(14, Seconds(Rational::from_int(20))).unwrap().unwrap();
        assert_eq!(p.service_level, Some(a.service_level));
        assert_eq!(p.abandonment, Some(a.abandonment));
        assert_eq!(p.occupancy, occupancy);
        assert_eq!(p.speed_of_answer, m.speed_of_answer(14).unwrap());
        let points = curve(&m, &[10, 20, 30], within, false).unwrap();
        assert_eq!(points.len(), 3);
        assert!(points.windows(2).all(|w| w[0].service_level < w[1].service_level));
        assert!(points.windows(2).all(|w| w[0].abandonment > w[1].abandonment));
    }

    #[test]
    fn one_walk_gives_the_figures_of_each_point_bit_for_bit() {
        let within = Some(Seconds(Rational::from_int(20)));
        for load in [10, 700, 40_000] {
            let m = model(load, None);
            let lo = ((load as u64) * 10 / 7).saturating_sub(20);
            let counts = sample(lo, lo * 3, Some((lo, lo + 200)), &[lo + 7], 64);
            let walked = curve(&m, &counts, within, true).unwrap();
            let one_by_one: Vec<Point> = counts.iter().map(|&n| point(&m, n, within, true).unwrap().unwrap()).collect();
            assert_eq!(walked, one_by_one, "load {load}");
            assert!(walked.iter().any(|p| p.speed_of_answer.is_none()), "some unstable points");
        }
    }
}

//! The staffing figures that must be exact: offered load, productive agents
//! after shrinkage, the scheduled agents needed for a productive count, and
//! whether a queue is stable. All in rationals; nothing here rounds.

use crate::num::Rational;

/// Offered load in Erlangs: arrivals per hour times handle time in seconds,
/// over 3600. `None` if it cannot be represented.
pub fn offered_load(arrivals_per_hour: Rational, handle_time_s: Rational) -> Option<Rational> {
    arrivals_per_hour.checked_mul(handle_time_s)?.checked_div(Rational::from_int(3600))
}

/// Agents available for contacts: `floor(scheduled × (1 - shrinkage))`.
pub fn productive_agents(scheduled: u64, shrinkage: Rational) -> Option<u64> {
    let available = Rational::ONE.checked_sub(shrinkage)?;
    let productive = Rational::new(i128::from(scheduled), 1)?.checked_mul(available)?.floor();
    u64::try_from(productive.max(0)).ok()
}

/// The fewest scheduled agents that leave `productive` after shrinkage:
/// `ceil(productive / (1 - shrinkage))`. `None` at 100% shrinkage.
pub fn scheduled_for(productive: u64, shrinkage: Rational) -> Option<u64> {
    let available = Rational::ONE.checked_sub(shrinkage)?;
    if available <= Rational::ZERO {
        return if productive == 0 { Some(0) } else { None };
    }
    let scheduled = Rational::new(i128::from(productive), 1)?.checked_div(available)?.ceil();
    u64::try_from(scheduled).ok()
}

/// Whether `servers` can carry `load` Erlangs without the queue growing
/// without bound: `servers > load`, exactly.
pub fn is_stable(servers: u64, load: Rational) -> bool {
    Rational::new(i128::from(servers), 1).is_some_and(|n| n > load)
}

/// `servers - load` as an `f64`, computed exactly before rounding once.
pub fn headroom(servers: u64, load: Rational) -> f64 {
    Rational::new(i128::from(servers), 1).and_then(|n| n.checked_sub(load)).map_or(f64::NAN, Rational::to_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(p: i128) -> Rational {
        Rational::new(p, 100).unwrap()
    }

    #[test]
    fn shrinkage_is_exact() {
        // In floating point ceil(21 / 0.7) is 31.
        assert_eq!(scheduled_for(21, pct(30)), Some(30));
        assert_eq!(productive_agents(30, pct(30)), Some(21));
        assert_eq!(productive_agents(42, pct(30)), Some(29));
        assert_eq!(scheduled_for(14, pct(30)), Some(20));
        assert_eq!(scheduled_for(5, pct(100)), None);
        assert_eq!(productive_agents(5, pct(100)), Some(0));
    }

    #[test]
    fn stability_is_exact() {
        // 130 calls an hour at 360 s is 13 Erlangs exactly: 13 agents are not enough.
        let load = offered_load(Rational::from_int(130), Rational::from_int(360)).unwrap();
        assert!(!is_stable(13, load));
        assert!(is_stable(14, load));
        assert_eq!(headroom(14, load), 1.0);
    }
}

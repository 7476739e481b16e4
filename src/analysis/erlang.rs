//! Erlang B and Erlang C: the M/M/N queue without abandonment.
//!
//! Erlang B comes from its recurrence `B(k) = A B(k-1) / (k + A B(k-1))`,
//! never from factorials or power sums (they overflow past about 700
//! Erlangs). The recurrence contracts errors by a factor `k/A` per step, so
//! it may start about 12√A steps below the load from the first-order value
//! `1 - k/A` and still be exact to better than 1e-30: the cost is O(√A)
//! rather than O(A). It stops early once B underflows far above the load.

use super::exact;
use crate::num::Rational;

/// Steps below `min(servers, load)` the recurrence starts from, beyond which
/// the starting error has decayed below 1e-30.
fn warmup(load: f64) -> u64 {
    (12.0 * load.sqrt()).ceil() as u64 + 20
}

/// A running Erlang B recurrence: `b` is B(`k`, `load`).
#[derive(Debug, Clone, Copy)]
pub struct ErlangB {
    k: u64,
    b: f64,
    load: f64,
}

impl ErlangB {
    /// Erlang B for `servers` servers and `load` Erlangs.
    pub fn at(servers: u64, load: f64) -> ErlangB {
        if load <= 0.0 {
            return ErlangB { k: servers, b: if servers == 0 { 1.0 } else { 0.0 }, load };
        }
        let below = (load.floor() as u64).min(servers);
        let k = below.saturating_sub(warmup(load));
        // B(0) = 1 exactly; further up, the first-order value, whose error
        // the warm-up steps wash out.
        let b = if k == 0 { 1.0 } else { 1.0 - k as f64 / load };
        let mut erlang = ErlangB { k, b, load };
        while erlang.k < servers && erlang.b > 0.0 {
            erlang.step();
        }
        erlang.k = servers;
        erlang
    }

    /// Advances to one more server.
    pub fn step(&mut self) {
        self.k += 1;
        let ab = self.load * self.b;
        self.b = ab / (self.k as f64 + ab);
    }

    /// The blocking probability B.
    pub fn value(&self) -> f64 {
        self.b
    }

    /// The number of servers.
    pub fn servers(&self) -> u64 {
        self.k
    }
}

/// The figures of a stable M/M/N queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    /// Probability that a contact waits at all, C.
    pub waiting: f64,
    /// `servers - load`, exact before rounding.
    pub headroom: f64,
}

impl ErlangC {
    /// Erlang C from Erlang B: `C = N B / ((N - A) + A B)`, which avoids
    /// the cancellation in `1 - (A/N)(1 - B)` near the load.
    pub fn from_b(b: ErlangB, headroom: f64) -> ErlangC {
        let (n, a, b) = (b.servers() as f64, b.load, b.value());
        let waiting = if b == 0.0 { 0.0 } else { (n * b / (headroom + a * b)).clamp(0.0, 1.0) };
        ErlangC { waiting, headroom }
    }

    /// Erlang C for `servers` and an exact `load`; `None` if unstable.
    pub fn new(servers: u64, load: Rational) -> Option<ErlangC> {
        if !exact::is_stable(servers, load) {
            return None;
        }
        Some(ErlangC::from_b(ErlangB::at(servers, load.to_f64()), exact::headroom(servers, load)))
    }

    /// Share answered within `threshold_s`: `1 - C exp(-(N - A) T / H)`.
    pub fn service_level(&self, threshold_s: f64, handle_s: f64) -> f64 {
        (1.0 - self.waiting * (-self.headroom * threshold_s / handle_s).exp()).clamp(0.0, 1.0)
    }

    /// Average speed of answer in seconds: `C H / (N - A)`.
    pub fn speed_of_answer(&self, handle_s: f64) -> f64 {
        self.waiting * handle_s / self.headroom
    }
}

/// The most servers a staffing search goes to: `floor(A) + 50⌈√A⌉ + 1000`.
/// Beyond it Erlang B is below 1e-300 (the Poisson tail 50 standard
/// deviations above the load, or `A^N / N!` for small loads), so in any
/// model nobody waits and every reachable target is met: a search that
/// passes it has a target no staffing meets.
pub fn search_bound(load: f64) -> u64 {
    // NaN and negative loads have no queue; the clamp keeps the sum in range.
    let load = if load.is_nan() { 0.0 } else { load.clamp(0.0, 1e15) };
    load.floor() as u64 + 50 * load.sqrt().ceil() as u64 + 1000
}

/// Whether an achieved service level meets a target, with the tolerance
/// the rules use (1e-9).
pub fn meets(achieved: f64, target: f64) -> bool {
    achieved >= target - 1e-9
}

/// The fewest servers that meet `target` (a share below 1) answered within
/// `threshold_s` at `load` Erlangs and `handle_s` seconds: the smallest
/// N > A, searched upward from `floor(A) + 1` with one recurrence step per
/// candidate. `None` for a target of 100% or more, which no finite staffing
/// meets, and past [`search_bound`].
pub fn required_servers(load: Rational, handle_s: f64, threshold_s: f64, target: f64) -> Option<u64> {
    if target >= 1.0 {
        return None;
    }
    let mut found = None;
    step_servers(load, |n, c| {
        if meets(c.service_level(threshold_s, handle_s), target) {
            found = Some(n);
        }
        found.is_none()
    });
    found
}

/// Walks the stable queues of `load` upward from `floor(A) + 1` servers,
/// one Erlang B recurrence step each, calling `visit(servers, erlang_c)`
/// until it returns `false` or [`search_bound`] is passed. The figures are
/// bit for bit those of [`ErlangC::new`] at the same servers: both run the
/// same recurrence from the same start.
pub fn step_servers(load: Rational, mut visit: impl FnMut(u64, ErlangC) -> bool) {
    let Ok(first) = u64::try_from(load.floor().max(0) + 1) else { return };
    let bound = search_bound(load.to_f64());
    let mut b = ErlangB::at(first, load.to_f64());
    while b.servers() <= bound {
        let n = b.servers();
        if !visit(n, ErlangC::from_b(b, exact::headroom(n, load))) {
            return;
        }
        b.step();
    }
}

/// At most `servers / load` of offered contacts can ever be answered, under
/// any queueing model: a service-level target above this is impossible.
pub fn model_free_bound(servers: u64, load: f64) -> f64 {
    if load <= 0.0 { 1.0 } else { (servers as f64 / load).min(1.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_recurrence(servers: u64, load: f64) -> f64 {
        let mut b = 1.0;
        for k in 1..=servers {
            b = load * b / (k as f64 + load * b);
        }
        b
    }

    #[test]
    fn the_published_example() {
        // 200 contacts an hour, 180 s, 14 agents, 20 s: A = 10.
        let load = exact::offered_load(Rational::from_int(200), Rational::from_int(180)).unwrap();
        assert_eq!(load, Rational::from_int(10));
        let c = ErlangC::new(14, load).unwrap();
        assert!((c.waiting - 0.174_131_9).abs() < 1e-6, "{}", c.waiting);
        assert!((c.service_level(20.0, 180.0) - 0.888_350).abs() < 1e-6);
        assert!((c.speed_of_answer(180.0) - 7.836).abs() < 1e-3);
        assert_eq!(required_servers(load, 180.0, 20.0, 0.8), Some(14));
        assert_eq!(exact::scheduled_for(14, Rational::new(3, 10).unwrap()), Some(20));
    }

    #[test]
    fn other_published_checks() {
        let c = ErlangC::new(10, Rational::from_int(8)).unwrap();
        assert!((c.waiting - 0.409_180_15).abs() < 1e-8);
        assert!((ErlangB::at(10, 4.46).value() - 0.00999).abs() < 1e-5);
    }

    #[test]
    fn warm_start_matches_the_full_recurrence() {
        for load in [0.5, 7.3, 99.0, 150.0, 1_666.7, 33_333.3, 100_000.0] {
            let a: f64 = load;
            for servers in [a.floor() as u64 / 2, a.floor() as u64, a.ceil() as u64 + 1, (a * 1.1) as u64 + 3] {
                let (fast, slow) = (ErlangB::at(servers, a).value(), full_recurrence(servers, a));
                assert!((fast - slow).abs() <= 1e-12 * slow.max(1e-300), "A = {a}, N = {servers}: {fast} vs {slow}");
            }
        }
    }

    #[test]
    fn unstable_queues_have_no_erlang_c() {
        assert!(ErlangC::new(10, Rational::from_int(10)).is_none());
        assert!(ErlangC::new(0, Rational::from_int(1)).is_none());
        assert_eq!(required_servers(Rational::from_int(10), 180.0, 20.0, 1.0), None);
    }
}

//! Erlang A: the M/M/N+M queue, in which a waiting customer abandons after an
//! exponential patience with mean `patience`. It is stable for any number of
//! servers, since the queue sheds load by abandonment.
//!
//! With θ = 1/patience, x = N·patience/H and y = A·patience/H, the stationary
//! chain gives closed forms in the regularized incomplete gamma P(a, z)
//! (Mandelbaum and Zeltyn's "Erlang-A" formulas):
//!
//! - waiting: `P(W > 0) = 𝒜 B / (1 + (𝒜 - 1) B)`, with `B` Erlang B for N
//!   servers and `𝒜 = Γ(x+1) e^y y^-x P(x, y)`;
//! - answered after waiting, given a wait: `r = (x/y) P(x+1, y) / P(x, y)`;
//! - abandoned: `P(W > 0) (1 - r)`;
//! - answered within T (abandoned contacts count as missed):
//!   `1 - P(W > 0) (1 - r + (x/y) P(x+1, y e^(-θT)) / P(x, y))`.
//!
//! The last one follows from the order-statistics form of the time to
//! service of a contact that finds j others waiting; the test suite checks
//! all of them against an independent birth-death computation. Everything is
//! evaluated in log space, so loads of 100,000 Erlangs stay finite.

use super::erlang::ErlangB;
use super::gamma::{ln_p, ln_prefactor};

/// The figures of an Erlang A queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    /// Share of contacts that wait at all.
    pub waiting: f64,
    /// Share of offered contacts that abandon.
    pub abandonment: f64,
    /// Share of offered contacts answered within the threshold.
    pub service_level: f64,
    /// Mean wait of answered contacts, in seconds; `None` if none is answered.
    pub speed_of_answer: Option<f64>,
}

struct Shape {
    x: f64,
    y: f64,
    /// ln P(x, y).
    ln_p_x: f64,
    waiting: f64,
    /// Answered after waiting, given a wait.
    answered_after_wait: f64,
}

fn shape(servers: u64, load: f64, handle_s: f64, patience_s: f64) -> Shape {
    let ratio = patience_s / handle_s;
    let (x, y) = (servers as f64 * ratio, load * ratio);
    let b = ErlangB::at(servers, load).value();
    if b <= 0.0 {
        // Far more servers than load: no one waits (below 1e-300).
        return Shape { x, y, ln_p_x: 0.0, waiting: 0.0, answered_after_wait: 1.0 };
    }
    let ln_p_x = ln_p(x, y);
    // ln 𝒜 = ln[Γ(x+1) e^y y^-x] + ln P(x, y) = ln P(x, y) - ln_prefactor(x, y).
    let ln_script_a = ln_p_x - ln_prefactor(x, y);
    // P(W > 0) = 1 / (1 + (1 - B) / (𝒜 B)).
    let waiting = 1.0 / (1.0 + ((1.0 - b).ln() - ln_script_a - b.ln()).exp());
    let answered_after_wait = ((x / y).ln() + ln_p(x + 1.0, y) - ln_p_x).exp().clamp(0.0, 1.0);
    Shape { x, y, ln_p_x, waiting, answered_after_wait }
}

/// The service level alone (the staffing search needs nothing else).
pub fn service_level(servers: u64, load: f64, handle_s: f64, patience_s: f64, threshold_s: f64) -> f64 {
    if load <= 0.0 {
        return 1.0;
    }
    if servers == 0 {
        return 0.0;
    }
    service_level_of(&shape(servers, load, handle_s, patience_s), patience_s, threshold_s)
}

/// Answered within T, abandoned contacts counted as missed.
fn service_level_of(s: &Shape, patience_s: f64, threshold_s: f64) -> f64 {
    if s.waiting == 0.0 {
        return 1.0;
    }
    let late = ((s.x / s.y).ln() + ln_p(s.x + 1.0, s.y * (-threshold_s / patience_s).exp()) - s.ln_p_x).exp();
    (1.0 - s.waiting * (1.0 - s.answered_after_wait + late)).clamp(0.0, 1.0)
}

/// The share of contacts that wait at all, alone.
pub fn waiting(servers: u64, load: f64, handle_s: f64, patience_s: f64) -> f64 {
    if load <= 0.0 {
        return 0.0;
    }
    if servers == 0 {
        return 1.0;
    }
    shape(servers, load, handle_s, patience_s).waiting
}

/// The share of offered contacts that abandon, alone.
pub fn abandonment(servers: u64, load: f64, handle_s: f64, patience_s: f64) -> f64 {
    if load <= 0.0 {
        return 0.0;
    }
    if servers == 0 {
        return 1.0;
    }
    abandonment_of(&shape(servers, load, handle_s, patience_s))
}

/// Abandoned: those who wait and are not answered after waiting.
fn abandonment_of(s: &Shape) -> f64 {
    (s.waiting * (1.0 - s.answered_after_wait)).clamp(0.0, 1.0)
}

/// The mean wait of answered contacts alone, in seconds (contacts answered
/// at once count with no wait); `None` when none is answered (no servers).
pub fn speed_of_answer(servers: u64, load: f64, handle_s: f64, patience_s: f64) -> Option<f64> {
    if load <= 0.0 {
        return Some(0.0);
    }
    if servers == 0 {
        return None;
    }
    speed_of_answer_of(&shape(servers, load, handle_s, patience_s), patience_s)
}

/// E[W; answered] = P(W>0) (x/y) / (θ P(x,y)) ∫_0^y P(x+1, z)/z dz
///               = P(W>0) r patience ∫_0^y P(x+1, z)/(z P(x+1, y)) dz,
/// with r = (x/y) P(x+1, y) / P(x, y) as above, over the share answered.
fn speed_of_answer_of(s: &Shape, patience_s: f64) -> Option<f64> {
    let answered = 1.0 - abandonment_of(s);
    (answered > 0.0).then(|| {
        if s.waiting == 0.0 {
            return 0.0;
        }
        let integral = relative_log_integral(s.x + 1.0, s.y);
        (s.waiting * s.answered_after_wait * patience_s * integral / answered).max(0.0)
    })
}

/// Waiting, abandonment and service level, without the speed of answer
/// (which needs a numerical integral): what a check needs.
pub fn figures_without_speed(servers: u64, load: f64, handle_s: f64, patience_s: f64, threshold_s: f64) -> ErlangA {
    if load <= 0.0 {
        return ErlangA { waiting: 0.0, abandonment: 0.0, service_level: 1.0, speed_of_answer: Some(0.0) };
    }
    if servers == 0 {
        return ErlangA { waiting: 1.0, abandonment: 1.0, service_level: 0.0, speed_of_answer: None };
    }
    let s = shape(servers, load, handle_s, patience_s);
    ErlangA {
        waiting: s.waiting,
        abandonment: abandonment_of(&s),
        service_level: service_level_of(&s, patience_s, threshold_s),
        speed_of_answer: None,
    }
}

impl ErlangA {
    /// The figures for `servers` servers, `load` Erlangs, handle time
    /// `handle_s`, mean patience `patience_s` and answer threshold
    /// `threshold_s`, all in seconds.
    pub fn new(servers: u64, load: f64, handle_s: f64, patience_s: f64, threshold_s: f64) -> ErlangA {
        if load <= 0.0 || servers == 0 {
            return figures_without_speed(servers, load, handle_s, patience_s, threshold_s);
        }
        let s = shape(servers, load, handle_s, patience_s);
        ErlangA {
            waiting: s.waiting,
            abandonment: abandonment_of(&s),
            service_level: service_level_of(&s, patience_s, threshold_s),
            speed_of_answer: speed_of_answer_of(&s, patience_s),
        }
    }
}

/// ∫_0^y P(a, z) / (z P(a, y)) dz, the answered wait in units of patience
/// (up to the factors in [`ErlangA::new`]).
///
/// Below the centre (y ≤ a) it is a series of positive terms, as cheap as
/// P itself: `∫_0^y P(a, z)/z dz = Σ_k P(a+k, y)/(a+k)` (integrate P's
/// series term by term), and `P(a+k, y)` is the tail from k of P's series
/// `Σ_j t_j`, so the integral is `Σ_j t_j H_j` with
/// `H_j = Σ_{k≤j} 1/(a+k)`; divided by `P = Σ_j t_j` only the ratios
/// `t_j / t_0 = y^j / ((a+1)...(a+j))` are needed.
///
/// Above it (y > a, more load than servers), P(a, z) is near 1 from z = a
/// to y: the integral is its value at a, plus `ln(y/a)`, less the integral
/// of Q = 1 - P over `[ln a, ln y]`, which is negligible beyond a few
/// widths `1/√a` above ln a, so the quadrature sees a short interval only.
fn relative_log_integral(a: f64, y: f64) -> f64 {
    if y <= a {
        return relative_integral_below(a, y);
    }
    let (top, centre) = (y.ln(), a.ln());
    let p_top = ln_p(a, y).exp();
    let at_centre = super::gamma::p(a, a) * relative_integral_below(a, a);
    let width = 1.0 / a.sqrt();
    let mut high = centre + width;
    for _ in 0..400 {
        if high >= top || super::gamma::q(a, high.exp()) < 1e-17 {
            break;
        }
        high += width * 2.0;
    }
    let tail = integrate(&|w: f64| super::gamma::q(a, w.exp()), centre, high.min(top));
    (at_centre + (top - centre) - tail) / p_top
}

/// `Σ_j r_j H_j / Σ_j r_j` with `r_j = y^j / ((a+1)...(a+j))` and
/// `H_j = Σ_{k≤j} 1/(a+k)`, for y ≤ a: the terms fall at once, like those
/// of P's series, so O(√a) of them reach 1e-17 of the sum.
fn relative_integral_below(a: f64, y: f64) -> f64 {
    let (mut r, mut h) = (1.0, 1.0 / a);
    let (mut weighted, mut total) = (h, 1.0);
    let mut j = 1.0;
    while j < 1e10 {
        r *= y / (a + j);
        h += 1.0 / (a + j);
        weighted += r * h;
        total += r;
        if r * h <= weighted * 1e-17 {
            break;
        }
        j += 1.0;
    }
    weighted / total
}

/// Gauss-Kronrod (7, 15), globally adaptive, to 1e-12 relative.
fn integrate(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    fn gk15(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
        const XK: [f64; 8] = [
            0.991_455_371_120_813,
            0.949_107_912_342_759,
            0.864_864_423_359_769,
            0.741_531_185_599_394,
            0.586_087_235_467_691,
            0.405_845_151_377_397,
            0.207_784_955_007_898,
            0.0,
        ];
        const WK: [f64; 8] = [
            0.022_935_322_010_529,
            0.063_092_092_629_979,
            0.104_790_010_322_250,
            0.140_653_259_715_525,
            0.169_004_726_639_267,
            0.190_350_578_064_785,
            0.204_432_940_075_298,
            0.209_482_141_084_728,
        ];
        const WG: [f64; 4] =
            [0.129_484_966_168_870, 0.279_705_391_489_277, 0.381_830_050_505_119, 0.417_959_183_673_469];
        let (c, h) = ((a + b) / 2.0, (b - a) / 2.0);
        let (mut kronrod, mut gauss) = (0.0, 0.0);
        for (i, (&x, &w)) in XK.iter().zip(WK.iter()).enumerate() {
            let pair = if x == 0.0 { f(c) } else { f(c - h * x) + f(c + h * x) };
            kronrod += w * pair;
            if i % 2 == 1 {
                gauss += WG.get(i / 2).copied().unwrap_or(0.0) * pair;
            }
        }
        (kronrod * h, (kronrod - gauss).abs() * h)
    }
    if b <= a {
        return 0.0;
    }
    // Globally adaptive: split the interval with the largest error estimate
    // until the total error is below 1e-12 of the value, or a fixed budget
    // of intervals is spent. The cost is bounded whatever the integrand.
    const MAX_INTERVALS: usize = 400;
    let first = gk15(f, a, b);
    let mut intervals = vec![(a, b, first.0, first.1)];
    while intervals.len() < MAX_INTERVALS {
        let value: f64 = intervals.iter().map(|i| i.2).sum();
        let error: f64 = intervals.iter().map(|i| i.3).sum();
        if error <= 1e-12 * value.abs() + 1e-300 {
            break;
        }
        let worst = intervals.iter().enumerate().max_by(|x, y| x.1.3.total_cmp(&y.1.3)).map_or(0, |(i, _)| i);
        let (lo, hi, _, _) = intervals.swap_remove(worst);
        let mid = (lo + hi) / 2.0;
        let (left, right) = (gk15(f, lo, mid), gk15(f, mid, hi));
        intervals.push((lo, mid, left.0, left.1));
        intervals.push((mid, hi, right.0, right.1));
    }
    intervals.iter().map(|i| i.2).sum()
}

/// The fewest servers whose Erlang A service level meets `target`; `None`
/// for a target of 100% or more.
pub fn required_servers(load: f64, handle_s: f64, patience_s: f64, threshold_s: f64, target: f64) -> Option<u64> {
    if target >= 1.0 {
        return None;
    }
    let met = |n: u64| super::erlang::meets(service_level(n, load, handle_s, patience_s, threshold_s), target);
    if met(0) {
        return Some(0);
    }
    // The service level rises with servers: bracket, then bisect.
    let mut high = (load.ceil() as u64).max(1);
    while !met(high) {
        high = high.checked_mul(2)?;
        if high > 1 << 40 {
            return None;
        }
    }
    let mut low = 0;
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if met(mid) { high = mid } else { low = mid }
    }
    Some(high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_patience_approaches_erlang_c() {
        // With patience far above any wait, nobody abandons: Erlang C.
        let c = super::super::erlang::ErlangC::new(14, crate::num::Rational::from_int(10)).unwrap();
        let a = ErlangA::new(14, 10.0, 180.0, 1e9, 20.0);
        assert!((a.waiting - c.waiting).abs() < 1e-6, "{} vs {}", a.waiting, c.waiting);
        assert!((a.service_level - c.service_level(20.0, 180.0)).abs() < 1e-6);
        assert!((a.speed_of_answer.unwrap() - c.speed_of_answer(180.0)).abs() < 1e-3);
        assert!(a.abandonment < 1e-6);
    }

    #[test]
    fn figures_stay_in_range_when_overloaded() {
        for (n, load) in [(0u64, 5.0), (1, 100.0), (50, 100_000.0), (90_000, 100_000.0), (100_500, 100_000.0)] {
            let a = ErlangA::new(n, load, 300.0, 120.0, 20.0);
            for v in [a.waiting, a.abandonment, a.service_level] {
                assert!((0.0..=1.0).contains(&v), "N = {n}, A = {load}: {a:?}");
            }
        }
    }
}

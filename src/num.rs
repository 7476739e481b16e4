//! Exact rational numbers for every figure a decision depends on.
//!
//! Policy numbers are decimal literals, so every value the language can state
//! is a rational. Keeping them exact means "is the queue stable" and
//! "how many scheduled agents give N productive ones" are never decided by a
//! floating-point rounding (`ceil(21 / 0.7)` is 30, not 31). Every operation
//! is checked: an overflow is `None`, never a wrap or a panic.

use std::cmp::Ordering;
use std::fmt;

/// An exact fraction `num / den` in lowest terms with `den > 0`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        // Policy figures are small: once both fit in 64 bits, the remainder
        // is one instruction rather than a 128-bit library call.
        if let (Ok(a64), Ok(b64)) = (u64::try_from(a), u64::try_from(b)) {
            return i128::from(euclid(a64, b64));
        }
        (a, b) = (b, a % b);
    }
    // Only the gcd of `i128::MIN` and 0 (or itself) is out of range; 1
    // leaves that value as it is.
    i128::try_from(a).unwrap_or(1)
}

/// Euclid's gcd in 64 bits.
fn euclid(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The gcd of `|a|` and `b > 0` (so never zero), as a divisor of both.
fn gcd64(a: i64, b: i64) -> i64 {
    // At most `b`, which fits; 1 for the impossible zero.
    i64::try_from(euclid(a.unsigned_abs(), b.unsigned_abs())).unwrap_or(1).max(1)
}

/// `a / b` for a divisor of `a` (a gcd), in 64 bits when both fit.
fn div_exact(a: i128, b: i128) -> i128 {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) if b != 0 && !(a == i64::MIN && b == -1) => i128::from(a / b),
        _ => a / b,
    }
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// One.
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// `num / den` reduced to lowest terms; `None` when `den` is zero or the
    /// result cannot be represented.
    pub fn new(num: i128, den: i128) -> Option<Rational> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den);
        let (mut num, mut den) = (div_exact(num, g), div_exact(den, g));
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Rational { num, den })
    }

    /// The integer `n`.
    pub const fn from_int(n: i64) -> Rational {
        Rational { num: n as i128, den: 1 }
    }

    /// Parses a decimal literal such as `42`, `4.5` or `-10` exactly.
    /// `None` when it is malformed or has more than `max_int_digits` integer
    /// or `max_frac_digits` fractional digits.
    pub fn parse_decimal(text: &str, max_int_digits: usize, max_frac_digits: usize) -> Option<Rational> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let int = int.trim_start_matches('0');
        if int.len() > max_int_digits || frac.len() > max_frac_digits {
            return None;
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut num: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            num = num.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        let den = 10i128.checked_pow(u32::try_from(frac.len()).ok()?)?;
        Rational::new(if negative { -num } else { num }, den)
    }

    /// The numerator (carries the sign).
    pub fn numer(self) -> i128 {
        self.num
    }

    /// The denominator (always positive).
    pub fn denom(self) -> i128 {
        self.den
    }

    /// Whether the value is an integer.
    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// Whether the value is below zero.
    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    /// Whether the value is zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// The four terms in 64 bits, when they all fit (every value read from
    /// a policy does).
    fn narrow(self, other: Rational) -> Option<(i64, i64, i64, i64)> {
        Some((
            i64::try_from(self.num).ok()?,
            i64::try_from(self.den).ok()?,
            i64::try_from(other.num).ok()?,
            i64::try_from(other.den).ok()?,
        ))
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Rational) -> Option<Rational> {
        // In 64 bits while nothing overflows there: the same integers as
        // below, so the same result, without 128-bit multiplications.
        if let Some((a, b, c, d)) = self.narrow(other) {
            let g = gcd64(b, d);
            let sum = || -> Option<(i64, i64)> {
                let num = a.checked_mul(d / g)?.checked_add(c.checked_mul(b / g)?)?;
                Some((num, (b / g).checked_mul(d)?))
            };
            if let Some((num, den)) = sum() {
                let g = gcd64(num, den);
                return Some(Rational { num: i128::from(num / g), den: i128::from(den / g) });
            }
        }
        self.checked_add_wide(other)
    }

    /// [`Rational::checked_add`] in 128 bits.
    fn checked_add_wide(self, other: Rational) -> Option<Rational> {
        let g = gcd(self.den, other.den);
        let lhs = self.num.checked_mul(div_exact(other.den, g))?;
        let rhs = other.num.checked_mul(div_exact(self.den, g))?;
        Rational::new(lhs.checked_add(rhs)?, div_exact(self.den, g).checked_mul(other.den)?)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Rational) -> Option<Rational> {
        self.checked_add(Rational { num: other.num.checked_neg()?, den: other.den })
    }

    /// `self * other`, or `None` on overflow.
    pub fn checked_mul(self, other: Rational) -> Option<Rational> {
        // Both factors are in lowest terms: once the cross common factors
        // are cancelled, so is the product, and no gcd of it is needed.
        if let Some((a, b, c, d)) = self.narrow(other) {
            let (g1, g2) = (gcd64(a, d), gcd64(c, b));
            if let (Some(num), Some(den)) = ((a / g1).checked_mul(c / g2), (b / g2).checked_mul(d / g1)) {
                return Some(Rational { num: i128::from(num), den: i128::from(den) });
            }
        }
        self.checked_mul_wide(other)
    }

    /// [`Rational::checked_mul`] in 128 bits.
    fn checked_mul_wide(self, other: Rational) -> Option<Rational> {
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
        let num = div_exact(self.num, g1).checked_mul(div_exact(other.num, g2))?;
        let den = div_exact(self.den, g2).checked_mul(div_exact(other.den, g1))?;
        Rational::new(num, den)
    }

    /// `self / other`, or `None` on overflow or division by zero.
    pub fn checked_div(self, other: Rational) -> Option<Rational> {
        if other.num == 0 {
            return None;
        }
        self.checked_mul(Rational::new(other.den, other.num)?)
    }

    /// The largest integer not above the value.
    pub fn floor(self) -> i128 {
        self.num.div_euclid(self.den)
    }

    /// The smallest integer not below the value.
    pub fn ceil(self) -> i128 {
        let q = self.num.div_euclid(self.den);
        if self.num.rem_euclid(self.den) == 0 { q } else { q + 1 }
    }

    /// The nearest `f64` (for the floating-point queueing formulas only).
    pub fn to_f64(self) -> f64 {
        // Split off the integer part first so large values keep their precision.
        // In 64 bits when both fit (every value read from a policy does):
        // the same integers, so the same float, without 128-bit division.
        if let (Ok(num), Ok(den)) = (i64::try_from(self.num), i64::try_from(self.den)) {
            return num.div_euclid(den) as f64 + num.rem_euclid(den) as f64 / den as f64;
        }
        let int = self.num.div_euclid(self.den);
        let rem = self.num.rem_euclid(self.den);
        int as f64 + rem as f64 / self.den as f64
    }

    /// The smaller of two values.
    pub fn min(self, other: Rational) -> Rational {
        if other < self { other } else { self }
    }

    /// The larger of two values.
    pub fn max(self, other: Rational) -> Rational {
        if other > self { other } else { self }
    }
}

impl From<i64> for Rational {
    fn from(n: i64) -> Self {
        Rational::from_int(n)
    }
}

impl Ord for Rational {
    /// Exact comparison that cannot overflow: compares integer parts, then
    /// the reciprocals of the remainders (a continued-fraction expansion).
    fn cmp(&self, other: &Self) -> Ordering {
        // Denominators are positive, and products of 64-bit values fit in
        // 128 bits: cross-multiplying is exact then.
        if let (Ok(a), Ok(b), Ok(c), Ok(d)) =
            (i64::try_from(self.num), i64::try_from(self.den), i64::try_from(other.num), i64::try_from(other.den))
        {
            return (i128::from(a) * i128::from(d)).cmp(&(i128::from(c) * i128::from(b)));
        }
        self.cmp_by_fractions(other)
    }
}

impl Rational {
    /// [`Ord::cmp`] for any magnitudes.
    fn cmp_by_fractions(&self, other: &Self) -> Ordering {
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        loop {
            let (q1, r1) = (a.div_euclid(b), a.rem_euclid(b));
            let (q2, r2) = (c.div_euclid(d), c.rem_euclid(d));
            let ord = match q1.cmp(&q2) {
                Ordering::Equal => match (r1 == 0, r2 == 0) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    // r1/b < r2/d  <=>  d/r2 < b/r1: same order, smaller numbers.
                    (false, false) => {
                        (a, b, c, d) = (d, r2, b, r1);
                        continue;
                    }
                },
                ord => ord,
            };
            return ord;
        }
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

impl fmt::Display for Rational {
    /// Integers print as integers; other values print with up to
    /// `precision` (default 2) decimals, trailing zeros removed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            return write!(f, "{}", self.num);
        }
        // A denominator of 2^a 5^b (every decimal literal) prints exactly.
        let mut den = self.den;
        let mut digits = 0usize;
        while den % 10 == 0 || den % 2 == 0 || den % 5 == 0 {
            den /= if den % 10 == 0 {
                10
            } else if den % 2 == 0 {
                2
            } else {
                5
            };
            digits += 1;
        }
        if den == 1
            && digits <= 18
            && let Some(scaled) = 10i128.checked_pow(digits as u32).and_then(|p| self.num.checked_mul(p / self.den))
        {
            let (sign, abs) = (if scaled < 0 { "-" } else { "" }, scaled.unsigned_abs());
            let unit = 10u128.pow(digits as u32);
            let frac = format!("{:0width$}", abs % unit, width = digits);
            return write!(f, "{sign}{}.{}", abs / unit, frac.trim_end_matches('0'));
        }
        let decimals = f.precision().unwrap_or(2);
        let text = format!("{:.*}", decimals, self.to_f64());
        let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
        f.write_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    #[test]
    fn parses_decimals_exactly() {
        assert_eq!(Rational::parse_decimal("4.5", 12, 6), Some(r(9, 2)));
        assert_eq!(Rational::parse_decimal("72.50", 12, 6), Some(r(145, 2)));
        assert_eq!(Rational::parse_decimal("-10", 12, 6), Some(r(-10, 1)));
        assert_eq!(Rational::parse_decimal("0007", 3, 0), Some(r(7, 1)));
        assert_eq!(Rational::parse_decimal("1234", 3, 0), None);
        assert_eq!(Rational::parse_decimal("1.2345", 3, 3), None);
    }

    #[test]
    fn scheduled_agents_for_21_productive_at_30_percent_is_30() {
        let available = Rational::ONE.checked_sub(r(30, 100)).unwrap();
        assert_eq!(r(21, 1).checked_div(available).unwrap().ceil(), 30);
    }

    #[test]
    fn comparison_is_exact_where_floats_are_not() {
        // 130 calls/h at 360 s is exactly 13 Erlangs.
        let load = r(130, 1).checked_mul(r(360, 1)).unwrap().checked_div(r(3600, 1)).unwrap();
        assert_eq!(load.cmp(&r(13, 1)), Ordering::Equal);
        assert!(r(1, 3) < r(334, 1000));
        assert!(r(-1, 2) < r(-1, 3));
        assert!(r(i128::MAX / 3, i128::MAX / 2) < r(i128::MAX / 2, i128::MAX / 3));
        assert_eq!(r(7, 2).floor(), 3);
        assert_eq!(r(-7, 2).floor(), -4);
        assert_eq!(r(7, 2).ceil(), 4);
    }

    #[test]
    fn sums_and_products_are_in_lowest_terms() {
        assert_eq!(r(1, 6).checked_add(r(1, 3)), Some(r(1, 2)));
        assert_eq!(r(5, 6).checked_sub(r(1, 3)), Some(r(1, 2)));
        assert_eq!(r(4, 9).checked_mul(r(3, 8)), Some(r(1, 6)));
        assert_eq!(r(0, 1).checked_mul(r(3, 8)), Some(Rational::ZERO));
        assert_eq!(r(i128::from(i64::MAX), 1).checked_add(Rational::ONE), Some(r(i128::from(i64::MAX) + 1, 1)));
        assert_eq!(r(i128::from(i64::MIN), 1).checked_mul(r(-1, 1)), Some(r(-i128::from(i64::MIN), 1)));
    }

    #[test]
    fn overflow_is_none() {
        let big = r(i128::MAX, 1);
        assert_eq!(big.checked_add(Rational::ONE), None);
        assert_eq!(big.checked_mul(r(2, 1)), None);
        assert_eq!(Rational::ONE.checked_div(Rational::ZERO), None);
    }

    /// The gcd by 128-bit remainders alone, as a reference.
    fn plain_gcd(a: i128, b: i128) -> u128 {
        let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #[test]
        fn the_64_bit_shortcut_changes_no_result(
            a in proptest::prop_oneof![-1_000_000i128..1_000_000, proptest::num::i128::ANY],
            b in proptest::prop_oneof![1i128..1_000_000, 1i128..=i128::MAX, i128::MIN + 1..0],
        ) {
            proptest::prop_assert_eq!(gcd(a, b).unsigned_abs(), plain_gcd(a, b));
            let g = gcd(a, b);
            proptest::prop_assert_eq!(div_exact(a, g), a / g);
            let x = Rational::new(a, b).unwrap();
            proptest::prop_assert_eq!(plain_gcd(x.num, x.den), 1);
            proptest::prop_assert!(x.den > 0);
        }

        #[test]
        fn the_64_bit_sum_and_product_change_no_result(
            a in proptest::prop_oneof![-100i128..100, -1_000_000i128..1_000_000, proptest::num::i64::ANY.prop_map(i128::from), proptest::num::i128::ANY],
            b in proptest::prop_oneof![1i128..100, 1i128..1_000_000, 1i128..=i128::from(i64::MAX), 1i128..=i128::MAX],
            c in proptest::prop_oneof![-100i128..100, -1_000_000i128..1_000_000, proptest::num::i64::ANY.prop_map(i128::from), proptest::strategy::Just(i128::from(i64::MIN))],
            d in proptest::prop_oneof![1i128..100, 1i128..1_000_000, 1i128..=i128::from(i64::MAX), proptest::strategy::Just(1i128)],
        ) {
            let x = Rational::new(a, b).unwrap();
            let y = Rational::new(c, d).unwrap();
            proptest::prop_assert_eq!(x.checked_add(y), x.checked_add_wide(y));
            proptest::prop_assert_eq!(x.checked_mul(y), x.checked_mul_wide(y));
            proptest::prop_assert_eq!(x.checked_sub(y), x.checked_add_wide(Rational { num: -y.num, den: y.den }));
            if let Some(product) = x.checked_mul(y) {
                proptest::prop_assert_eq!(plain_gcd(product.num, product.den), 1);
                proptest::prop_assert!(product.den > 0);
            }
        }

        #[test]
        fn the_64_bit_comparison_and_float_change_no_result(
            a in proptest::prop_oneof![-1_000_000i128..1_000_000, proptest::num::i64::ANY.prop_map(i128::from), proptest::num::i128::ANY],
            b in proptest::prop_oneof![1i128..1_000_000, 1i128..=i128::from(i64::MAX), 1i128..=i128::MAX],
            c in proptest::prop_oneof![-1_000_000i128..1_000_000, proptest::num::i64::ANY.prop_map(i128::from)],
            d in proptest::prop_oneof![1i128..1_000_000, 1i128..=i128::from(i64::MAX)],
        ) {
            let (x, y) = (Rational::new(a, b).unwrap(), Rational::new(c, d).unwrap());
            proptest::prop_assert_eq!(x.cmp(&y), x.cmp_by_fractions(&y));
            proptest::prop_assert_eq!(y.cmp(&x), y.cmp_by_fractions(&x));
            proptest::prop_assert_eq!(x.cmp(&x), Ordering::Equal);
            let wide = x.num.div_euclid(x.den) as f64 + x.num.rem_euclid(x.den) as f64 / x.den as f64;
            proptest::prop_assert_eq!(x.to_f64().to_bits(), wide.to_bits());
        }
    }

    #[test]
    fn display_trims_trailing_zeros() {
        assert_eq!(r(9, 2).to_string(), "4.5");
        assert_eq!(r(1, 3).to_string(), "0.33");
        assert_eq!(r(100_001, 1000).to_string(), "100.001");
        assert_eq!(r(3_001, 1000).to_string(), "3.001");
        assert_eq!(r(42, 1).to_string(), "42");
    }
}

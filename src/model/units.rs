//! Unit newtypes. Every value that crosses a module boundary carries its
//! unit in its type, is exact, and prints the way a policy author writes it.

use std::fmt;

use crate::num::Rational;

/// A duration in exact seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seconds(pub Rational);

impl Seconds {
    /// `n` seconds.
    pub fn from_secs(n: i64) -> Seconds {
        Seconds(Rational::from_int(n))
    }

    /// `n` minutes.
    pub fn from_mins(n: i64) -> Seconds {
        Seconds(Rational::from_int(n.saturating_mul(60)))
    }

    /// The value in seconds.
    pub fn secs(self) -> Rational {
        self.0
    }
}

impl fmt::Display for Seconds {
    /// `3m`, `4m30s`, `1h30m`, `20s`, `7.5s`: the largest units first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0;
        if !secs.is_integer() || secs.is_negative() {
            return write!(f, "{secs}s");
        }
        let total = secs.numer();
        if total == 0 {
            return f.write_str("0s");
        }
        let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        if s > 0 {
            write!(f, "{s}s")?;
        }
        Ok(())
    }
}

/// A share between 0 and 1, written as a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ratio(pub Rational);

impl Ratio {
    /// `p` percent; `None` outside 0..=100.
    pub fn from_percent(p: Rational) -> Option<Ratio> {
        if p.is_negative() || p > Rational::from_int(100) {
            return None;
        }
        p.checked_div(Rational::from_int(100)).map(Ratio)
    }

    /// `p` percent for a small integer `p` (for defaults).
    pub fn percent(p: i64) -> Ratio {
        Ratio(Rational::new(i128::from(p), 100).unwrap_or(Rational::ZERO))
    }

    /// The share as a fraction of one.
    pub fn fraction(self) -> Rational {
        self.0
    }
}

impl fmt::Display for Ratio {
    /// `85%`, `72.5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = self.0.checked_mul(Rational::from_int(100)).unwrap_or(self.0);
        write!(f, "{percent:.1}%")
    }
}

/// An ISO 4217 currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

/// The active ISO 4217 currency codes.
pub const CURRENCY_CODES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
    "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

impl Currency {
    /// The currency for an active ISO 4217 code such as `USD`.
    pub fn new(code: &str) -> Option<Currency> {
        if !CURRENCY_CODES.contains(&code) {
            return None;
        }
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        Some(Currency(bytes))
    }

    /// The code, e.g. `USD`.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    fn symbol(&self) -> Option<&'static str> {
        match &self.0 {
            b"USD" => Some("$"),
            b"EUR" => Some("€"),
            b"GBP" => Some("£"),
            _ => None,
        }
    }
}

/// An amount of money in hundredths of its currency unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    /// The amount in minor units (cents).
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// Money from an exact amount; `None` if it has more than two decimals
    /// or is out of range.
    pub fn new(amount: Rational, currency: Currency) -> Option<Money> {
        let minor = amount.checked_mul(Rational::from_int(100))?;
        if !minor.is_integer() {
            return None;
        }
        Some(Money { minor: i64::try_from(minor.numer()).ok()?, currency })
    }
}

impl fmt::Display for Money {
    /// `$50`, `£12.50`, `120 CHF`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (units, cents) = (self.minor / 100, (self.minor % 100).abs());
        let amount = if cents == 0 { format!("{units}") } else { format!("{units}.{cents:02}") };
        match self.currency.symbol() {
            Some(symbol) => write!(f, "{symbol}{amount}"),
            None => write!(f, "{amount} {}", self.currency.code()),
        }
    }
}

/// Contacts per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RatePerHour(pub Rational);

impl fmt::Display for RatePerHour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/h", self.0)
    }
}

/// A score on a scale, such as `4.5/5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Score {
    /// The value.
    pub value: Rational,
    /// The top of the scale (above zero).
    pub scale: Rational,
}

impl Score {
    /// The score as a fraction of its scale, so `4/5` and `8/10` compare equal.
    pub fn fraction(self) -> Rational {
        self.value.checked_div(self.scale).unwrap_or(Rational::ZERO)
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.value, self.scale)
    }
}

/// A metric value in the unit its metric is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// `3m`.
    Duration(Seconds),
    /// `80%`.
    Ratio(Ratio),
    /// `4.5/5`.
    Score(Score),
    /// `7`, `-10`.
    Number(Rational),
}

impl Value {
    /// The value on one real axis per unit, for comparisons: seconds,
    /// fractions of one, fractions of the scale, or the number itself.
    pub fn axis(self) -> Rational {
        match self {
            Value::Duration(s) => s.secs(),
            Value::Ratio(r) => r.fraction(),
            Value::Score(s) => s.fraction(),
            Value::Number(n) => n,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Duration(s) => s.fmt(f),
            Value::Ratio(r) => r.fmt(f),
            Value::Score(s) => s.fmt(f),
            Value::Number(n) => n.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_largest_unit_first() {
        assert_eq!(Seconds::from_secs(180).to_string(), "3m");
        assert_eq!(Seconds::from_secs(270).to_string(), "4m30s");
        assert_eq!(Seconds::from_secs(5400).to_string(), "1h30m");
        assert_eq!(Seconds::from_secs(20).to_string(), "20s");
        assert_eq!(Seconds(Rational::new(15, 2).unwrap()).to_string(), "7.5s");
    }

    #[test]
    fn ratios_and_money_print_as_written() {
        assert_eq!(Ratio::percent(85).to_string(), "85%");
        assert_eq!(Ratio::from_percent(Rational::new(145, 2).unwrap()).unwrap().to_string(), "72.5%");
        let gbp = Currency::new("GBP").unwrap();
        assert_eq!(Money::new(Rational::new(1250, 100).unwrap(), gbp).unwrap().to_string(), "£12.50");
        let chf = Currency::new("CHF").unwrap();
        assert_eq!(Money::new(Rational::from_int(120), chf).unwrap().to_string(), "120 CHF");
        assert_eq!(Currency::new("UDS"), None);
        assert_eq!(Money::new(Rational::new(1, 1000).unwrap(), chf), None);
    }
}

/// A calendar date (proleptic Gregorian), as `until` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// 1970-01-01.
    pub const EPOCH: Date = Date { year: 1970, month: 1, day: 1 };

    /// The date, if it exists (`2027-02-29` does not).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date { year, month: month as u8, day: day as u8 })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y) && digits(m) && digits(d)) {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl fmt::Display for Date {
    /// `2027-03-31`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod date_tests {
    use super::Date;

    #[test]
    fn dates_exist_and_count_days() {
        assert!(Date::new(2028, 2, 29).is_some() && Date::new(2027, 2, 29).is_none());
        assert!(Date::new(2100, 2, 29).is_none() && Date::new(2000, 2, 29).is_some());
        assert_eq!(Date::parse("2027-03-31").map(|d| d.to_string()), Some("2027-03-31".to_string()));
        assert_eq!(Date::parse("2027-3-31"), None);
        assert_eq!(Date::new(1970, 1, 1).map(Date::days_since_epoch), Some(0));
        let a = Date::new(2026, 11, 25).unwrap();
        assert_eq!(Date::from_days_since_epoch(a.days_since_epoch()), Some(a));
        assert_eq!(a.days_until(Date::new(2027, 2, 23).unwrap()), 90);
        for days in [-800_000, -1, 0, 59, 60, 20_000, 2_000_000] {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days, "{d}");
        }
    }
}

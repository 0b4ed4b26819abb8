//! Calendar dates (`YYYY-MM-DD`) for end-of-life rules and `skew check --today`, and
//! end-of-life dates as vendors state them: a day, or only a month (`YYYY-MM`, "October
//! 2026"), which ends with that month.
//!
//! Only what the `eol` kind needs: parse, order, print, and "today" from the system
//! clock in UTC. Must not: know time zones, or pick a day inside a month the vendor
//! did not name (a month-only end is reached only once the month is over).

use std::fmt;
use std::str::FromStr;

/// A proleptic Gregorian date. Orders chronologically (field order is year, month, day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Today: the `SKEW_TODAY` environment variable when it holds a `YYYY-MM-DD` date
    /// (reproducible CI runs and tests, for every subcommand), else today in UTC from
    /// the system clock. `skew check` reads `SKEW_TODAY` through `--today`, which
    /// rejects a malformed value.
    pub fn today() -> Date {
        if let Some(d) = std::env::var("SKEW_TODAY")
            .ok()
            .and_then(|v| v.trim().parse().ok())
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a civil date.
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year.clamp(0, 9999) as u16,
            month,
            day,
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = String;

    /// Exactly `YYYY-MM-DD`: a month-only date (`2024-10`) is refused on purpose, since a
    /// vendor's "October 2024" is not a day we may pick for them.
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date in the form YYYY-MM-DD");
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| {
            s.get(r)
                .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
        };
        let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(bad());
        };
        let month = month as u8;
        let day = day as u8;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("`{s}` is not a calendar date"));
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An end-of-life date as the vendor states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EolDate {
    /// The stated day: the line is past its end on and after it.
    Day(Date),
    /// Only a month is stated ("end of October 2026"): the line is past its end from the
    /// first day of the next month, so a finding never comes early.
    Month { year: u16, month: u8 },
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl EolDate {
    /// The first day on which the line is past its end.
    pub fn first_day_after(&self) -> Date {
        match *self {
            EolDate::Day(d) => d,
            EolDate::Month { year, month: 12 } => Date {
                year: year + 1,
                month: 1,
                day: 1,
            },
            EolDate::Month { year, month } => Date {
                year,
                month: month + 1,
                day: 1,
            },
        }
    }

    /// Is the line past its end on `today`?
    pub fn reached(&self, today: Date) -> bool {
        today >= self.first_day_after()
    }

    /// For messages: `on 2024-10-07`, `at the end of October 2026`.
    pub fn phrase(&self) -> String {
        match self {
            EolDate::Day(d) => format!("on {d}"),
            EolDate::Month { .. } => format!("at the {self}"),
        }
    }
}

impl FromStr for EolDate {
    type Err = String;

    /// `YYYY-MM-DD`, or `YYYY-MM` for a vendor that states only the month.
    fn from_str(s: &str) -> Result<EolDate, String> {
        if s.len() == 7 {
            let b = s.as_bytes();
            let num = |r: std::ops::Range<usize>| {
                s.get(r)
                    .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
                    .and_then(|p| p.parse::<u16>().ok())
            };
            return match (b[4], num(0..4), num(5..7)) {
                (b'-', Some(year), Some(month)) if (1..=12).contains(&month) => {
                    Ok(EolDate::Month {
                        year,
                        month: month as u8,
                    })
                }
                _ => Err(format!(
                    "`{s}` is not a date in the form YYYY-MM-DD (or YYYY-MM for a month)"
                )),
            };
        }
        s.parse::<Date>().map(EolDate::Day).map_err(|e| {
            if e.contains("YYYY-MM-DD") {
                format!("`{s}` is not a date in the form YYYY-MM-DD (or YYYY-MM for a month)")
            } else {
                e
            }
        })
    }
}

impl fmt::Display for EolDate {
    /// `2024-10-07`, `end of October 2026`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EolDate::Day(d) => d.fmt(f),
            EolDate::Month { year, month } => {
                write!(f, "end of {} {year}", MONTHS[usize::from(*month) - 1])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_only_ends_with_the_month() {
        let oct: EolDate = "2026-10".parse().unwrap();
        assert_eq!(oct.to_string(), "end of October 2026");
        assert_eq!(oct.phrase(), "at the end of October 2026");
        assert!(!oct.reached("2026-10-31".parse().unwrap()));
        assert!(oct.reached("2026-11-01".parse().unwrap()));
        let dec: EolDate = "2025-12".parse().unwrap();
        assert_eq!(dec.first_day_after().to_string(), "2026-01-01");
        let day: EolDate = "2024-10-07".parse().unwrap();
        assert_eq!(day.phrase(), "on 2024-10-07");
        assert!(!day.reached("2024-10-06".parse().unwrap()));
        assert!(day.reached("2024-10-07".parse().unwrap()));
        for bad in [
            "2026-13",
            "2026-1",
            "26-10-01",
            "October 2026",
            "2026-02-30",
        ] {
            assert!(bad.parse::<EolDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_and_orders() {
        let a: Date = "2023-04-30".parse().unwrap();
        let b: Date = "2024-02-29".parse().unwrap();
        assert!(a < b);
        assert_eq!(b.to_string(), "2024-02-29");
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2024-10".parse::<Date>().is_err());
        assert!("2024-13-01".parse::<Date>().is_err());
        assert!("24-01-01xx".parse::<Date>().is_err());
    }

    #[test]
    fn civil_from_days() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_454).to_string(),
            "2026-01-01"
        );
    }
}

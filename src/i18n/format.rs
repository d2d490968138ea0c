//! Dates, times and numbers as people of each language write them: in the reader's time zone,
//! with month names (chrono's locales), relative times ("3 uur geleden", with Fluent plurals),
//! and the decimal comma and digit grouping of Dutch.
use std::{fmt::Write, sync::OnceLock};

use chrono::{DateTime, Datelike, Locale, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::{Lang, counted_with, tr, tr_args};

fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::En => Locale::en_GB,
        Lang::Nl => Locale::nl_NL,
    }
}

/// Each language's abbreviated month names (`%b` of chrono's locale: `dec`, `Dec`), formatted
/// once: every date on a page needs one, and `format_localized` parses its pattern each time.
fn month_abbreviation(lang: Lang, month: u32) -> &'static str {
    static NAMES: OnceLock<[[String; 12]; 2]> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        Lang::ALL.map(|lang| {
            std::array::from_fn(|i| {
                Utc.with_ymd_and_hms(2026, i as u32 + 1, 1, 12, 0, 0)
                    .unwrap()
                    .format_localized("%b", locale(lang))
                    .to_string()
            })
        })
    });
    &names[lang as usize][month as usize - 1]
}

/// `%-d %b`, then ` %Y` when `year`: the same text as chrono's `format_localized`, without
/// parsing a pattern. Years outside 0–9999 (which `%Y` writes with a sign) go through chrono.
fn day_month<T: Datelike>(date: &T, lang: Lang, year: bool, out: &mut String) {
    let _ = write!(
        out,
        "{} {}",
        date.day(),
        month_abbreviation(lang, date.month())
    );
    if year {
        let _ = write!(out, " {:04}", date.year());
    }
}

fn plain_year<T: Datelike>(date: &T) -> bool {
    (0..=9999).contains(&date.year())
}

/// `5 dec. 2026 14:05` (Dutch) or `5 Dec 2026, 14:05` (English), in `tz`.
pub fn full_date(at: DateTime<Utc>, lang: Lang, tz: Tz) -> String {
    let mut out = String::with_capacity(20);
    write_full_date(&mut out, at, lang, tz);
    out
}

/// [`full_date`], written at the end of `out`.
pub fn write_full_date(out: &mut String, at: DateTime<Utc>, lang: Lang, tz: Tz) {
    let local = at.with_timezone(&tz);
    if !plain_year(&local) {
        let pattern = match lang {
            Lang::En => "%-d %b %Y, %H:%M",
            Lang::Nl => "%-d %b %Y %H:%M",
        };
        let _ = write!(out, "{}", local.format_localized(pattern, locale(lang)));
        return;
    }
    day_month(&local, lang, true, out);
    let comma = if lang == Lang::En { "," } else { "" };
    let _ = write!(out, "{comma} {:02}:{:02}", local.hour(), local.minute());
}

/// A day: `5 dec. 2026` or `5 Dec 2026`.
pub fn date(at: DateTime<Utc>, lang: Lang, tz: Tz) -> String {
    let mut out = String::with_capacity(12);
    write_date(&mut out, at, lang, tz);
    out
}

/// [`date`], written at the end of `out`.
fn write_date(out: &mut String, at: DateTime<Utc>, lang: Lang, tz: Tz) {
    let local = at.with_timezone(&tz);
    if !plain_year(&local) {
        let _ = write!(out, "{}", local.format_localized("%-d %b %Y", locale(lang)));
        return;
    }
    day_month(&local, lang, true, out);
}

/// A month as `2026-11` is stored, as people say it: `november 2026` or `November 2026`.
pub fn month(year_month: &str, lang: Lang) -> String {
    let Some(first) =
        chrono::NaiveDate::parse_from_str(&format!("{year_month}-01"), "%Y-%m-%d").ok()
    else {
        return year_month.to_owned();
    };
    first.format_localized("%B %Y", locale(lang)).to_string()
}

/// How long ago `at` was, seen at `now`: "just now", "5 minutes ago", "3 hours ago",
/// "yesterday", "4 days ago"; older: the day (without the year in the current year).
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>, lang: Lang, tz: Tz) -> String {
    let mut out = String::with_capacity(16);
    write_relative(&mut out, at, now, lang, tz);
    out
}

/// [`relative`], written at the end of `out`.
pub fn write_relative(out: &mut String, at: DateTime<Utc>, now: DateTime<Utc>, lang: Lang, tz: Tz) {
    let seconds = (now - at).num_seconds();
    let count = |out: &mut String, key: &'static str, n: i64| match counted_with(
        lang,
        key,
        vec![("count", n as f64)],
    ) {
        Some(text) => out.push_str(&text),
        None => out.push_str(&tr_args(lang, key, &[("count", n.to_string())])),
    };
    if seconds < 0 {
        // A time to come (a scheduled post): the date.
        return write_full_date(out, at, lang, tz);
    }
    if seconds < 60 {
        return out.push_str(&tr(lang, "time-just-now"));
    }
    if seconds < 3600 {
        return count(out, "time-minutes-ago", seconds / 60);
    }
    if seconds < 24 * 3600 {
        return count(out, "time-hours-ago", seconds / 3600);
    }
    let local = at.with_timezone(&tz);
    let today = now.with_timezone(&tz).date_naive();
    let days = (today - local.date_naive()).num_days();
    if days <= 1 {
        return out.push_str(&tr(lang, "time-yesterday"));
    }
    if days < 7 {
        return count(out, "time-days-ago", days);
    }
    if local.year() != today.year() {
        return write_date(out, at, lang, tz);
    }
    day_month(&local, lang, false, out);
}

/// A number with `decimals` digits after the separator: `1.234,5` in Dutch, `1,234.5` in
/// English.
pub fn number(n: f64, decimals: usize, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Nl => ('.', ','),
    };
    let text = format!("{:.*}", decimals, n.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let sign = if n < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// A share as a percentage: `66,7%` or `66.7%`.
pub fn percent(share: f64, lang: Lang) -> String {
    format!("{}%", number(share * 100.0, 1, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_local_and_in_the_readers_words() {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 21, 26, 0).unwrap();
        let ams = chrono_tz::Europe::Amsterdam;
        assert_eq!(full_date(at, Lang::Nl, ams), "4 dec 2026 22:26");
        assert_eq!(full_date(at, Lang::En, ams), "4 Dec 2026, 22:26");
        assert_eq!(full_date(at, Lang::En, chrono_tz::UTC), "4 Dec 2026, 21:26");
        assert_eq!(month("2026-11", Lang::Nl), "november 2026");
        assert_eq!(month("2026-11", Lang::En), "November 2026");
        let now = at + chrono::Duration::hours(3);
        assert_eq!(relative(at, now, Lang::Nl, ams), "3 uur geleden");
        assert_eq!(relative(at, now, Lang::En, ams), "3 hours ago");
        let minute = at + chrono::Duration::seconds(90);
        assert_eq!(relative(at, minute, Lang::Nl, ams), "1 minuut geleden");
        assert_eq!(relative(at, minute, Lang::En, ams), "1 minute ago");
        let later = at + chrono::Duration::days(1);
        assert_eq!(relative(at, later, Lang::Nl, ams), "gisteren");
        let much_later = at + chrono::Duration::days(40);
        assert_eq!(relative(at, much_later, Lang::En, ams), "4 Dec 2026");
    }

    /// The written-out formats say exactly what chrono's locale formatting says, in both
    /// languages, for every month, single- and double-digit days and hours, and across a
    /// change of daylight saving time.
    #[test]
    fn dates_match_chronos_locale_formatting() {
        let ams = chrono_tz::Europe::Amsterdam;
        for lang in Lang::ALL {
            for month in 1..=12 {
                for (day, hour) in [(1, 0), (9, 7), (28, 23), (15, 12)] {
                    let at = Utc.with_ymd_and_hms(2026, month, day, hour, 5, 0).unwrap();
                    let local = at.with_timezone(&ams);
                    let full = match lang {
                        Lang::En => "%-d %b %Y, %H:%M",
                        Lang::Nl => "%-d %b %Y %H:%M",
                    };
                    assert_eq!(
                        full_date(at, lang, ams),
                        local.format_localized(full, locale(lang)).to_string()
                    );
                    assert_eq!(
                        date(at, lang, ams),
                        local
                            .format_localized("%-d %b %Y", locale(lang))
                            .to_string()
                    );
                    // This year without the year, another year with it.
                    let now = Utc.with_ymd_and_hms(2026, 12, 31, 12, 0, 0).unwrap();
                    if (now - at).num_days() >= 7 {
                        assert_eq!(
                            relative(at, now, lang, ams),
                            local.format_localized("%-d %b", locale(lang)).to_string()
                        );
                    }
                    let next_year = Utc.with_ymd_and_hms(2027, 6, 1, 12, 0, 0).unwrap();
                    assert_eq!(
                        relative(at, next_year, lang, ams),
                        local
                            .format_localized("%-d %b %Y", locale(lang))
                            .to_string()
                    );
                }
            }
        }
        // A year that `%Y` writes with a sign or five digits still goes through chrono.
        let far = Utc.with_ymd_and_hms(12026, 3, 4, 5, 6, 0).unwrap();
        assert_eq!(
            full_date(far, Lang::En, chrono_tz::UTC),
            far.format_localized("%-d %b %Y, %H:%M", Locale::en_GB)
                .to_string()
        );
    }

    #[test]
    fn numbers_use_the_languages_separators() {
        assert_eq!(number(1234.5, 1, Lang::Nl), "1.234,5");
        assert_eq!(number(1234.5, 1, Lang::En), "1,234.5");
        assert_eq!(number(-3.0, 0, Lang::Nl), "-3");
        assert_eq!(number(0.001, 1, Lang::Nl), "0,0");
        assert_eq!(percent(0.667, Lang::Nl), "66,7%");
        assert_eq!(percent(0.667, Lang::En), "66.7%");
        assert_eq!(number(1_000_000.0, 0, Lang::En), "1,000,000");
    }
}

//! Dates and times as people in Hà Tĩnh read and type them: dd/mm/yyyy, 24-hour,
//! in Vietnam's time (UTC+7). Date fields of the browser send yyyy-mm-dd (and
//! yyyy-mm-ddThh:mm); an old browser without them lets people type dd/mm/yyyy.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::domain::deadlines::vietnam;

pub fn show_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam()).format("%d/%m/%Y %H:%M").to_string()
}

pub fn show_date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// The value of a `datetime-local` field for `at`.
pub fn field_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam()).format("%Y-%m-%dT%H:%M").to_string()
}

/// A typed date: `Ok(None)` when empty, `Err(())` when it is no date.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(Some)
        .map_err(drop)
}

/// A typed time in Vietnam: `Ok(None)` when empty, `Err(())` when it is no time.
pub fn parse_time(text: &str) -> Result<Option<DateTime<Utc>>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| parse_date(text).ok().flatten().and_then(|d| d.and_hms_opt(0, 0, 0)))
        .ok_or(())?;
    local.and_local_timezone(vietnam()).single().map(|t| Some(t.with_timezone(&Utc))).ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_the_browser_sends_them_or_as_people_type_them() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 8);
        assert_eq!(parse_date("2026-03-08"), Ok(day));
        assert_eq!(parse_date(" 08/03/2026 "), Ok(day));
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(parse_date("8 March"), Err(()));
    }

    #[test]
    fn times_are_vietnam_times() {
        let at = parse_time("2026-03-08T21:40").expect("time").expect("given");
        assert_eq!(at.to_rfc3339(), "2026-03-08T14:40:00+00:00");
        assert_eq!(show_time(at), "08/03/2026 21:40");
        assert_eq!(field_time(at), "2026-03-08T21:40");
        assert_eq!(parse_time("08/03/2026 21:40"), Ok(Some(at)));
        assert_eq!(parse_time("21:40"), Err(()));
    }
}

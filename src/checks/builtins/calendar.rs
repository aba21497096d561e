//! A support calendar: a check's `eol` parameter (series `"X.Y"` -> end-of-support date) and
//! today's date, shared by the end-of-life checks (`python-eol-version`, `django-eol-version`).
//!
//! "Today" is the check's `today` parameter when set (YYYY-MM-DD), else `HARDEN_TODAY`, else
//! the system clock (UTC).

use super::Ctx;

/// The day the lifecycle tables of the end-of-life checks (their `eol` and `images`
/// parameters) were last checked against their sources; `harden advisories status` shows it.
/// Update it with the tables.
pub const LIFECYCLE_CHECKED: &str = "2026-12-03";

/// The support table and today's date.
pub struct Calendar {
    /// (major, minor, end of support), sorted by series.
    pub table: Vec<(u64, u64, String)>,
    pub today: String,
}

impl Calendar {
    pub fn from(ctx: &Ctx<'_>) -> Option<Self> {
        let mut table: Vec<(u64, u64, String)> = ctx
            .params
            .get("eol")?
            .as_object()?
            .iter()
            .filter_map(|(series, date)| {
                let (major, minor) = series.split_once('.')?;
                Some((
                    major.parse().ok()?,
                    minor.parse().ok()?,
                    date.as_str()?.to_string(),
                ))
            })
            .collect();
        table.sort();
        let today = ctx
            .param_str("today")
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .unwrap_or_else(crate::advisories::today);
        Some(Self { table, today })
    }

    /// When series `major.minor` ended, for a message (`on 2024-10-07`, or `before 2018-06-27`
    /// for a series older than the table), or `None` while it is supported. A series newer
    /// than the table's newest is not known to have ended.
    pub fn ended(&self, major: u64, minor: u64) -> Option<String> {
        match self
            .table
            .iter()
            .find(|(a, b, _)| (*a, *b) == (major, minor))
        {
            Some((_, _, date)) => (*date <= self.today).then(|| format!("on {date}")),
            None => {
                // The earliest end in the table (series are not retired in version order).
                let earliest = self.table.iter().map(|(_, _, date)| date).min()?;
                let (a, b, _) = self.table.first()?;
                ((major, minor) < (*a, *b)).then(|| format!("before {earliest}"))
            }
        }
    }

    /// Series still supported, oldest first.
    pub fn supported(&self) -> Vec<(u64, u64)> {
        self.table
            .iter()
            .filter(|(_, _, date)| *date > self.today)
            .map(|(a, b, _)| (*a, *b))
            .collect()
    }

    /// The oldest supported series (of `major`, when given), as `X.Y`.
    pub fn oldest_supported(&self, major: Option<u64>) -> Option<String> {
        self.supported()
            .into_iter()
            .find(|(a, _)| major.is_none_or(|m| *a == m))
            .map(|(a, b)| format!("{a}.{b}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(today: &str) -> Calendar {
        Calendar {
            table: vec![
                (3, 8, "2024-10-07".into()),
                (3, 9, "2025-10-31".into()),
                (3, 10, "2026-10-31".into()),
                (4, 0, "2029-10-31".into()),
            ],
            today: today.into(),
        }
    }

    #[test]
    fn ended_and_supported() {
        let c = calendar("2026-01-01");
        assert_eq!(c.ended(3, 8).as_deref(), Some("on 2024-10-07"));
        assert_eq!(c.ended(3, 7).as_deref(), Some("before 2024-10-07"));
        assert_eq!(c.ended(3, 10), None);
        assert_eq!(c.ended(5, 0), None);
        assert_eq!(c.oldest_supported(None).as_deref(), Some("3.10"));
        assert_eq!(c.oldest_supported(Some(4)).as_deref(), Some("4.0"));
        assert_eq!(c.oldest_supported(Some(2)), None);
    }
}

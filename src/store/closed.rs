//! Closed lists read back from the database fail closed (issue 15 item 2): a
//! status, an age group, a sex or a level the code does not know is an error that
//! names the table, the column and the row, never the value, and never a guess.
//! Guessing changed what the system did: an unknown age group read as an adult
//! changed whose consent a child's case needed.
//!
//! The check runs where a row becomes a typed value, because diesel's `FromSql`
//! sees one value and not the row it came from; the database refuses the same
//! values with `CHECK` constraints (PostgreSQL) or triggers (SQLite), so only a
//! hand-edited database or a newer program's data reaches it.

/// A stored value outside its closed list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table}.{column} of row {row} holds a value outside its closed list")]
pub struct Unreadable {
    pub table: &'static str,
    pub column: &'static str,
    pub row: String,
}

impl From<Unreadable> for diesel::result::Error {
    fn from(e: Unreadable) -> Self {
        diesel::result::Error::DeserializationError(Box::new(e))
    }
}

impl From<Unreadable> for super::StoreError {
    fn from(e: Unreadable) -> Self {
        super::StoreError::Query(e.into())
    }
}

/// Reads `text`, stored in `table.column` of row `row`, with `parse`.
pub fn read<T>(
    parse: impl FnOnce(&str) -> Option<T>,
    table: &'static str,
    column: &'static str,
    row: &str,
    text: &str,
) -> Result<T, Unreadable> {
    parse(text).ok_or_else(|| Unreadable { table, column, row: row.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::age::AgeGroup;

    #[test]
    fn an_unknown_value_names_where_it_is_and_never_itself() {
        let err = read(AgeGroup::parse, "survivors", "age_group", "0193-row", "adult-ish").unwrap_err();
        let text = err.to_string();
        assert_eq!(text, "survivors.age_group of row 0193-row holds a value outside its closed list");
        assert!(!text.contains("adult-ish"));
        assert_eq!(read(AgeGroup::parse, "survivors", "age_group", "r", "12-15"), Ok(AgeGroup::From12To15));
    }
}

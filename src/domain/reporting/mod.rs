//! The Committee's statistics (design §10): which tables a report holds, the
//! categories of their rows and columns, and the reporting calendar. Pure: the
//! services count, the disclosure rules suppress, the pages label.

pub mod calendar;
pub mod tables;

pub use calendar::{Month, Period, PeriodRule, PeriodStatus, Pieces, ReportCalendar, ReportKind};
pub use tables::{AgeBand, CaseCategories, CountTable, SexColumn, TableId, TallyKey, Timeliness};

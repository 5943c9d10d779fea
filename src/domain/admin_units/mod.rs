//! Administrative unit lists (CSV) and the rules for reading them. Vietnam moved to
//! two tiers on 1 July 2025 (province → commune); older lists have districts.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

/// The day the two-tier local government took effect.
pub const REFORM_DATE: NaiveDate = date(2025, 7, 1);
/// The pre-reform list shipped with Bình An is the one in force from this day …
pub const PRE_REFORM_LIST_FROM: NaiveDate = date(2025, 1, 1);
/// … until this day.
pub const PRE_REFORM_LIST_TO: NaiveDate = date(2025, 6, 30);

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => day,
        None => panic!("invalid constant date"),
    }
}

/// A unit code of the national list: 2 digits for a province, 3 for a district,
/// 5 for a commune. Codes are stable and never reused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if matches!(text.len(), 2 | 3 | 5) && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(UnitCode(text.to_string()))
        } else {
            Err(format!("code {text:?} is not a unit code (2, 3 or 5 digits)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    Province,
    District,
    /// xã (rural commune)
    Xa,
    /// phường (ward)
    Phuong,
    /// thị trấn (township, before 2025)
    ThiTran,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] =
        [UnitKind::Province, UnitKind::District, UnitKind::Xa, UnitKind::Phuong, UnitKind::ThiTran];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Xa => "xa",
            UnitKind::Phuong => "phuong",
            UnitKind::ThiTran => "thi_tran",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }

    pub fn is_commune(self) -> bool {
        matches!(self, UnitKind::Xa | UnitKind::Phuong | UnitKind::ThiTran)
    }

    fn code_len(self) -> usize {
        match self {
            UnitKind::Province => 2,
            UnitKind::District => 3,
            _ => 5,
        }
    }

    /// The Vietnamese word written before a commune's name.
    pub fn prefix(self) -> Option<&'static str> {
        match self {
            UnitKind::Xa => Some("Xã"),
            UnitKind::Phuong => Some("Phường"),
            UnitKind::ThiTran => Some("Thị trấn"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminUnit {
    pub code: UnitCode,
    /// The name without its "Xã"/"Phường"/"Thị trấn" prefix for communes.
    pub name: String,
    pub kind: UnitKind,
    pub parent_code: Option<UnitCode>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    /// The whole old unit went into the new one.
    Full,
    /// The old unit was split; part of it went into the new one.
    Partial,
}

impl Share {
    pub fn as_str(self) -> &'static str {
        match self {
            Share::Full => "full",
            Share::Partial => "partial",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "full" => Some(Share::Full),
            "partial" => Some(Share::Partial),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Succession {
    pub old_code: UnitCode,
    pub new_code: UnitCode,
    pub effective: NaiveDate,
    pub share: Share,
}

/// An item with the line of the file it came from, so later checks can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered<T> {
    pub line: u64,
    pub item: T,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitList {
    Units(Vec<Numbered<AdminUnit>>),
    Successions(Vec<Numbered<Succession>>),
}

/// What the person importing says about a list that the file itself does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOptions {
    /// Parent of communes in a two-tier list without a `parent_code` column.
    pub province: UnitCode,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// The day successions take effect.
    pub effective: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ListError {
    pub line: u64,
    pub reason: String,
}

fn at(line: u64, reason: impl Into<String>) -> ListError {
    ListError { line, reason: reason.into() }
}

/// Reads a unit list or a merger mapping. Accepted headers (extra columns ignored):
/// - `code,name,kind` with optional `parent_code,valid_from,valid_to`: a list whose
///   kinds are written out (`province`, `district`, `xa`, `phuong`, `thi_tran`);
///   communes without a parent belong to the province, and are valid from the
///   reform day unless told otherwise;
/// - `code,name,level,parent_code`: a pre-reform list (`level` is `district` or
///   `commune`, the kind of a commune read from its name's prefix), valid in the
///   first half of 2025 unless told otherwise;
/// - `old_code,new_code` with optional `type` (`full`/`partial`): a merger mapping;
///   without `type`, an old unit that appears once went in whole, and one that
///   appears more than once was split.
pub fn parse_unit_list(bytes: &[u8], options: &ListOptions) -> Result<UnitList, ListError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
    let header = reader.byte_headers().map_err(|e| csv_error(1, &e))?.clone();
    let header = Header::read(&header)?;
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| csv_error(0, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut fields = Vec::with_capacity(record.len());
        for (i, field) in record.iter().enumerate() {
            let text = std::str::from_utf8(field)
                .map_err(|_| at(line, format!("column {} is not valid UTF-8", i + 1)))?;
            fields.push(text.to_string());
        }
        if fields.iter().all(String::is_empty) {
            continue;
        }
        rows.push(Row { line, fields });
    }
    if rows.is_empty() {
        return Err(at(1, "the file has a header but no rows"));
    }
    match header.shape {
        Shape::Kinds | Shape::Levels => parse_units(&header, &rows, options).map(UnitList::Units),
        Shape::Mapping => parse_successions(&header, &rows, options).map(UnitList::Successions),
    }
}

fn csv_error(fallback_line: u64, e: &csv::Error) -> ListError {
    let line = e.position().map_or(fallback_line, |p| p.line());
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} columns where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => format!("cannot be read as CSV: {e}"),
    };
    at(line, reason)
}

struct Row {
    line: u64,
    fields: Vec<String>,
}

enum Shape {
    Kinds,
    Levels,
    Mapping,
}

struct Header {
    shape: Shape,
    columns: BTreeMap<String, usize>,
}

impl Header {
    fn read(record: &csv::ByteRecord) -> Result<Self, ListError> {
        let mut columns = BTreeMap::new();
        for (i, name) in record.iter().enumerate() {
            let name = std::str::from_utf8(name).map_err(|_| at(1, "the header is not valid UTF-8"))?;
            columns.insert(name.trim().to_ascii_lowercase(), i);
        }
        let has = |c: &str| columns.contains_key(c);
        let shape = if has("old_code") && has("new_code") {
            Shape::Mapping
        } else if has("code") && has("name") && has("kind") {
            Shape::Kinds
        } else if has("code") && has("name") && has("level") && has("parent_code") {
            Shape::Levels
        } else {
            return Err(at(
                1,
                "the header must be code,name,kind[,parent_code,valid_from,valid_to] or \
                 code,name,level,parent_code or old_code,new_code[,type]",
            ));
        };
        Ok(Header { shape, columns })
    }

    fn get<'r>(&self, row: &'r Row, column: &str) -> Option<&'r str> {
        self.columns
            .get(column)
            .and_then(|&i| row.fields.get(i))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn required<'r>(&self, row: &'r Row, column: &str) -> Result<&'r str, ListError> {
        self.get(row, column).ok_or_else(|| at(row.line, format!("{column} is empty")))
    }

    fn date(&self, row: &Row, column: &str) -> Result<Option<NaiveDate>, ListError> {
        self.get(row, column)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| at(row.line, format!("{column} {v:?} is not a date like 2025-07-01")))
            })
            .transpose()
    }
}

fn parse_units(
    header: &Header,
    rows: &[Row],
    options: &ListOptions,
) -> Result<Vec<Numbered<AdminUnit>>, ListError> {
    let mut seen = HashSet::new();
    let mut units = Vec::with_capacity(rows.len());
    for row in rows {
        let unit = match header.shape {
            Shape::Levels => unit_from_level_row(header, row, options)?,
            _ => unit_from_kind_row(header, row, options)?,
        };
        if unit.code.as_str().len() != unit.kind.code_len() {
            return Err(at(
                row.line,
                format!(
                    "code {} has {} digits; a {} code has {}",
                    unit.code,
                    unit.code.as_str().len(),
                    unit.kind.as_str(),
                    unit.kind.code_len()
                ),
            ));
        }
        if let (Some(from), Some(to)) = (unit.valid_from, unit.valid_to)
            && from > to
        {
            return Err(at(row.line, format!("valid_from {from} is after valid_to {to}")));
        }
        if !seen.insert((unit.code.clone(), unit.valid_from)) {
            return Err(at(row.line, format!("code {} appears twice for the same period", unit.code)));
        }
        units.push(Numbered { line: row.line, item: unit });
    }
    Ok(units)
}

fn unit_from_kind_row(header: &Header, row: &Row, options: &ListOptions) -> Result<AdminUnit, ListError> {
    let code = UnitCode::parse(header.required(row, "code")?).map_err(|r| at(row.line, r))?;
    let kind_text = header.required(row, "kind")?;
    let kind = UnitKind::parse(kind_text).ok_or_else(|| {
        at(row.line, format!("kind {kind_text:?} is not one of province, district, xa, phuong, thi_tran"))
    })?;
    let parent_code = match header.get(row, "parent_code") {
        Some(p) => Some(UnitCode::parse(p).map_err(|r| at(row.line, r))?),
        None if kind == UnitKind::Province => None,
        None => Some(options.province.clone()),
    };
    let default_from = if kind.is_commune() { Some(REFORM_DATE) } else { None };
    Ok(AdminUnit {
        name: strip_prefix(header.required(row, "name")?, kind),
        code,
        kind,
        parent_code,
        valid_from: header.date(row, "valid_from")?.or(options.valid_from).or(default_from),
        valid_to: header.date(row, "valid_to")?.or(options.valid_to),
    })
}

fn unit_from_level_row(header: &Header, row: &Row, options: &ListOptions) -> Result<AdminUnit, ListError> {
    let code = UnitCode::parse(header.required(row, "code")?).map_err(|r| at(row.line, r))?;
    let name = header.required(row, "name")?;
    let kind = match header.required(row, "level")? {
        "province" => UnitKind::Province,
        "district" => UnitKind::District,
        "commune" => [UnitKind::Xa, UnitKind::Phuong, UnitKind::ThiTran]
            .into_iter()
            .find(|k| k.prefix().is_some_and(|p| name.starts_with(&format!("{p} "))))
            .ok_or_else(|| {
                at(row.line, format!("commune name {name:?} does not start with Xã, Phường or Thị trấn"))
            })?,
        other => {
            return Err(at(row.line, format!("level {other:?} is not province, district or commune")));
        }
    };
    let parent_code = header
        .get(row, "parent_code")
        .map(|p| UnitCode::parse(p).map_err(|r| at(row.line, r)))
        .transpose()?;
    Ok(AdminUnit {
        name: strip_prefix(name, kind),
        code,
        kind,
        parent_code,
        valid_from: header.date(row, "valid_from")?.or(options.valid_from).or(Some(PRE_REFORM_LIST_FROM)),
        valid_to: header.date(row, "valid_to")?.or(options.valid_to).or(Some(PRE_REFORM_LIST_TO)),
    })
}

fn strip_prefix(name: &str, kind: UnitKind) -> String {
    kind.prefix()
        .and_then(|p| name.strip_prefix(p))
        .map(str::trim)
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name)
        .to_string()
}

fn parse_successions(
    header: &Header,
    rows: &[Row],
    options: &ListOptions,
) -> Result<Vec<Numbered<Succession>>, ListError> {
    let effective = options.effective.unwrap_or(REFORM_DATE);
    let mut pairs = Vec::with_capacity(rows.len());
    let mut times_old_code_appears: BTreeMap<UnitCode, usize> = BTreeMap::new();
    let mut seen = HashSet::new();
    for row in rows {
        let old_code = UnitCode::parse(header.required(row, "old_code")?).map_err(|r| at(row.line, r))?;
        let new_code = UnitCode::parse(header.required(row, "new_code")?).map_err(|r| at(row.line, r))?;
        let share = match header.get(row, "type") {
            Some(t) => Some(
                Share::parse(t).ok_or_else(|| at(row.line, format!("type {t:?} is not full or partial")))?,
            ),
            None => None,
        };
        if !seen.insert((old_code.clone(), new_code.clone())) {
            return Err(at(row.line, format!("{old_code} → {new_code} appears twice")));
        }
        *times_old_code_appears.entry(old_code.clone()).or_default() += 1;
        pairs.push((row.line, old_code, new_code, share));
    }
    Ok(pairs
        .into_iter()
        .map(|(line, old_code, new_code, share)| {
            let split = times_old_code_appears[&old_code] > 1;
            let share = share.unwrap_or(if split { Share::Partial } else { Share::Full });
            Numbered { line, item: Succession { old_code, new_code, effective, share } }
        })
        .collect())
}

#[cfg(test)]
mod tests;

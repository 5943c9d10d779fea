//! Where the demo's cases happen: Hà Tĩnh's 2025 communes, and before the reform
//! of 1 July 2025 the old communes that merged into them, read from the merger
//! mapping shipped with Bình An. A case in an old commune is counted in its
//! successor by the statistics, as real history would be.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::random::Rng;

/// Chị Hạnh's communes (Thành Sen and Trần Phú).
pub const HANH_COMMUNES: [&str; 2] = ["18073", "18100"];

/// The day the 2025 communes came into force.
pub fn reform_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// The first day the shipped lists know communes for: the pre-reform list is the
/// one in force from 1 January 2025 (the 2024 list is not loaded), so an earlier
/// report would have no commune to be recorded in.
pub fn first_known_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 2).unwrap_or_default()
}

/// The 2025 communes with the old communes that became (part of) each.
pub struct Communes {
    predecessors: BTreeMap<&'static str, Vec<&'static str>>,
}

impl Communes {
    pub fn of_ha_tinh() -> Self {
        let mapping = crate::services::units::HA_TINH
            .iter()
            .find(|(name, _)| *name == "hatinh_merge_2025.csv")
            .map_or("", |(_, text)| *text);
        let mut predecessors: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
        for line in mapping.lines().skip(1) {
            let mut cells = line.split(',').map(str::trim);
            if let (Some(old), Some(new)) = (cells.next(), cells.next()) {
                predecessors.entry(new).or_default().push(old);
            }
        }
        Communes { predecessors }
    }

    /// A 2025 commune outside Chị Hạnh's.
    pub fn elsewhere(&self, rng: &mut Rng) -> &'static str {
        let others: Vec<&'static str> =
            self.predecessors.keys().copied().filter(|c| !HANH_COMMUNES.contains(c)).collect();
        rng.pick(&others)
    }

    /// The old communes that became `new`, the ones whose code was not kept first
    /// (they are the ones no longer in force).
    pub fn old_communes_of(&self, new: &str) -> Vec<&'static str> {
        let mut old: Vec<&'static str> = self.predecessors.get(new).cloned().unwrap_or_default();
        old.sort_by_key(|code| *code == new);
        old
    }
}

use proptest::prelude::*;

use super::attacker::attack;
use super::*;

/// Case counts of a small area: mostly small, sometimes zero, now and then large.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![3 => Just(0u64), 5 => 1u64..=4, 3 => 5u64..=12]
}

fn margins() -> impl Strategy<Value = Margins> {
    prop_oneof![Just(Margins::Both), Just(Margins::RowsOnly), Just(Margins::ColumnsOnly), Just(Margins::None)]
}

#[derive(Debug, Clone, Copy)]
enum Periods {
    Single,
    /// The 6-month report inside the annual one: atoms [H, A\H].
    Nested,
    /// Two periods sharing a middle: atoms [only the first, both, only the second].
    Overlapping,
}

impl Periods {
    fn atoms(self) -> usize {
        match self {
            Periods::Single => 1,
            Periods::Nested => 2,
            Periods::Overlapping => 3,
        }
    }

    fn tables(self) -> Vec<Vec<usize>> {
        match self {
            Periods::Single => vec![vec![0]],
            Periods::Nested => vec![vec![0], vec![0, 1]],
            Periods::Overlapping => vec![vec![0, 1], vec![1, 2]],
        }
    }
}

/// A family of periods over one shape of table, with its margins and threshold.
fn family() -> impl Strategy<Value = (Vec<Vec<Vec<u64>>>, Periods, Margins, u64)> {
    let periods = prop_oneof![Just(Periods::Single), Just(Periods::Nested), Just(Periods::Overlapping)];
    (1usize..=3, 1usize..=3, periods, margins(), 2u64..=5).prop_flat_map(
        |(rows, cols, periods, margins, k)| {
            let table = prop::collection::vec(prop::collection::vec(count(), cols), rows);
            (prop::collection::vec(table, periods.atoms()), Just(periods), Just(margins), Just(k))
        },
    )
}

fn published_values(table: &Protected) -> Vec<Shown> {
    let mut values: Vec<Shown> = table.cells.iter().flatten().copied().collect();
    values.extend(table.row_totals.iter().flatten().copied());
    values.extend(table.column_totals.iter().flatten().copied());
    values.extend(table.total);
    values
}

fn is_hidden(shown: &Shown) -> bool {
    *shown == Shown::Suppressed
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The acceptance property: an attacker who solves every published equation and bound
    /// exactly pins down no hidden published count and no small count of any atom of time.
    #[test]
    fn no_hidden_or_small_count_can_be_worked_out((atoms, periods, margins, k) in family()) {
        let tables = periods.tables();
        let published = protect_family(&atoms, &tables, margins, k);
        prop_assert_eq!(published.len(), tables.len());
        let masks: Vec<Vec<bool>> =
            published.iter().map(|t| published_values(t).iter().map(is_hidden).collect()).collect();
        prop_assert!(masks.iter().all(|m| *m == masks[0]), "one common mask");
        for table in &published {
            for shown in published_values(table) {
                prop_assert!(!matches!(shown, Shown::Count(v) if (1..k).contains(&v)), "{:?}", table);
            }
        }
        let lower_bound = if tables.len() == 1 { 1 } else { 0 };
        let disclosed = attack(&atoms, &tables, margins, k, lower_bound, &published);
        prop_assert!(disclosed.is_empty(), "{:?} from {:?}", disclosed, published);
    }

    #[test]
    fn protecting_never_panics(
        counts in prop::collection::vec(prop::collection::vec(0u64..=1000, 0..=8), 0..=8),
        margins in margins(),
        k in 0u64..=20,
    ) {
        let table = protect(&counts, margins, k);
        prop_assert_eq!(table.cells.len(), counts.len());
    }
}

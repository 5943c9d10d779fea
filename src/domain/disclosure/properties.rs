use proptest::prelude::*;

use super::attacker::attack;
use super::extended::Family;
use super::graph::{Frontier, Search};
use super::greedy::decreasable;
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

    /// The reports as Bình An publishes them: each piece of the period protected on its
    /// own, a report hiding what any of its pieces hides (`protect_pieces`), the number
    /// of cases only where a piece could not be protected otherwise. The same attacker,
    /// knowing that a hidden published value is at least 1, works out nothing.
    #[test]
    fn no_figure_of_reports_made_of_pieces_can_be_worked_out((atoms, periods, margins, k) in family()) {
        let tables = periods.tables();
        let published: Vec<Protected> = tables
            .iter()
            .map(|members| {
                let pieces: Vec<Piece<'_>> = members
                    .iter()
                    .map(|&a| Piece { counts: &atoms[a], hide_total: hides_total(&atoms[a], margins, k) })
                    .collect();
                protect_pieces(&pieces, margins, k)
            })
            .collect();
        for table in &published {
            for shown in published_values(table) {
                prop_assert!(!matches!(shown, Shown::Count(v) if (1..k).contains(&v)), "{:?}", table);
            }
        }
        let disclosed = attack(&atoms, &tables, margins, k, 1, &published);
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

/// A family with some positions suppressed at random, and one suppressed position p.
fn suppressed() -> impl Strategy<Value = (Family, Vec<bool>, (usize, usize))> {
    (family(), prop::collection::vec(any::<bool>(), 16), any::<prop::sample::Index>()).prop_filter_map(
        "something suppressed",
        |((atoms, periods, margins, _), bits, pick)| {
            let family = Family::new(&atoms, &periods.tables(), margins);
            let mut mask = vec![false; family.len()];
            let positions: Vec<(usize, usize)> = family.positions().collect();
            for (i, &(r, c)) in positions.iter().enumerate() {
                mask[family.pos(r, c)] = bits[i];
            }
            let hidden: Vec<(usize, usize)> =
                positions.into_iter().filter(|&(r, c)| mask[family.pos(r, c)]).collect();
            if hidden.is_empty() {
                return None;
            }
            let p = *pick.get(&hidden);
            Some((family, mask, p))
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The shortcuts of the complement search (one new position judged from reachability
    /// computed once; a rectangle judged as a cycle of four) agree with a full search.
    #[test]
    fn one_more_suppression_is_judged_as_a_full_search_judges_it((family, mut mask, (r, c)) in suppressed()) {
        let positions: Vec<(usize, usize)> = family.positions().collect();
        for a in family.published_atoms() {
            let down = decreasable(&family, a);
            let shown: Vec<(usize, usize)> =
                positions.iter().copied().filter(|&(x, y)| !mask[family.pos(x, y)]).collect();
            let quick: Vec<bool> = {
                let search = Search::new(&family, &mask, &down, r, c);
                let frontier = Frontier::new(&search);
                shown.iter().map(|&(x, y)| frontier.protected_with(x, y)).collect()
            };
            for (&(x, y), quick) in shown.iter().zip(quick) {
                mask[family.pos(x, y)] = true;
                let full = Search::new(&family, &mask, &down, r, c).protected();
                mask[family.pos(x, y)] = false;
                prop_assert_eq!(quick, full, "atom {} at ({}, {}) with ({}, {}) added", a, r, c, x, y);
            }
            for &(r2, c2) in positions.iter().filter(|&&(r2, c2)| r2 != r && c2 != c) {
                let corners = [(r, c2), (r2, c), (r2, c2)];
                if !corners.iter().all(|&(x, y)| family.exists(x, y))
                    || !Search::new(&family, &mask, &down, r, c).rectangle_moves(r2, c2)
                {
                    continue;
                }
                let mut with = mask.clone();
                for (x, y) in corners {
                    with[family.pos(x, y)] = true;
                }
                prop_assert!(Search::new(&family, &with, &down, r, c).protected());
            }
        }
    }
}

use super::attacker::{Disclosure, attack};
use super::*;

use Shown::{Count, Suppressed};

fn hidden_cells(table: &Protected) -> Vec<(usize, usize)> {
    let mut hidden = Vec::new();
    for (r, row) in table.cells.iter().enumerate() {
        for (c, &shown) in row.iter().enumerate() {
            if shown == Suppressed {
                hidden.push((r, c));
            }
        }
    }
    hidden
}

fn assert_no_disclosure(counts: &[Vec<u64>], margins: Margins, k: u64) -> Protected {
    let table = protect(counts, margins, k);
    let atoms = [counts.to_vec()];
    let found = attack(&atoms, &[vec![0]], margins, k, 1, std::slice::from_ref(&table));
    assert_eq!(found, [], "{table:?}");
    table
}

#[test]
fn the_default_threshold_is_five() {
    assert_eq!(DEFAULT_THRESHOLD, 5);
    let table = protect(&[vec![4, 5, 9], vec![7, 8, 9]], Margins::None, DEFAULT_THRESHOLD);
    assert_eq!(table.cells[0], [Suppressed, Count(5), Count(9)]);
}

#[test]
fn a_count_from_one_to_k_minus_one_is_suppressed() {
    for small in 1..5 {
        let table =
            assert_no_disclosure(&[vec![small, 9, 8], vec![7, 9, 12], vec![6, 10, 11]], Margins::Both, 5);
        assert_eq!(table.cells[0][0], Suppressed);
    }
}

#[test]
fn a_table_without_small_counts_is_published_in_full() {
    let table = protect(&[vec![5, 0, 9], vec![7, 8, 0]], Margins::Both, 5);
    assert_eq!(table.cells, [[Count(5), Count(0), Count(9)], [Count(7), Count(8), Count(0)]]);
    assert_eq!(table.row_totals, Some(vec![Count(14), Count(15)]));
    assert_eq!(table.column_totals, Some(vec![Count(12), Count(8), Count(9)]));
    assert_eq!(table.total, Some(Count(29)));
    assert!(!table.mostly_suppressed);
}

#[test]
fn a_lone_suppressed_cell_gets_a_complement_in_its_row_and_its_column() {
    let table = assert_no_disclosure(&[vec![2, 9, 8], vec![7, 9, 12], vec![6, 10, 11]], Margins::Both, 5);
    let hidden = hidden_cells(&table);
    assert!(hidden.contains(&(0, 0)));
    assert!(hidden.iter().any(|&(r, c)| r == 0 && c != 0), "{hidden:?}");
    assert!(hidden.iter().any(|&(r, c)| r != 0 && c == 0), "{hidden:?}");
    assert_eq!(table.total, Some(Count(74)), "four cells are enough, the totals stay");
}

#[test]
fn zeros_are_never_suppressed_in_a_single_table() {
    let counts = [vec![2, 0, 8], vec![0, 9, 12], vec![6, 0, 1]];
    for margins in [Margins::Both, Margins::RowsOnly, Margins::ColumnsOnly, Margins::None] {
        let table = assert_no_disclosure(&counts, margins, 5);
        for (r, c) in hidden_cells(&table) {
            assert_ne!(counts[r][c], 0, "{margins:?} {table:?}");
        }
    }
}

#[test]
fn a_one_column_list_with_one_small_count_hides_a_second_count() {
    let counts = [vec![12], vec![3], vec![0], vec![7]];
    let table = assert_no_disclosure(&counts, Margins::ColumnsOnly, 5);
    assert_eq!(table.cells, [[Count(12)], [Suppressed], [Count(0)], [Suppressed]]);
    assert_eq!(table.column_totals, Some(vec![Count(22)]));
    assert_eq!((table.row_totals, table.total), (None, None));
}

#[test]
fn independent_cells_hide_only_small_counts() {
    let table = assert_no_disclosure(&[vec![2, 9], vec![0, 1]], Margins::None, 5);
    assert_eq!(table.cells, [[Suppressed, Count(9)], [Count(0), Suppressed]]);
    assert_eq!((table.row_totals, table.column_totals, table.total), (None, None, None));
}

#[test]
fn with_row_totals_only_a_small_count_hides_with_another_count_of_its_row() {
    let table = assert_no_disclosure(&[vec![3, 9, 8], vec![7, 9, 12]], Margins::RowsOnly, 5);
    assert_eq!(hidden_cells(&table), [(0, 0), (0, 2)]);
    assert_eq!(table.row_totals, Some(vec![Count(20), Count(28)]));
    assert_eq!((table.column_totals, table.total), (None, None));
}

#[test]
fn unknown_and_repeated_atoms_of_a_table_are_ignored() {
    let atoms = [vec![vec![2, 9], vec![9, 9]]];
    let published = protect_family(&atoms, &[vec![0, 0, 7]], Margins::Both, 5);
    assert_eq!(published, [protect(&atoms[0], Margins::Both, 5)]);
}

#[test]
fn a_small_row_total_or_column_total_is_suppressed_too() {
    let counts = [vec![1, 0, 2], vec![9, 8, 10], vec![7, 0, 12]];
    let table = assert_no_disclosure(&counts, Margins::Both, 5);
    assert_eq!(table.row_totals.as_ref().map(|t| t[0]), Some(Suppressed), "row total 3");
    let table = assert_no_disclosure(&[vec![1, 9], vec![0, 9], vec![2, 9]], Margins::ColumnsOnly, 5);
    assert_eq!(table.column_totals, Some(vec![Suppressed, Count(27)]), "column total 3");
}

#[test]
fn a_table_mostly_suppressed_says_so() {
    let table = protect(&[vec![1, 2, 0], vec![3, 9, 1]], Margins::Both, 5);
    assert!(table.mostly_suppressed);
    let table = protect(&[vec![1, 20, 30], vec![15, 9, 11], vec![0, 10, 12]], Margins::Both, 5);
    assert!(!table.mostly_suppressed);
}

#[test]
fn an_empty_table_publishes_an_empty_table() {
    let table = protect(&[], Margins::Both, 5);
    assert_eq!(table.cells, Vec::<Vec<Shown>>::new());
    assert_eq!(
        (table.row_totals, table.column_totals, table.total),
        (Some(vec![]), Some(vec![]), Some(Count(0)))
    );
    assert!(!table.mostly_suppressed);
    let table = protect(&[vec![], vec![]], Margins::RowsOnly, 5);
    assert_eq!(table.row_totals, Some(vec![Count(0), Count(0)]));
    assert_eq!(protect_family(&[], &[], Margins::Both, 5), []);
}

#[test]
fn a_threshold_of_zero_or_one_suppresses_nothing() {
    for k in [0, 1] {
        let table = protect(&[vec![1, 2], vec![0, 3]], Margins::Both, k);
        assert_eq!(hidden_cells(&table), []);
        assert_eq!(table.total, Some(Count(6)));
    }
}

#[test]
fn ragged_rows_read_as_ending_in_zeros() {
    let table = protect(&[vec![7, 8, 9], vec![6]], Margins::RowsOnly, 5);
    assert_eq!(table.cells[1], [Count(6), Count(0), Count(0)]);
    assert_eq!(table.row_totals, Some(vec![Count(24), Count(6)]));
}

#[test]
fn the_six_month_report_cannot_be_subtracted_from_the_annual_one() {
    // The annual count of commune 0, group 0 is 7, the half-year one 6: one case in between.
    let half = vec![vec![6, 9, 8], vec![7, 9, 12], vec![6, 10, 11]];
    let rest = vec![vec![1, 9, 8], vec![7, 9, 12], vec![6, 10, 11]];
    let atoms = [half, rest];
    let tables = [vec![0], vec![0, 1]];
    let published = protect_family(&atoms, &tables, Margins::Both, 5);
    assert_eq!(published.len(), 2);
    assert_eq!(published[1].cells[0][0], Suppressed);
    assert_eq!(hidden_cells(&published[0]), hidden_cells(&published[1]), "one common mask");
    assert_eq!(attack(&atoms, &tables, Margins::Both, 5, 0, &published), []);
}

#[test]
fn the_attacker_recovers_a_lone_hidden_cell_from_its_row_total() {
    let counts = [vec![3, 10], vec![10, 10]];
    let mut table = protect(&counts, Margins::Both, 1);
    assert_eq!(hidden_cells(&table), []);
    table.cells[0][0] = Suppressed;
    let found = attack(&[counts.to_vec()], &[vec![0]], Margins::Both, 5, 1, &[table]);
    assert!(found.contains(&Disclosure::Published { table: 0, at: (0, 0), value: 3 }), "{found:?}");
    assert!(found.contains(&Disclosure::Atom { atom: 0, at: (0, 0), value: 3 }), "{found:?}");
}

#[test]
fn the_attacker_uses_the_lower_bound_of_one_on_a_hidden_count() {
    // The two hidden counts sum to 11 - 9 = 2: at least 1 each, they can only be 1 and 1.
    let counts = [vec![1, 1, 9]];
    let mut table = protect(&counts, Margins::RowsOnly, 1);
    table.cells[0][0] = Suppressed;
    table.cells[0][1] = Suppressed;
    let found = attack(&[counts.to_vec()], &[vec![0]], Margins::RowsOnly, 5, 1, std::slice::from_ref(&table));
    assert!(found.contains(&Disclosure::Published { table: 0, at: (0, 0), value: 1 }), "{found:?}");
    let found = attack(&[counts.to_vec()], &[vec![0]], Margins::RowsOnly, 5, 0, &[table]);
    assert_eq!(found, [], "without the bound 0 + 2 is possible");
}

#[test]
fn the_attacker_accepts_a_hidden_rectangle_it_cannot_resolve() {
    let counts = [vec![3, 10], vec![10, 10]];
    let mut table = protect(&counts, Margins::Both, 1);
    for row in &mut table.cells {
        row.fill(Suppressed);
    }
    assert_eq!(attack(&[counts.to_vec()], &[vec![0]], Margins::Both, 5, 1, &[table]), []);
}

#[test]
fn a_75_by_5_table_of_small_counts_is_protected() {
    // Communes by age groups: most counts are small, the worst case for the search.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % 12
    };
    let counts: Vec<Vec<u64>> = (0..75).map(|_| (0..5).map(|_| next()).collect()).collect();
    let table = protect(&counts, Margins::Both, DEFAULT_THRESHOLD);
    assert_eq!(table.cells.len(), 75);
    for (r, row) in counts.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            assert!(!(1..5).contains(&v) || table.cells[r][c] == Suppressed);
        }
    }
}

#[test]
fn huge_counts_saturate_instead_of_overflowing() {
    let table = protect(&[vec![u64::MAX, u64::MAX], vec![1, u64::MAX]], Margins::Both, 5);
    assert!(matches!(table.total, Some(Suppressed | Count(u64::MAX))), "{table:?}");
    assert_eq!(table.cells[1][0], Suppressed);
}

#[test]
fn the_number_of_cases_stays_shown_when_another_figure_can_be_hidden_instead() {
    let table = assert_no_disclosure(&[vec![3], vec![7], vec![9]], Margins::ColumnsOnly, 5);
    assert_eq!(table.column_totals, Some(vec![Count(19)]));
    assert_eq!(table.cells, [[Suppressed], [Suppressed], [Count(9)]]);
}

#[test]
fn two_lone_cases_in_two_columns_hide_the_total_since_nothing_else_can_protect_them() {
    // Two cases, one in each column: with the total shown, each hidden cell is 1.
    let table = assert_no_disclosure(&[vec![1, 1]], Margins::Both, 2);
    assert_eq!(table.total, Some(Suppressed));
    assert!(hides_total(&[vec![1, 1]], Margins::Both, 2));
    assert!(!hides_total(&[vec![3], vec![7], vec![9]], Margins::ColumnsOnly, 5));
}

#[test]
fn a_total_hidden_in_one_table_of_a_piece_is_hidden_in_another_that_did_not_need_it() {
    let table = protect_hiding_total(&[vec![3], vec![7], vec![9]], Margins::ColumnsOnly, 5);
    assert_eq!(table.column_totals, Some(vec![Suppressed]));
    let pieces = [Piece { counts: &[vec![3], vec![7], vec![9]], hide_total: true }];
    assert_eq!(protect_pieces(&pieces, Margins::ColumnsOnly, 5).column_totals, Some(vec![Suppressed]));
}

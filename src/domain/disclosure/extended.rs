//! The extended table: cells and the totals around them as one (R+1) x (C+1) grid, because an
//! attacker uses a published total exactly like a cell, and a suppressed total must be protected
//! like a suppressed cell. Row R holds the column totals, column C the row totals, (R, C) the
//! grand total; a position exists only if the margins publish it.

use super::{Margins, Protected, Shown};

#[derive(Debug)]
pub(super) struct Family {
    /// Inner rows R and columns C.
    pub rows: usize,
    pub cols: usize,
    pub margins: Margins,
    /// Value of each atom at each position of the extended grid (totals saturate at u64::MAX).
    pub atoms: Vec<Vec<u64>>,
    /// Atoms of each published table, without repeats or unknown atoms.
    pub members: Vec<Vec<usize>>,
    /// Published value of each table at each position.
    pub tables: Vec<Vec<u64>>,
    /// What the attacker knows of a suppressed published value. With a single table the engine
    /// never suppresses a zero, so a suppressed value is known to be at least 1; in a family a
    /// common mask may hide a zero of one table (another table was small there), so only 0.
    pub lower_bound: u64,
}

impl Family {
    pub fn new(atoms: &[Vec<Vec<u64>>], tables: &[Vec<usize>], margins: Margins) -> Family {
        let rows = atoms.iter().map(Vec::len).max().unwrap_or(0);
        let cols = atoms.iter().flatten().map(Vec::len).max().unwrap_or(0);
        let width = cols + 1;
        let extend = |counts: &Vec<Vec<u64>>| {
            let mut grid = vec![0u64; (rows + 1) * width];
            for (r, row) in counts.iter().enumerate() {
                for (c, &v) in row.iter().enumerate() {
                    grid[r * width + c] = v;
                    grid[r * width + cols] = grid[r * width + cols].saturating_add(v);
                    grid[rows * width + c] = grid[rows * width + c].saturating_add(v);
                    grid[rows * width + cols] = grid[rows * width + cols].saturating_add(v);
                }
            }
            grid
        };
        let atoms: Vec<Vec<u64>> = atoms.iter().map(extend).collect();
        let members: Vec<Vec<usize>> = tables
            .iter()
            .map(|list| {
                let mut list: Vec<usize> = list.iter().copied().filter(|&a| a < atoms.len()).collect();
                list.sort_unstable();
                list.dedup();
                list
            })
            .collect();
        let tables = members
            .iter()
            .map(|list| {
                (0..(rows + 1) * width)
                    .map(|p| list.iter().fold(0u64, |sum, &a| sum.saturating_add(atoms[a][p])))
                    .collect()
            })
            .collect();
        let lower_bound = if members.len() == 1 { 1 } else { 0 };
        Family { rows, cols, margins, atoms, members, tables, lower_bound }
    }

    /// The table's own total (the grand total, or the one total of a one-column or
    /// one-row list): the number of cases, which the reports publish in several
    /// tables at once. It is hidden when it is small, never to protect another
    /// position, or one table would hide what another shows.
    pub fn headline(&self) -> Option<(usize, usize)> {
        match self.margins {
            Margins::Both => Some((self.rows, self.cols)),
            Margins::ColumnsOnly if self.cols == 1 => Some((self.rows, 0)),
            Margins::RowsOnly if self.rows == 1 => Some((0, self.cols)),
            _ => None,
        }
    }

    pub fn single_table(&self) -> bool {
        self.tables.len() == 1
    }

    pub fn len(&self) -> usize {
        (self.rows + 1) * (self.cols + 1)
    }

    pub fn pos(&self, r: usize, c: usize) -> usize {
        r * (self.cols + 1) + c
    }

    pub fn exists(&self, r: usize, c: usize) -> bool {
        match (r < self.rows, c < self.cols) {
            (true, true) => true,
            (true, false) => self.margins.publishes_row_totals(),
            (false, true) => self.margins.publishes_column_totals(),
            (false, false) => self.margins.publishes_grand_total(),
        }
    }

    /// Existing positions, row by row.
    pub fn positions(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..=self.rows)
            .flat_map(move |r| (0..=self.cols).map(move |c| (r, c)))
            .filter(|&(r, c)| self.exists(r, c))
    }

    /// Whether the attacker knows an equation along row r (cells minus row total, or column
    /// totals minus grand total for the totals row).
    pub fn row_constrained(&self, r: usize) -> bool {
        if r < self.rows { self.margins.publishes_row_totals() } else { self.margins.publishes_grand_total() }
    }

    pub fn col_constrained(&self, c: usize) -> bool {
        if c < self.cols {
            self.margins.publishes_column_totals()
        } else {
            self.margins.publishes_grand_total()
        }
    }

    /// s_r * t_c: with it every equation becomes "the signed values along a line sum to zero",
    /// so a change that keeps the equations alternates along a cycle or a path.
    pub fn sign(&self, r: usize, c: usize) -> i64 {
        if (r == self.rows) == (c == self.cols) { 1 } else { -1 }
    }

    /// Atoms that some table publishes; the others are nobody's business here.
    pub fn published_atoms(&self) -> Vec<usize> {
        let mut atoms: Vec<usize> = self.members.iter().flatten().copied().collect();
        atoms.sort_unstable();
        atoms.dedup();
        atoms
    }

    pub fn publish(&self, t: usize, mask: &[bool]) -> Protected {
        let values = &self.tables[t];
        let shown = |r: usize, c: usize| {
            let p = self.pos(r, c);
            if mask[p] { Shown::Suppressed } else { Shown::Count(values[p]) }
        };
        let cells: Vec<Vec<Shown>> =
            (0..self.rows).map(|r| (0..self.cols).map(|c| shown(r, c)).collect()).collect();
        let non_zero = (0..self.rows)
            .flat_map(|r| (0..self.cols).map(move |c| (r, c)))
            .filter(|&(r, c)| values[self.pos(r, c)] > 0);
        let (mut nonzero, mut hidden) = (0usize, 0usize);
        for (r, c) in non_zero {
            nonzero += 1;
            hidden += usize::from(mask[self.pos(r, c)]);
        }
        Protected {
            cells,
            row_totals: self
                .margins
                .publishes_row_totals()
                .then(|| (0..self.rows).map(|r| shown(r, self.cols)).collect()),
            column_totals: self
                .margins
                .publishes_column_totals()
                .then(|| (0..self.cols).map(|c| shown(self.rows, c)).collect()),
            total: self.margins.publishes_grand_total().then(|| shown(self.rows, self.cols)),
            mostly_suppressed: 2 * hidden > nonzero,
        }
    }
}

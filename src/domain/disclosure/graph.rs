//! Can one atom's value at a suppressed position p move by one, keeping everything published and
//! every bound the attacker knows? If it can, neither that atom's value nor any published value
//! there is determined.
//!
//! Rows and columns of the extended table are nodes, suppressed positions are edges. After the
//! sign change of `Family::sign` every equation says "the values along this node sum to zero",
//! so a change of the suppressed values that keeps every equation is, at its simplest, +1/-1
//! alternating along a cycle, or along a path whose two ends carry no equation. Fixing the
//! signed change `delta` on p = (r, c), every other edge's sign follows from the parity of its
//! distance to p, which in a bipartite graph is the side of the node the edge is left from:
//! walking away from p's column, an edge left from a column changes by -delta, one left from a
//! row by +delta. Those walks are the directed graph G(delta); the walks away from p's row are
//! G(-delta). An edge is usable in a direction unless that direction decreases a value that may
//! not go down.
//!
//! The two half-paths from p's ends need not be searched node-disjoint: if the half-path from
//! the column meets the row, or the two meet anywhere, the first meeting closes an alternating
//! cycle through p (the parities agree at the meeting node because the graph is bipartite); if
//! they never meet they form an open path. Either way the edges found carry a feasible change.

use super::extended::Family;

pub(super) struct Search<'a> {
    family: &'a Family,
    mask: &'a [bool],
    /// Whether the atom under test may go down by one at each position: it is at least 1 and
    /// every table holding it stays above the attacker's lower bound.
    decreasable: &'a [bool],
    /// The suppressed position under test.
    r: usize,
    c: usize,
}

impl<'a> Search<'a> {
    pub fn new(family: &'a Family, mask: &'a [bool], decreasable: &'a [bool], r: usize, c: usize) -> Self {
        Search { family, mask, decreasable, r, c }
    }

    /// Whether the atom's value at p can move.
    pub fn protected(&self) -> bool {
        [1i64, -1].into_iter().any(|delta| {
            if !self.p_can_move(delta) {
                return false;
            }
            let from_col = self.reach(self.col(self.c), delta, true);
            from_col[self.r]
                || (self.any_open_end(&from_col) && self.any_open_end(&self.reach(self.r, -delta, true)))
        })
    }

    /// Whether p itself may take the signed change `delta`.
    pub fn p_can_move(&self, delta: i64) -> bool {
        delta * self.family.sign(self.r, self.c) > 0 || self.decreasable[self.family.pos(self.r, self.c)]
    }

    /// Whether G(delta) may hold the arc along position (x, y), x a row and y a column, left from
    /// the row (or from the column), were that position suppressed.
    pub fn usable(&self, x: usize, y: usize, from_row: bool, delta: i64) -> bool {
        let q = self.family.pos(x, y);
        let step = if from_row { delta } else { -delta };
        (x, y) != (self.r, self.c) && (step * self.family.sign(x, y) > 0 || self.decreasable[q])
    }

    /// Whether the rectangle of p and corner (r2, c2) alone, once suppressed, is an alternating
    /// cycle along which the atom may change.
    pub fn rectangle_moves(&self, r2: usize, c2: usize) -> bool {
        let (r, c) = (self.r, self.c);
        [1i64, -1].into_iter().any(|d| {
            self.p_can_move(d)
                && self.usable(r2, c, false, d)
                && self.usable(r2, c2, true, d)
                && self.usable(r, c2, false, d)
        })
    }

    fn arc(&self, x: usize, y: usize, from_row: bool, delta: i64) -> bool {
        self.mask[self.family.pos(x, y)] && self.usable(x, y, from_row, delta)
    }

    /// Node id of column y (rows come first).
    pub fn col(&self, y: usize) -> usize {
        self.family.rows + 1 + y
    }

    pub fn nodes(&self) -> usize {
        self.family.rows + self.family.cols + 2
    }

    pub fn open_end(&self, node: usize) -> bool {
        match node.checked_sub(self.family.rows + 1) {
            None => !self.family.row_constrained(node),
            Some(y) => !self.family.col_constrained(y),
        }
    }

    pub fn any_open_end(&self, set: &[bool]) -> bool {
        set.iter().enumerate().any(|(node, &inside)| inside && self.open_end(node))
    }

    /// The nodes reachable in G(delta) from `start` (forward), or from which `start` is
    /// reachable (backward); `start` is a node id or, as `usize::MAX`, every open end.
    pub fn reach(&self, start: usize, delta: i64, forward: bool) -> Vec<bool> {
        let rows = self.family.rows + 1;
        let mut seen = vec![false; self.nodes()];
        let mut stack: Vec<usize> = if start == usize::MAX {
            (0..self.nodes()).filter(|&n| self.open_end(n)).collect()
        } else {
            vec![start]
        };
        for &node in &stack {
            seen[node] = true;
        }
        while let Some(node) = stack.pop() {
            if node < rows {
                // Forward the arc is left from this row; backward it is left from the column.
                for y in (0..=self.family.cols).filter(|&y| self.arc(node, y, forward, delta)) {
                    let next = self.col(y);
                    if !seen[next] {
                        seen[next] = true;
                        stack.push(next);
                    }
                }
            } else {
                let y = node - rows;
                for x in (0..rows).filter(|&x| self.arc(x, y, !forward, delta)) {
                    if !seen[x] {
                        seen[x] = true;
                        stack.push(x);
                    }
                }
            }
        }
        seen
    }
}

/// What one more suppressed position would do for p: reachability in the present graph,
/// computed once, answers exactly for every single new edge (a simple path uses it once).
pub(super) struct Frontier<'a> {
    search: &'a Search<'a>,
    sides: Vec<Side>,
}

/// For one `delta` that p may take.
struct Side {
    delta: i64,
    /// Forward from p's column in G(delta), and backward to p's row and to open ends.
    from_col: Vec<bool>,
    to_row: Vec<bool>,
    to_open: Vec<bool>,
    /// Forward from p's row in G(-delta), and backward to open ends.
    from_row: Vec<bool>,
    to_open_back: Vec<bool>,
}

impl<'a> Frontier<'a> {
    pub fn new(search: &'a Search<'a>) -> Self {
        let sides = [1i64, -1]
            .into_iter()
            .filter(|&delta| search.p_can_move(delta))
            .map(|delta| Side {
                delta,
                from_col: search.reach(search.col(search.c), delta, true),
                to_row: search.reach(search.r, delta, false),
                to_open: search.reach(usize::MAX, delta, false),
                from_row: search.reach(search.r, -delta, true),
                to_open_back: search.reach(usize::MAX, -delta, false),
            })
            .collect();
        Frontier { search, sides }
    }

    /// Whether suppressing position (x, y) too protects p.
    pub fn protected_with(&self, x: usize, y: usize) -> bool {
        let s = self.search;
        let col = s.col(y);
        // Does G(delta) plus the new arcs lead from `from` into `to`?
        let joins = |delta: i64, from: &[bool], to: &[bool]| {
            (from[x] && to[col] && s.usable(x, y, true, delta))
                || (from[col] && to[x] && s.usable(x, y, false, delta))
        };
        self.sides.iter().any(|side| {
            let d = side.delta;
            side.from_col[s.r]
                || joins(d, &side.from_col, &side.to_row)
                || ((s.any_open_end(&side.from_col) || joins(d, &side.from_col, &side.to_open))
                    && (s.any_open_end(&side.from_row) || joins(-d, &side.from_row, &side.to_open_back)))
        })
    }
}

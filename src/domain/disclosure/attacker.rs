//! An attacker that shares nothing with the engine but the published tables: every atom's value
//! and every table's value at every published position is an integer unknown, everything
//! published is an equation or a bound, and a depth-first search with bound propagation looks
//! for a solution in which a hidden value differs from the truth. If none exists, the value is
//! disclosed.

use std::cell::RefCell;

use super::{Margins, Protected, Shown};

/// A value the attacker pins down: (row, column) of the extended table, column C being the row
/// totals and row R the column totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disclosure {
    Published {
        table: usize,
        at: (usize, usize),
        value: i64,
    },
    Atom {
        atom: usize,
        at: (usize, usize),
        value: i64,
    },
    /// The search gave up: counted as disclosed, so that the test fails rather than passes.
    Undecided(Box<Disclosure>),
}

/// Search nodes after which a value is reported as undecided: the test then fails rather than
/// waits, and a slow proof shows up as a failure to look into.
const NODE_LIMIT: u64 = 1_000_000;

/// The sum of the unknowns with a plus sign minus those with a minus sign equals the right-hand
/// side.
#[derive(Debug, Clone)]
struct Constraint {
    plus: Vec<usize>,
    minus: Vec<usize>,
    rhs: i64,
}

struct Problem {
    constraints: Vec<Constraint>,
    /// Constraints each unknown appears in.
    watch: Vec<Vec<usize>>,
    /// How often each constraint failed: unknowns of often failing constraints are decided
    /// first (dom/wdeg), which keeps the search from thrashing on the same conflict.
    weight: RefCell<Vec<u64>>,
}

enum Verdict {
    Moves(Vec<i64>),
    Pinned,
    Undecided,
}

enum Outcome {
    Found(Vec<i64>),
    Infeasible,
    OutOfBudget,
}

/// The whole attack: every suppressed published value and every small atom value.
pub fn attack(
    atoms: &[Vec<Vec<u64>>],
    tables: &[Vec<usize>],
    margins: Margins,
    k: u64,
    lower_bound: u64,
    published: &[Protected],
) -> Vec<Disclosure> {
    let rows = atoms.first().map_or(0, Vec::len);
    let cols = atoms.first().and_then(|a| a.first()).map_or(0, Vec::len);
    let exists = |r: usize, c: usize| match (r < rows, c < cols) {
        (true, true) => true,
        (true, false) => matches!(margins, Margins::Both | Margins::RowsOnly),
        (false, true) => matches!(margins, Margins::Both | Margins::ColumnsOnly),
        (false, false) => margins == Margins::Both,
    };
    let positions: Vec<(usize, usize)> =
        (0..=rows).flat_map(|r| (0..=cols).map(move |c| (r, c))).filter(|&(r, c)| exists(r, c)).collect();
    let index = |at: (usize, usize)| positions.iter().position(|&q| q == at).expect("an existing position");
    // Unknowns: every atom at every position, then every table at every position.
    let atom = |a: usize, at: (usize, usize)| a * positions.len() + index(at);
    let table = |t: usize, at: (usize, usize)| (atoms.len() + t) * positions.len() + index(at);
    let count = (atoms.len() + tables.len()) * positions.len();

    let atom_truth = |a: usize, (r, c): (usize, usize)| -> i64 {
        let counts = &atoms[a];
        match (r < rows, c < cols) {
            (true, true) => counts[r][c] as i64,
            (true, false) => counts[r].iter().map(|&v| v as i64).sum(),
            (false, true) => counts.iter().map(|row| row[c] as i64).sum(),
            (false, false) => counts.iter().flatten().map(|&v| v as i64).sum(),
        }
    };
    let mut truth = vec![0i64; count];
    for &at in &positions {
        for a in 0..atoms.len() {
            truth[atom(a, at)] = atom_truth(a, at);
        }
        for (t, members) in tables.iter().enumerate() {
            truth[table(t, at)] = members.iter().map(|&a| atom_truth(a, at)).sum();
        }
    }

    let bound = (0..atoms.len()).map(|a| atom_truth(a, (rows, cols))).sum::<i64>() + 2;
    let (mut lo, mut hi) = (vec![0i64; count], vec![bound; count]);
    let mut constraints = Vec::new();
    // The equations of every atom's table, and (implied, but they make propagation see more)
    // those of every published table.
    for grid in 0..atoms.len() + tables.len() {
        let var = |at: (usize, usize)| grid * positions.len() + index(at);
        let mut line = |cells: Vec<(usize, usize)>, total: (usize, usize)| {
            let plus = cells.into_iter().map(var).collect();
            constraints.push(Constraint { plus, minus: vec![var(total)], rhs: 0 });
        };
        if exists(0, cols) {
            for r in 0..rows {
                line((0..cols).map(|c| (r, c)).collect(), (r, cols));
            }
        }
        if exists(rows, 0) {
            for c in 0..cols {
                line((0..rows).map(|r| (r, c)).collect(), (rows, c));
            }
        }
        if margins == Margins::Both {
            line((0..cols).map(|c| (rows, c)).collect(), (rows, cols));
            line((0..rows).map(|r| (r, cols)).collect(), (rows, cols));
        }
    }
    let shown = |protected: &Protected, (r, c): (usize, usize)| -> Shown {
        match (r < rows, c < cols) {
            (true, true) => protected.cells[r][c],
            (true, false) => protected.row_totals.as_ref().expect("row totals")[r],
            (false, true) => protected.column_totals.as_ref().expect("column totals")[c],
            (false, false) => protected.total.expect("a grand total"),
        }
    };
    let mut hidden = Vec::new();
    for (t, members) in tables.iter().enumerate() {
        for &at in &positions {
            let plus = members.iter().map(|&a| atom(a, at)).collect();
            constraints.push(Constraint { plus, minus: vec![table(t, at)], rhs: 0 });
            let u = table(t, at);
            match shown(&published[t], at) {
                Shown::Count(v) => (lo[u], hi[u]) = (v as i64, v as i64),
                Shown::Suppressed => {
                    lo[u] = lower_bound as i64;
                    hi[u] = bound * members.len() as i64;
                    hidden.push((Disclosure::Published { table: t, at, value: truth[u] }, u));
                }
            }
        }
    }
    for a in 0..atoms.len() {
        for &at in &positions {
            let value = truth[atom(a, at)];
            if (1..k as i64).contains(&value) {
                hidden.push((Disclosure::Atom { atom: a, at, value }, atom(a, at)));
            }
        }
    }

    let problem = Problem::new(constraints, count);
    assert!(problem.holds(&truth, &lo, &hi), "the truth must satisfy what is published");
    assert!(problem.propagate(&mut lo, &mut hi, None), "the truth is a solution");
    let mut solutions: Vec<Vec<i64>> = Vec::new();
    let mut disclosed = Vec::new();
    for (disclosure, u) in hidden {
        if solutions.iter().any(|x| x[u] != truth[u]) {
            continue;
        }
        match problem.differ(u, &lo, &hi, &truth) {
            Verdict::Moves(x) => solutions.push(x),
            Verdict::Pinned => disclosed.push(disclosure),
            Verdict::Undecided => disclosed.push(Disclosure::Undecided(Box::new(disclosure))),
        }
    }
    disclosed
}

impl Problem {
    fn new(constraints: Vec<Constraint>, count: usize) -> Problem {
        let mut watch = vec![Vec::new(); count];
        for (i, con) in constraints.iter().enumerate() {
            for &u in con.plus.iter().chain(&con.minus) {
                watch[u].push(i);
            }
        }
        let weight = RefCell::new(vec![1; constraints.len()]);
        Problem { constraints, watch, weight }
    }

    fn holds(&self, x: &[i64], lo: &[i64], hi: &[i64]) -> bool {
        (0..x.len()).all(|u| lo[u] <= x[u] && x[u] <= hi[u])
            && self.constraints.iter().all(|con| {
                con.plus.iter().map(|&u| x[u]).sum::<i64>() - con.minus.iter().map(|&u| x[u]).sum::<i64>()
                    == con.rhs
            })
    }

    /// Whether unknown u can be below or above the truth in some solution. Both sides are
    /// searched with a budget of search nodes that grows, so a value that can move one way is
    /// not held up by a long proof that it cannot move the other way.
    fn differ(&self, u: usize, lo: &[i64], hi: &[i64], truth: &[i64]) -> Verdict {
        let mut open: Vec<(Vec<i64>, Vec<i64>)> = Vec::new();
        if lo[u] < truth[u] {
            let mut below = hi.to_vec();
            below[u] = truth[u] - 1;
            open.push((lo.to_vec(), below));
        }
        if truth[u] < hi[u] {
            let mut above = lo.to_vec();
            above[u] = truth[u] + 1;
            open.push((above, hi.to_vec()));
        }
        let mut budget = 1_000u64;
        while !open.is_empty() {
            if budget > NODE_LIMIT {
                return Verdict::Undecided;
            }
            let mut unfinished = Vec::new();
            for (lo, hi) in open {
                let mut left = budget;
                match self.search(lo.clone(), hi.clone(), Some(u), truth, &mut left) {
                    Outcome::Found(x) => return Verdict::Moves(x),
                    Outcome::Infeasible => {}
                    Outcome::OutOfBudget => unfinished.push((lo, hi)),
                }
            }
            open = unfinished;
            budget *= 4;
        }
        Verdict::Pinned
    }

    /// Depth-first search, trying the truth's value first: an alternative solution usually
    /// differs from the truth on a few positions only.
    fn search(
        &self,
        mut lo: Vec<i64>,
        mut hi: Vec<i64>,
        changed: Option<usize>,
        guide: &[i64],
        budget: &mut u64,
    ) -> Outcome {
        if *budget == 0 {
            return Outcome::OutOfBudget;
        }
        *budget -= 1;
        if !self.propagate(&mut lo, &mut hi, changed) {
            return Outcome::Infeasible;
        }
        let Some(u) = self.choose(&lo, &hi) else {
            return Outcome::Found(lo);
        };
        let g = guide[u].clamp(lo[u], hi[u]);
        let mut branches = vec![(g, g)];
        if lo[u] < g {
            branches.push((lo[u], g - 1));
        }
        if g < hi[u] {
            branches.push((g + 1, hi[u]));
        }
        for (least, most) in branches {
            let (mut lo, mut hi) = (lo.clone(), hi.clone());
            lo[u] = least;
            hi[u] = most;
            match self.search(lo, hi, Some(u), guide, budget) {
                Outcome::Infeasible => {}
                found_or_out => return found_or_out,
            }
        }
        Outcome::Infeasible
    }

    /// The open unknown with the smallest domain per weight of failures around it.
    fn choose(&self, lo: &[i64], hi: &[i64]) -> Option<usize> {
        let weight = self.weight.borrow();
        let score = |u: usize| {
            let failures: u64 = self.watch[u].iter().map(|&i| weight[i]).sum();
            ((hi[u] - lo[u] + 1) as f64) / (failures.max(1) as f64)
        };
        (0..lo.len()).filter(|&u| lo[u] < hi[u]).min_by(|&a, &b| score(a).total_cmp(&score(b)))
    }

    /// Tightens the bounds of every unknown from the constraints until nothing changes, starting
    /// from the constraints of the unknown that changed (all of them if None); false if some
    /// constraint cannot hold.
    fn propagate(&self, lo: &mut [i64], hi: &mut [i64], changed: Option<usize>) -> bool {
        let mut queued = vec![false; self.constraints.len()];
        let mut queue: Vec<usize> = match changed {
            Some(u) => self.watch[u].clone(),
            None => (0..self.constraints.len()).collect(),
        };
        for &i in &queue {
            queued[i] = true;
        }
        while let Some(i) = queue.pop() {
            queued[i] = false;
            let Some(moved) = self.revise(i, lo, hi) else {
                self.weight.borrow_mut()[i] += 1;
                return false;
            };
            for u in moved {
                for &j in &self.watch[u] {
                    if !queued[j] {
                        queued[j] = true;
                        queue.push(j);
                    }
                }
            }
        }
        true
    }

    /// Bounds from one constraint: each unknown lies between the right-hand side minus the
    /// most and the least the others can add up to. The unknowns whose bounds moved, or None.
    fn revise(&self, i: usize, lo: &mut [i64], hi: &mut [i64]) -> Option<Vec<usize>> {
        let con = &self.constraints[i];
        let min =
            con.plus.iter().map(|&u| lo[u]).sum::<i64>() - con.minus.iter().map(|&u| hi[u]).sum::<i64>();
        let max =
            con.plus.iter().map(|&u| hi[u]).sum::<i64>() - con.minus.iter().map(|&u| lo[u]).sum::<i64>();
        if min > con.rhs || max < con.rhs {
            return None;
        }
        let mut moved = Vec::new();
        let (slack_up, slack_down) = (max - con.rhs, con.rhs - min);
        for &u in &con.plus {
            // u can be at most its least plus what the others can still give up, and so on.
            let (new_lo, new_hi) = (hi[u] - slack_up, lo[u] + slack_down);
            if new_lo > lo[u] || new_hi < hi[u] {
                lo[u] = lo[u].max(new_lo);
                hi[u] = hi[u].min(new_hi);
                if lo[u] > hi[u] {
                    return None;
                }
                moved.push(u);
            }
        }
        for &u in &con.minus {
            let (new_lo, new_hi) = (hi[u] - slack_down, lo[u] + slack_up);
            if new_lo > lo[u] || new_hi < hi[u] {
                lo[u] = lo[u].max(new_lo);
                hi[u] = hi[u].min(new_hi);
                if lo[u] > hi[u] {
                    return None;
                }
                moved.push(u);
            }
        }
        Some(moved)
    }
}

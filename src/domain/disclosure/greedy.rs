//! Which positions to suppress: the small ones, then, one unprotected suppressed position at a
//! time, the cheapest complement that protects it. Suppressing more never takes a protection
//! away (a change that was possible stays possible), so every position is checked once, when
//! it becomes suppressed, and the loop ends.

use std::collections::VecDeque;

use super::extended::Family;
use super::graph::{Frontier, Search};

/// The common suppression mask of the family, indexed like `Family::pos`; with
/// `hide_headline` the table's own total is hidden from the start.
pub(super) fn mask(family: &Family, k: u64, hide_headline: bool) -> Vec<bool> {
    let k = k.max(1);
    let small = |v: u64| (1..k).contains(&v);
    let atoms = family.published_atoms();
    let mut mask = vec![false; family.len()];
    let mut queue = VecDeque::new();
    for (r, c) in family.positions() {
        let p = family.pos(r, c);
        // An atom counts too: nested periods are subtracted to get it.
        let forced = hide_headline && family.headline() == Some((r, c));
        if forced
            || family.tables.iter().any(|t| small(t[p]))
            || atoms.iter().any(|&a| small(family.atoms[a][p]))
        {
            mask[p] = true;
            queue.push_back((r, c));
        }
    }
    let decreasable: Vec<Vec<bool>> = (0..family.atoms.len()).map(|a| decreasable(family, a)).collect();
    while let Some((r, c)) = queue.pop_front() {
        for &a in &atoms {
            if !Search::new(family, &mask, &decreasable[a], r, c).protected() {
                let added = complement(family, &decreasable[a], &mut mask, r, c);
                queue.extend(added);
            }
        }
    }
    mask
}

/// Where the atom may go down by one: it is at least 1 there and every table holding it stays
/// above the attacker's lower bound.
pub(super) fn decreasable(family: &Family, a: usize) -> Vec<bool> {
    let holders: Vec<&Vec<u64>> =
        family.members.iter().zip(&family.tables).filter(|(m, _)| m.contains(&a)).map(|(_, t)| t).collect();
    (0..family.len())
        .map(|p| family.atoms[a][p] >= 1 && holders.iter().all(|t| t[p] > family.lower_bound))
        .collect()
}

/// A set of up to three positions to add, with what it costs to hide them.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    /// Fewer new suppressions first, then less hidden information.
    count: usize,
    hidden: u128,
    positions: [(usize, usize); 3],
    /// For a rectangle with p, its corner opposite p.
    corner: Option<(usize, usize)>,
}

/// Suppresses more positions until the atom's value at (r, c) can move; returns those added.
fn complement(
    family: &Family,
    decreasable: &[bool],
    mask: &mut [bool],
    r: usize,
    c: usize,
) -> Vec<(usize, usize)> {
    // With one table a suppressed value is known to be at least 1, so a zero must stay shown.
    // The table's own total (the number of cases) is hidden only when nothing else will do.
    let may_hide_any = |mask: &[bool], (r, c): (usize, usize)| {
        family.exists(r, c)
            && !mask[family.pos(r, c)]
            && !(family.single_table() && family.tables[0][family.pos(r, c)] == 0)
    };
    let may_hide = |mask: &[bool], q: (usize, usize)| family.headline() != Some(q) && may_hide_any(mask, q);
    let hidden =
        |q: (usize, usize)| family.tables.iter().map(|t| u128::from(t[family.pos(q.0, q.1)])).sum::<u128>();
    let candidate = |new: &[(usize, usize)], corner| {
        let mut positions = [(usize::MAX, usize::MAX); 3];
        positions[..new.len()].copy_from_slice(new);
        Candidate { count: new.len(), hidden: new.iter().map(|&q| hidden(q)).sum(), positions, corner }
    };
    let mut candidates = Vec::new();
    let line = (0..=family.cols).map(|c2| (r, c2)).chain((0..=family.rows).map(|r2| (r2, c)));
    candidates.extend(line.filter(|&q| q != (r, c) && may_hide(mask, q)).map(|q| candidate(&[q], None)));
    for r2 in (0..=family.rows).filter(|&r2| r2 != r) {
        for c2 in (0..=family.cols).filter(|&c2| c2 != c) {
            let corners = [(r, c2), (r2, c), (r2, c2)];
            let usable = |q: (usize, usize)| mask[family.pos(q.0, q.1)] || may_hide(mask, q);
            if corners.iter().all(|&q| family.exists(q.0, q.1) && usable(q)) {
                let new: Vec<(usize, usize)> =
                    corners.into_iter().filter(|&q| !mask[family.pos(q.0, q.1)]).collect();
                if !new.is_empty() {
                    candidates.push(candidate(&new, Some((r2, c2))));
                }
            }
        }
    }
    candidates.sort_unstable();
    // The same new positions from another rectangle protect or fail alike.
    candidates.dedup_by(|later, earlier| later.positions == earlier.positions);
    let (singles, several) =
        candidates.split_at(candidates.iter().take_while(|cand| cand.count == 1).count());
    {
        let search = Search::new(family, mask, decreasable, r, c);
        let frontier = Frontier::new(&search);
        if let Some(cand) =
            singles.iter().find(|cand| frontier.protected_with(cand.positions[0].0, cand.positions[0].1))
        {
            let q = cand.positions[0];
            mask[family.pos(q.0, q.1)] = true;
            return vec![q];
        }
    }
    for cand in several {
        let new = &cand.positions[..cand.count];
        let cycle = cand
            .corner
            .is_some_and(|(r2, c2)| Search::new(family, mask, decreasable, r, c).rectangle_moves(r2, c2));
        set(family, mask, new, true);
        if cycle || Search::new(family, mask, decreasable, r, c).protected() {
            return new.to_vec();
        }
        set(family, mask, new, false);
    }
    // Always enough: every hidden value can then grow by one together with its row total, its
    // column total and the grand total (or with a cell of its line, for a total).
    let mut added = Vec::new();
    let whole_line: Vec<(usize, usize)> =
        (0..=family.cols).map(|c2| (r, c2)).chain((0..=family.rows).map(|r2| (r2, c))).collect();
    let headline: Vec<(usize, usize)> = family.headline().into_iter().collect();
    let fallbacks = [(whole_line, false), (family.positions().collect(), false), (headline, true)];
    for (fallback, headline_too) in fallbacks {
        let new: Vec<(usize, usize)> = fallback
            .into_iter()
            .filter(|&q| if headline_too { may_hide_any(mask, q) } else { may_hide(mask, q) })
            .collect();
        set(family, mask, &new, true);
        added.extend(new);
        if Search::new(family, mask, decreasable, r, c).protected() {
            break;
        }
    }
    added
}

fn set(family: &Family, mask: &mut [bool], positions: &[(usize, usize)], value: bool) {
    for &(r, c) in positions {
        mask[family.pos(r, c)] = value;
    }
}

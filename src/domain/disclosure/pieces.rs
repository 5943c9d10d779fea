//! Reports made of pieces of time. The annual report holds the 6-month one, so
//! anyone holding both can subtract them; and the 6-month report is published
//! months before the annual one exists. Each piece is therefore protected on its
//! own, and a published position is hidden wherever one of its pieces hides it.
//! What a report hides then depends only on its own pieces, never on when the
//! other report was made, and every hidden figure can still move: the piece that
//! hides it has a change that keeps all of that piece's published sums, and so
//! every sum of pieces (see the family property test).

use super::{Margins, Protected, Shown, protect, protect_hiding_total};

/// One piece of a report's period: its counts, and whether the number of cases
/// is hidden in it (because some table of the piece could not be protected
/// otherwise: then it is hidden in every table of the piece).
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub counts: &'a [Vec<u64>],
    pub hide_total: bool,
}

/// Whether protecting this table on its own hides its total, the number of cases.
pub fn hides_total(counts: &[Vec<u64>], margins: Margins, k: u64) -> bool {
    total_hidden(&protect(counts, margins, k), margins)
}

/// Whether a protected table hides its total, the number of cases.
pub fn total_hidden(shown: &Protected, margins: Margins) -> bool {
    let total = match margins {
        Margins::Both => shown.total,
        Margins::ColumnsOnly if shown.cells.first().is_some_and(|r| r.len() == 1) => {
            shown.column_totals.as_ref().and_then(|t| t.first().copied())
        }
        _ => None,
    };
    total == Some(Shown::Suppressed)
}

/// One piece protected on its own.
pub fn protect_piece(piece: Piece<'_>, margins: Margins, k: u64) -> Protected {
    if piece.hide_total {
        protect_hiding_total(piece.counts, margins, k)
    } else {
        protect(piece.counts, margins, k)
    }
}

/// Disclosure control of a table that is the sum of `pieces` (counts of the same
/// shape, each a disjoint piece of the period).
pub fn protect_pieces(pieces: &[Piece<'_>], margins: Margins, k: u64) -> Protected {
    let protected: Vec<(&[Vec<u64>], Protected)> =
        pieces.iter().map(|p| (p.counts, protect_piece(*p, margins, k))).collect();
    combine(&protected, margins)
}

/// The sum of pieces already protected on their own: a position is hidden
/// wherever one of them hides it.
pub fn combine(pieces: &[(&[Vec<u64>], Protected)], margins: Margins) -> Protected {
    let rows = pieces.iter().map(|(counts, _)| counts.len()).max().unwrap_or(0);
    let columns = pieces.iter().flat_map(|(counts, _)| counts.iter().map(Vec::len)).max().unwrap_or(0);
    let mut sum = vec![vec![0u64; columns]; rows];
    for (counts, _) in pieces {
        for (r, row) in counts.iter().enumerate() {
            for (c, n) in row.iter().enumerate() {
                sum[r][c] += n;
            }
        }
    }
    let mut published = protect(&sum, margins, 0);
    for (_, hidden) in pieces {
        hide(&mut published.cells, &hidden.cells);
        if let (Some(out), Some(h)) = (published.row_totals.as_mut(), hidden.row_totals.as_ref()) {
            hide_line(out, h);
        }
        if let (Some(out), Some(h)) = (published.column_totals.as_mut(), hidden.column_totals.as_ref()) {
            hide_line(out, h);
        }
        if let (Some(out), Some(Shown::Suppressed)) = (published.total.as_mut(), hidden.total) {
            *out = Shown::Suppressed;
        }
    }
    let nonzero: Vec<Shown> = published
        .cells
        .iter()
        .flatten()
        .zip(sum.iter().flatten())
        .filter(|(_, n)| **n > 0)
        .map(|(s, _)| *s)
        .collect();
    let hidden = nonzero.iter().filter(|s| **s == Shown::Suppressed).count();
    published.mostly_suppressed = hidden * 2 > nonzero.len();
    published
}

fn hide(out: &mut [Vec<Shown>], hidden: &[Vec<Shown>]) {
    for (row, h) in out.iter_mut().zip(hidden) {
        hide_line(row, h);
    }
}

fn hide_line(out: &mut [Shown], hidden: &[Shown]) {
    for (o, h) in out.iter_mut().zip(hidden) {
        if *h == Shown::Suppressed {
            *o = Shown::Suppressed;
        }
    }
}

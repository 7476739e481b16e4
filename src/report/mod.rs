//! Report: renders diagnostics for people and machines. Formats only; the
//! caller decides where the text goes.

pub mod analysis;
pub mod baseline;
pub(crate) mod chart;
pub mod fingerprint;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod rules;
pub mod sarif;
pub mod suppressions;
pub mod text;

/// Writes pieces of a JSON array serialised in parallel, each a run of
/// elements that starts with a comma; the first element of the array
/// (`*first` still set) has none.
pub(crate) fn write_pieces<W: std::io::Write + ?Sized>(
    out: &mut W,
    first: &mut bool,
    pieces: Vec<std::io::Result<Vec<u8>>>,
) -> std::io::Result<()> {
    for piece in pieces {
        let piece = piece?;
        let piece = if *first { piece.get(1..).unwrap_or_default() } else { piece.as_slice() };
        *first &= piece.is_empty();
        out.write_all(piece)?;
    }
    Ok(())
}

/// Computes the figures that are computed on first use (the staffing plans,
/// the demand headroom, the plans at grown demand) for every team, in
/// parallel, before a renderer reads them one team after another.
pub(crate) fn compute_figures(reports: &[crate::FileReport]) {
    use rayon::prelude::*;
    let figures: Vec<&crate::analysis::TeamFigures> = reports.iter().flat_map(|r| r.figures()).collect();
    figures.par_iter().for_each(|f| {
        for queue in [&f.planned, &f.honest].into_iter().flatten() {
            let _ = queue.plan();
        }
        let _ = f.headroom();
        let _ = f.plans_at_demand();
    });
}

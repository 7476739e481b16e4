//! SVG line charts for the planner's report (`html.rs`): a figure against
//! scheduled agents, with reference lines (a target, a ceiling) and
//! vertical markers (today's staffing, the plans). No IO, no plotting
//! crate: the charts are a few lines and labels, drawn here so that every
//! coordinate is ours to test and the output is the same byte for byte.
//!
//! What a planner reads without a legend hunt: every line is labelled at
//! its right end (labels moved apart when they would overlap, a leader in
//! the line's own style joining each to its line), every marker at its top,
//! both axes carry their unit. Lines differ by colour (the Okabe-Ito
//! palette, safe for colour-blind readers) and also by dash pattern and
//! marker shape, so they stay apart in greyscale print. Each chart is a
//! `role="img"` with a `<title>` and a `<desc>` of its key figures.
//!
//! All text is escaped here ([`escape`]); the caller passes plain text.

use std::fmt::Write as _;

use crate::escape::markup as escape;

/// Width of the chart in SVG user units.
pub const WIDTH: f64 = 440.0;
/// Height of the chart in SVG user units.
pub const HEIGHT: f64 = 270.0;
const LEFT: f64 = 48.0;
const RIGHT_MARGIN: f64 = 116.0;
const BOTTOM_MARGIN: f64 = 42.0;
const ROW: f64 = 14.0;
/// Rough width of a character at the chart's font size, for placing labels.
const CHAR_WIDTH: f64 = 7.0;
/// Least vertical distance between two line labels.
const LABEL_GAP: f64 = 15.0;

/// What the vertical axis measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share, drawn as a percentage (values are fractions of one).
    Percent,
    /// A wait, in seconds.
    Seconds,
}

impl Unit {
    /// A value of this unit as a tick label: `80%`, `12.5%`, `45s`, `1m30s`.
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Percent => percent(value),
            Unit::Seconds => duration(value),
        }
    }
}

/// A share as a percentage with at most one decimal: `80%`, `12.5%`.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 0.05 { format!("{p:.0}%") } else { format!("{p:.1}%") }
}

/// Seconds as the policy language writes them: `45s`, `2m`, `1m30s`,
/// `1h15m`; below 10s with one decimal.
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "-".into();
    }
    if seconds < 10.0 && (seconds - seconds.round()).abs() >= 0.05 {
        return format!("{seconds:.1}s");
    }
    let s = seconds.round() as u64;
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    match (h, m, sec) {
        (0, 0, sec) => format!("{sec}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, sec) => format!("{m}m{sec}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The figure at the planned handle time: blue, solid.
    Planned,
    /// The figure at the honest handle time: vermillion, dashed.
    Honest,
}

impl Style {
    fn class(self) -> &'static str {
        match self {
            Style::Planned => "planned",
            Style::Honest => "honest",
        }
    }

    fn stroke(self) -> &'static str {
        match self {
            Style::Planned => r##"stroke="#0072B2" stroke-width="2.5""##,
            Style::Honest => r##"stroke="#D55E00" stroke-width="2.5" stroke-dasharray="8 4""##,
        }
    }
}

/// One line of the chart: a figure at each sampled staffing.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its label at the line's end (`planned 3m`).
    pub label: String,
    /// How it is drawn.
    pub style: Style,
    /// Scheduled agents and the figure there; `None` leaves a gap (no
    /// figure: an unstable queue's answer time).
    pub points: Vec<(u64, Option<f64>)>,
}

impl Series {
    /// The figure at exactly `agents`, when the series has it.
    pub fn at(&self, agents: u64) -> Option<f64> {
        self.points.iter().find(|(n, _)| *n == agents).and_then(|(_, v)| *v)
    }
}

/// A horizontal reference line: a target or a ceiling.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Its label at the line's end (`target 80%`).
    pub label: String,
    /// Where it is, in the chart's unit.
    pub value: f64,
}

/// What a vertical marker marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkerKind {
    /// Today's scheduled agents: black, solid, circles.
    Today,
    /// The staffing plan at the planned handle time: bluish green, dashed,
    /// diamonds.
    Plan,
    /// The plan at the honest handle time: reddish purple, dash-dotted,
    /// squares.
    HonestPlan,
}

impl MarkerKind {
    /// The name used in classes and `data-marker`.
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerKind::Today => "today",
            MarkerKind::Plan => "plan",
            MarkerKind::HonestPlan => "honest-plan",
        }
    }

    fn stroke(self) -> &'static str {
        match self {
            MarkerKind::Today => r##"stroke="#000000" stroke-width="1.5""##,
            MarkerKind::Plan => r##"stroke="#009E73" stroke-width="2" stroke-dasharray="6 3""##,
            MarkerKind::HonestPlan => r##"stroke="#CC79A7" stroke-width="2" stroke-dasharray="6 2 2 2""##,
        }
    }

    fn color(self) -> &'static str {
        match self {
            MarkerKind::Today => "#000000",
            MarkerKind::Plan => "#009E73",
            MarkerKind::HonestPlan => "#CC79A7",
        }
    }

    /// The shape drawn where the marker meets a line, centred on `(x, y)`.
    fn symbol(self, x: f64, y: f64) -> String {
        let style = format!(r##"fill="#ffffff" stroke="{}" stroke-width="2""##, self.color());
        match self {
            MarkerKind::Today => format!(r#"<circle cx="{}" cy="{}" r="4" {style}/>"#, f(x), f(y)),
            MarkerKind::Plan => format!(r#"<path d="M{} {}l5 5l-5 5l-5 -5z" {style}/>"#, f(x), f(y - 5.0),),
            MarkerKind::HonestPlan => {
                format!(r#"<rect x="{}" y="{}" width="8" height="8" {style}/>"#, f(x - 4.0), f(y - 4.0))
            }
        }
    }
}

/// A vertical marker at a number of scheduled agents.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// What it marks.
    pub kind: MarkerKind,
    /// Where: scheduled agents.
    pub agents: u64,
    /// Its label above the chart (`today 42`).
    pub label: String,
}

/// A chart of one figure against scheduled agents.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// A prefix for the ids inside the chart, unique in the page (letters,
    /// digits and `-` only).
    pub id: String,
    /// What the chart shows, for `data-chart` (`service-level`).
    pub kind: &'static str,
    /// The chart's `<title>`.
    pub title: String,
    /// The chart's `<desc>`: a sentence with the key figures.
    pub description: String,
    /// Above the vertical axis: what it measures, with its unit.
    pub y_title: String,
    /// The vertical axis's unit.
    pub unit: Unit,
    /// The largest value the vertical axis must show (it is rounded up to
    /// a tick); values above it leave the chart at the top.
    pub y_max: f64,
    /// The scheduled agents at the left and right ends.
    pub x_range: (u64, u64),
    /// The lines.
    pub series: Vec<Series>,
    /// The targets and ceilings.
    pub references: Vec<Reference>,
    /// Today's staffing and the plans.
    pub markers: Vec<Marker>,
}

/// A coordinate with one decimal, `-0.0` written as `0.0`.
fn f(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".into() } else { s }
}

/// A tick step of about `span / count`: 1, 2 or 5 times a power of ten,
/// and for seconds also 15s, 30s, the minutes and hours people count in.
fn step(span: f64, count: f64, unit: Option<Unit>) -> f64 {
    let raw = (span / count).max(f64::MIN_POSITIVE);
    if unit == Some(Unit::Seconds) {
        const STEPS: [f64; 16] =
            [1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0];
        if let Some(s) = STEPS.iter().find(|&&s| s >= raw) {
            return *s;
        }
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let scaled = raw / magnitude;
    let nice = if scaled <= 1.0 {
        1.0
    } else if scaled <= 2.0 {
        2.0
    } else if scaled <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Where the plot sits in the chart.
struct Frame {
    top: f64,
    bottom: f64,
    left: f64,
    right: f64,
    x_range: (u64, u64),
    y_max: f64,
}

impl Frame {
    fn x(&self, agents: u64) -> f64 {
        let (lo, hi) = self.x_range;
        let span = (hi - lo).max(1) as f64;
        self.left + (agents.saturating_sub(lo)) as f64 / span * (self.right - self.left)
    }

    /// The height of `value`, kept within a band around the plot so that a
    /// huge value stays a finite coordinate (the clip path cuts it).
    fn y(&self, value: f64) -> f64 {
        let share = if self.y_max > 0.0 { value / self.y_max } else { 0.0 };
        let y = self.bottom - share * (self.bottom - self.top);
        y.clamp(self.top - 40.0, self.bottom + 40.0)
    }
}

/// Places labels of the given widths centred at the given x positions in
/// rows, each in the lowest row where it overlaps no other; returns each
/// label's row and centre, and the number of rows.
fn rows(labels: &[(f64, f64)], min_x: f64, max_x: f64) -> (Vec<(usize, f64)>, usize) {
    let mut placed: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut out = Vec::with_capacity(labels.len());
    for &(x, width) in labels {
        let half = width / 2.0;
        let centre = x.clamp(min_x + half, (max_x - half).max(min_x + half));
        let (from, to) = (centre - half - 4.0, centre + half + 4.0);
        let row = placed.iter().position(|row| row.iter().all(|&(a, b)| to <= a || from >= b));
        let row = match row {
            Some(r) => r,
            None => {
                placed.push(Vec::new());
                placed.len() - 1
            }
        };
        if let Some(r) = placed.get_mut(row) {
            r.push((from, to));
        }
        out.push((row, centre));
    }
    let count = placed.len();
    (out, count)
}

/// Moves `wanted` heights apart so that neighbours are at least
/// [`LABEL_GAP`] apart, within `top..=bottom`, keeping their order.
fn dodge(wanted: &[f64], top: f64, bottom: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted.get(a).partial_cmp(&wanted.get(b)).unwrap_or(std::cmp::Ordering::Equal));
    let mut ys: Vec<f64> = order.iter().map(|&i| wanted.get(i).copied().unwrap_or(top).clamp(top, bottom)).collect();
    let mut floor = f64::NEG_INFINITY;
    for y in ys.iter_mut() {
        *y = y.max(floor);
        floor = *y + LABEL_GAP;
    }
    // Pushed past the bottom: move the run back up.
    let mut limit = bottom;
    for y in ys.iter_mut().rev() {
        *y = y.min(limit);
        limit = *y - LABEL_GAP;
    }
    let mut out = vec![top; wanted.len()];
    for (&i, y) in order.iter().zip(ys) {
        if let Some(slot) = out.get_mut(i) {
            *slot = y;
        }
    }
    out
}

/// The chart as an SVG element, to be placed in an HTML page.
pub fn svg(chart: &Chart) -> String {
    let id = &chart.id;
    let (lo, hi) = chart.x_range;
    let (lo, hi) = (lo.min(hi), lo.max(hi).max(lo.min(hi).saturating_add(1)));
    let y_step = match chart.unit {
        Unit::Percent => step(chart.y_max.max(0.01) * 100.0, 5.0, None) / 100.0,
        Unit::Seconds => step(chart.y_max.max(1.0), 5.0, Some(Unit::Seconds)),
    };
    let y_max = (chart.y_max.max(y_step) / y_step - 1e-9).ceil() * y_step;

    // Marker labels above the plot, in as many rows as they need.
    let mut markers: Vec<&Marker> = chart.markers.iter().filter(|m| (lo..=hi).contains(&m.agents)).collect();
    markers.sort_by_key(|m| (m.agents, m.kind));
    let right = WIDTH - RIGHT_MARGIN;
    let provisional = Frame { top: 0.0, bottom: 0.0, left: LEFT, right, x_range: (lo, hi), y_max };
    let widths: Vec<(f64, f64)> =
        markers.iter().map(|m| (provisional.x(m.agents), m.label.chars().count() as f64 * CHAR_WIDTH)).collect();
    let (placement, row_count) = rows(&widths, 2.0, WIDTH - 2.0);
    let top = 32.0 + ROW * row_count as f64;
    let frame = Frame { top, bottom: HEIGHT - BOTTOM_MARGIN, left: LEFT, right, x_range: (lo, hi), y_max };

    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{kind}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" font-size="13">"##,
        kind = chart.kind,
        w = WIDTH,
        h = HEIGHT,
    );
    let _ = write!(
        out,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&chart.title),
        escape(&chart.description)
    );
    let _ = write!(
        out,
        r#"<defs><clipPath id="{id}-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        f(frame.left),
        f(frame.top - 1.0),
        f(frame.right - frame.left + 1.0),
        f(frame.bottom - frame.top + 2.0)
    );

    // The vertical axis: gridlines in one path, tick labels, and what it
    // measures above it.
    let ticks = (y_max / y_step).round() as u64;
    let mut grid = String::new();
    let mut labels = String::new();
    for i in 0..=ticks.min(20) {
        let value = i as f64 * y_step;
        let y = f(frame.y(value));
        let _ = write!(grid, "M{} {y}H{}", f(frame.left), f(frame.right));
        let _ = write!(
            labels,
            r#"<text class="tick" data-value="{}" x="{}" y="{}">{}</text>"#,
            round6(value),
            f(frame.left - 6.0),
            f(frame.y(value) + 4.0),
            escape(&chart.unit.format(value)),
        );
    }
    let _ = write!(
        out,
        r##"<g class="axis y"><path d="{grid}" stroke="#d9d9d9" fill="none"/><g text-anchor="end">{labels}</g><text class="axis-title" x="2" y="15">{}</text></g>"##,
        escape(&chart.y_title)
    );

    // The horizontal axis: scheduled agents.
    let x_step = (step((hi - lo) as f64, 6.0, None).round() as u64).max(1);
    let mut tick = lo.div_ceil(x_step).saturating_mul(x_step);
    let mut count = 0;
    let (mut grid, mut labels) = (String::new(), String::new());
    while tick <= hi && count <= 12 {
        let x = f(frame.x(tick));
        let _ = write!(grid, "M{x} {}V{}", f(frame.top), f(frame.bottom + 4.0));
        let _ = write!(
            labels,
            r#"<text class="tick" data-value="{tick}" x="{x}" y="{}">{tick}</text>"#,
            f(frame.bottom + 18.0)
        );
        count += 1;
        match tick.checked_add(x_step) {
            Some(next) => tick = next,
            None => break,
        }
    }
    let _ = write!(
        out,
        r##"<g class="axis x"><path d="{grid}" stroke="#d9d9d9" fill="none"/><path d="M{} {b}H{}" stroke="#595959"/><g text-anchor="middle">{labels}<text class="axis-title" x="{}" y="{}">scheduled agents</text></g></g>"##,
        f(frame.left),
        f(frame.right),
        f((frame.left + frame.right) / 2.0),
        f(HEIGHT - 6.0),
        b = f(frame.bottom),
    );

    // Targets and ceilings.
    for r in &chart.references {
        let y = f(frame.y(r.value));
        let _ = write!(
            out,
            r##"<g class="reference" data-value="{}"><line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="#000000" stroke-width="1.5" stroke-dasharray="2 3"/></g>"##,
            round6(r.value),
            f(frame.left),
            f(frame.right),
        );
    }

    // The lines, cut at the plot's edge.
    for s in &chart.series {
        let mut d = String::new();
        let mut pen_down = false;
        for &(n, v) in &s.points {
            match v {
                Some(v) if (lo..=hi).contains(&n) => {
                    let _ = write!(d, "{}{} {}", if pen_down { "L" } else { "M" }, f(frame.x(n)), f(frame.y(v)));
                    pen_down = true;
                }
                _ => pen_down = false,
            }
        }
        let _ = write!(
            out,
            r#"<g class="series {}"><path d="{d}" fill="none" {} stroke-linejoin="round" clip-path="url(#{id}-clip)"/></g>"#,
            s.style.class(),
            s.style.stroke(),
        );
    }

    // Markers: a vertical line with its label above the plot, and a shape
    // where it meets each line.
    for (m, (row, centre)) in markers.iter().zip(&placement) {
        let x = frame.x(m.agents);
        let label_y = frame.top - 6.0 - ROW * *row as f64;
        let _ = write!(
            out,
            r#"<g class="marker {kind}" data-marker="{kind}" data-agents="{agents}"><line x1="{x}" x2="{x}" y1="{}" y2="{}" {}/><text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            f(label_y + 3.0),
            f(frame.bottom),
            m.kind.stroke(),
            f(*centre),
            f(label_y),
            escape(&m.label),
            kind = m.kind.as_str(),
            agents = m.agents,
            x = f(x),
        );
        for s in &chart.series {
            if let Some(v) = s.at(m.agents).filter(|v| *v <= y_max) {
                out.push_str(&m.kind.symbol(x, frame.y(v)));
            }
        }
        out.push_str("</g>");
    }

    // Labels at the right end of each line, moved apart where they meet.
    let mut ends: Vec<(f64, String, String)> = Vec::new();
    for s in &chart.series {
        let last = s.points.iter().rev().find(|(n, v)| v.is_some() && (lo..=hi).contains(n));
        if let Some(&(_, Some(v))) = last {
            ends.push((frame.y(v.min(y_max)), s.label.clone(), format!("{} fill=\"none\"", s.style.stroke())));
        }
    }
    for r in &chart.references {
        ends.push((
            frame.y(r.value),
            r.label.clone(),
            r##"stroke="#000000" stroke-width="1.5" stroke-dasharray="2 3" fill="none""##.to_string(),
        ));
    }
    let wanted: Vec<f64> = ends.iter().map(|(y, _, _)| *y).collect();
    let placed = dodge(&wanted, frame.top + 4.0, frame.bottom);
    out.push_str(r#"<g class="labels">"#);
    for ((y, label, stroke), to) in ends.iter().zip(placed) {
        // A thin grey leader from the line's end to its label, then a
        // sample of the line's own stroke, then the text.
        let _ = write!(
            out,
            r##"<path d="M{} {}L{} {}" stroke="#8c8c8c" stroke-width="0.75" fill="none"/><path d="M{} {to}L{} {to}" {stroke}/><text x="{}" y="{}">{}</text>"##,
            f(frame.right + 1.0),
            f(*y),
            f(frame.right + 8.0),
            f(to),
            f(frame.right + 8.0),
            f(frame.right + 26.0),
            f(frame.right + 30.0),
            f(to + 4.0),
            escape(label),
            to = f(to),
        );
    }
    out.push_str("</g></svg>");
    out
}

/// `value` rounded to six decimals, for `data-value` attributes.
fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_are_visible() {
        assert_eq!(escape(r#"<script>"a" & 'b'"#), "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;");
        assert_eq!(escape("a\u{1b}[31m\u{202e}"), "a\\u{1b}[31m\\u{202e}");
    }

    #[test]
    fn units_read_as_a_planner_writes_them() {
        assert_eq!(percent(0.8), "80%");
        assert_eq!(percent(0.125), "12.5%");
        assert_eq!(duration(20.0), "20s");
        assert_eq!(duration(90.0), "1m30s");
        assert_eq!(duration(120.0), "2m");
        assert_eq!(duration(4500.0), "1h15m");
        assert_eq!(duration(7.836), "7.8s");
        assert_eq!(duration(f64::INFINITY), "-");
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(step(100.0, 5.0, None), 20.0);
        assert_eq!(step(37.0, 6.0, None), 10.0);
        assert_eq!(step(7.0, 6.0, None), 2.0);
        assert_eq!(step(1e6, 6.0, None), 200_000.0);
        assert_eq!(step(100.0, 5.0, Some(Unit::Seconds)), 20.0);
        assert_eq!(step(400.0, 5.0, Some(Unit::Seconds)), 120.0);
    }

    #[test]
    fn labels_are_moved_apart_in_order() {
        let ys = dodge(&[100.0, 100.0, 50.0], 20.0, 200.0);
        assert_eq!(ys, vec![100.0, 100.0 + LABEL_GAP, 50.0]);
        let ys = dodge(&[200.0, 199.0], 20.0, 200.0);
        assert_eq!(ys, vec![200.0, 200.0 - LABEL_GAP]);
    }

    #[test]
    fn marker_labels_take_a_new_row_only_when_they_overlap() {
        let (placed, count) = rows(&[(100.0, 50.0), (110.0, 50.0), (300.0, 50.0)], 0.0, 480.0);
        assert_eq!(count, 2);
        assert_eq!(placed.iter().map(|p| p.0).collect::<Vec<_>>(), vec![0, 1, 0]);
    }
}

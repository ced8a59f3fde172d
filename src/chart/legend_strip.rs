//! Legends outside the data: a strip under the plot where entries flow left to
//! right and wrap, so no legend ever covers a curve (the plot keeps every corner
//! for data). Also the markers that tell overlapping series apart.

use plotters::coord::CoordTranslate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::tick_font;

/// What an entry's sample looks like.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Sample {
    /// A line (dashed: `Some((dash, gap))`), with series `marker`'s shape on it when given.
    Line { colour: RGBColor, width: u32, dash: Option<(u32, u32)>, marker: Option<usize> },
    /// A filled bar.
    Bar(RGBColor),
    /// A filled dot (a point, a stop).
    Dot(RGBColor),
    /// A ring (a marked look).
    Ring(RGBColor),
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub label: String,
    pub sample: Sample,
}

const MARGIN: i32 = 16;
const ROW: i32 = 26;
const SAMPLE: i32 = 30;
const GAP: i32 = 24;

/// Where each entry goes (row, x) in a strip `width` wide, and how many rows that takes.
fn layout<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, entries: &[Entry], width: i32) -> (Vec<(i32, i32)>, i32) {
    let font = tick_font();
    let mut places = Vec::new();
    let (mut row, mut x) = (0, MARGIN);
    for e in entries {
        let text = root.estimate_text_size(&e.label, &font).map_or(8 * e.label.len() as u32, |(w, _)| w) as i32;
        let w = SAMPLE + 8 + text;
        if x > MARGIN && x + w > width - MARGIN {
            row += 1;
            x = MARGIN;
        }
        places.push((row, x));
        x += w + GAP;
    }
    (places, if entries.is_empty() { 0 } else { row + 1 })
}

/// Splits `root` into the plot (returned) and a strip below it holding the legend, and draws the legend.
/// Without entries the whole area is the plot.
pub(crate) fn with_legend_below<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = root.dim_in_pixel();
    let (places, rows) = layout(root, entries, width as i32);
    if rows == 0 {
        return Ok(root.clone());
    }
    let strip_height = (rows * ROW + 10) as u32;
    let (plot, strip) = root.split_vertically(height.saturating_sub(strip_height));
    let font = tick_font().pos(Pos::new(HPos::Left, VPos::Center));
    for (e, &(row, x)) in entries.iter().zip(&places) {
        let y = row * ROW + ROW / 2;
        draw_sample(&strip, e.sample, x, y)?;
        strip.draw(&Text::new(e.label.clone(), (x + SAMPLE + 8, y), font.clone()))?;
    }
    Ok(plot)
}

fn draw_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sample: Sample,
    x: i32,
    y: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match sample {
        Sample::Line { colour, width, dash, marker: shape } => {
            let stroke = colour.stroke_width(width);
            match dash {
                None => area.draw(&PathElement::new([(x, y), (x + SAMPLE, y)], stroke))?,
                Some((on, off)) => {
                    let mut start = x;
                    while start < x + SAMPLE {
                        let end = (start + on as i32).min(x + SAMPLE);
                        area.draw(&PathElement::new([(start, y), (end, y)], stroke))?;
                        start = end + off as i32;
                    }
                }
            }
            if let Some(shape) = shape {
                draw_marker_sample(area, shape, (x + SAMPLE / 2, y), colour)?;
            }
        }
        Sample::Bar(colour) => area.draw(&Rectangle::new([(x + 8, y - 7), (x + 22, y + 7)], colour.filled()))?,
        Sample::Dot(colour) => area.draw(&Circle::new((x + SAMPLE / 2, y), 5, colour.filled()))?,
        Sample::Ring(colour) => area.draw(&Circle::new((x + SAMPLE / 2, y), 6, colour.stroke_width(3)))?,
    }
    Ok(())
}

/// Series `shape`'s marker at each of `points`: filled circle, triangle, square, diamond, then hollow circle and
/// square; the same shape in the plot and in the legend, so series that overlap stay apart.
pub(crate) fn draw_markers<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'_, DB, CT>,
    points: &[(f64, f64)],
    shape: usize,
    colour: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (fill, ring) = (colour.filled(), colour.stroke_width(2));
    let at = |p: &(f64, f64)| EmptyElement::at(*p);
    match shape % 6 {
        0 => chart.draw_series(points.iter().map(|p| at(p) + Circle::new((0, 0), 5, fill)))?,
        1 => chart.draw_series(points.iter().map(|p| at(p) + Polygon::new(TRIANGLE.to_vec(), fill)))?,
        2 => chart.draw_series(points.iter().map(|p| at(p) + Rectangle::new(SQUARE, fill)))?,
        3 => chart.draw_series(points.iter().map(|p| at(p) + Polygon::new(DIAMOND.to_vec(), fill)))?,
        4 => chart.draw_series(points.iter().map(|p| at(p) + Circle::new((0, 0), 5, ring)))?,
        _ => chart.draw_series(points.iter().map(|p| at(p) + Rectangle::new(SQUARE, ring)))?,
    };
    Ok(())
}

const SQUARE: [(i32, i32); 2] = [(-5, -5), (5, 5)];
const TRIANGLE: [(i32, i32); 3] = [(0, -6), (6, 5), (-6, 5)];
const DIAMOND: [(i32, i32); 4] = [(0, -7), (7, 0), (0, 7), (-7, 0)];

/// The legend's sample of marker `shape` at pixel `(x, y)` of `area`.
fn draw_marker_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shape: usize,
    (x, y): (i32, i32),
    colour: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (fill, ring) = (colour.filled(), colour.stroke_width(2));
    let shift = |points: &[(i32, i32)]| points.iter().map(|(dx, dy)| (x + dx, y + dy)).collect::<Vec<_>>();
    let square = [(x - 5, y - 5), (x + 5, y + 5)];
    match shape % 6 {
        0 => area.draw(&Circle::new((x, y), 5, fill)),
        1 => area.draw(&Polygon::new(shift(&TRIANGLE), fill)),
        2 => area.draw(&Rectangle::new(square, fill)),
        3 => area.draw(&Polygon::new(shift(&DIAMOND), fill)),
        4 => area.draw(&Circle::new((x, y), 5, ring)),
        _ => area.draw(&Rectangle::new(square, ring)),
    }
}

/// The points of a curve where series `index` of `series` puts its markers: about ten along the curve, each
/// series offset so markers of identical curves do not sit on each other.
pub(crate) fn marker_points(points: &[(f64, f64)], index: usize, series: usize) -> Vec<(f64, f64)> {
    let step = (points.len() / 10).max(1);
    let offset = step * index / series.max(1);
    points.iter().skip(offset).step_by(step).copied().collect()
}

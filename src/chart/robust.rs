//! The robustness sweep's charts: a tornado (a difference with one parameter at each end of its
//! range, largest swing on top) and how often a winner holds over the plausible space (one
//! stacked bar per metric: holds, unclear, reverses).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::table::number;
use super::{
    ChartError, DataTable, Draw, Entry, ImageFormat, Sample, colour, label_font, padded_range, render, style,
    tick_font, with_legend_below,
};

/// One parameter's row: the difference with it at the low and at the high end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TornadoRow {
    pub name: String,
    pub low: f64,
    pub high: f64,
}

/// A tornado chart: rows top to bottom in the given order, bars from `baseline` to each end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tornado {
    pub title: String,
    /// What x is, with units, e.g. "net margin per user, A − B".
    pub x_label: String,
    /// The difference at the scenario's values, where every bar starts.
    pub baseline: f64,
    pub rows: Vec<TornadoRow>,
}

/// One metric's shares of the plausible space (adding up to 1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HoldsRow {
    pub label: String,
    pub holds: f64,
    pub unclear: f64,
    pub reverses: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HoldsShare {
    pub title: String,
    pub rows: Vec<HoldsRow>,
}

pub fn tornado(chart: &Tornado, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

pub fn holds_share(chart: &HoldsShare, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

/// The top of the y range: half a row above the first (the legend sits under the chart).
fn top(rows: usize) -> f64 {
    rows as f64 - 0.5
}

/// Room for the row names: `wanted` pixels, but at most 40 % of the width, so a small chart keeps its plot.
fn name_area(area_width: u32, wanted: u32) -> u32 {
    wanted.min(area_width * 2 / 5)
}

/// Row names on the y axis: row i sits at y = n − 1 − i (the first row on top).
fn row_label(names: &[String], y: f64) -> String {
    let i = y.round();
    if (y - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    names.len().checked_sub(1 + i as usize).and_then(|k| names.get(k)).cloned().unwrap_or_default()
}

impl Draw for Tornado {
    fn table(&self) -> DataTable {
        let mut t = DataTable::new(&self.title, &["parameter", "", "at the low end", "at the high end"]);
        t.columns[1] = format!("{} at the scenario's values", self.x_label);
        for r in &self.rows {
            t.rows.push(vec![r.name.clone(), number(self.baseline), number(r.low), number(r.high)]);
        }
        t
    }

    fn check(&self) -> Result<(), ChartError> {
        let finite = self.baseline.is_finite() && self.rows.iter().all(|r| r.low.is_finite() && r.high.is_finite());
        if self.rows.is_empty() || !finite {
            return Err(ChartError::InvalidData("a tornado needs rows with finite values".into()));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let n = self.rows.len();
        let values = self.rows.iter().flat_map(|r| [r.low, r.high]).chain([self.baseline, 0.0]);
        let (x_min, x_max) = padded_range(values, false);
        let names: Vec<String> = self.rows.iter().map(|r| r.name.clone()).collect();
        let theme = style();
        let ends = [("parameter at the low end of its range", 0), ("parameter at the high end", 1)];
        let mut entries: Vec<Entry> =
            ends.iter().map(|(name, c)| Entry { label: (*name).into(), sample: Sample::Bar(colour(*c)) }).collect();
        let line = |colour, dash| Sample::Line { colour, width: 2, dash, marker: None };
        entries.push(Entry { label: "at the scenario's values".into(), sample: line(theme.text, None) });
        entries.push(Entry { label: "no difference".into(), sample: line(theme.reference_grey, Some((6, 4))) });
        let (title, font) = super::fitted_title(&self.title, root.dim_in_pixel().0, super::TITLE_SIZE);
        let root = root.titled(&title, font)?;
        let plot = with_legend_below(&root, &entries)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(14)
            .x_label_area_size(50)
            .y_label_area_size(name_area(plot.dim_in_pixel().0, 250))
            .build_cartesian_2d(x_min..x_max, -0.5..top(n))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels((top(n) + 1.5) as usize)
            .y_label_formatter(&|y| row_label(&names, *y))
            .x_desc(&self.x_label)
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(style().text)
            .light_line_style(style().grid_minor)
            .bold_line_style(style().grid_major)
            .draw()?;
        let y = |i: usize| (n - 1 - i) as f64;
        for (e, (_, c)) in ends.into_iter().enumerate() {
            let colour = colour(c);
            let (top, bottom) = if e == 0 { (0.4, 0.02) } else { (-0.02, -0.4) };
            chart.draw_series(self.rows.iter().enumerate().map(|(i, r)| {
                let end = if e == 0 { r.low } else { r.high };
                Rectangle::new([(self.baseline, y(i) + top), (end, y(i) + bottom)], colour.filled())
            }))?;
        }
        let span = (-0.5, n as f64 - 0.5);
        let at = PathElement::new([(self.baseline, span.0), (self.baseline, span.1)], theme.text.stroke_width(2));
        chart.draw_series([at])?;
        let zero = DashedLineSeries::new([(0.0, span.0), (0.0, span.1)], 6, 4, theme.reference_grey.into());
        chart.draw_series(zero)?;
        Ok(())
    }
}

impl Draw for HoldsShare {
    fn table(&self) -> DataTable {
        let mut t =
            DataTable::new(&self.title, &["pair and metric", "winner holds", "unclear", "reverses"]).with_shares(1..4);
        for r in &self.rows {
            t.rows.push(vec![r.label.clone(), number(r.holds), number(r.unclear), number(r.reverses)]);
        }
        t
    }

    fn check(&self) -> Result<(), ChartError> {
        let ok = |r: &HoldsRow| {
            [r.holds, r.unclear, r.reverses].iter().all(|v| v.is_finite() && *v >= 0.0)
                && (r.holds + r.unclear + r.reverses - 1.0).abs() < 1e-9
        };
        if self.rows.is_empty() || !self.rows.iter().all(ok) {
            return Err(ChartError::InvalidData("each row's shares must be non-negative and add up to 1".into()));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let n = self.rows.len();
        let names: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        let parts: [(&str, RGBColor); 3] = [
            ("winner holds", colour(2)),
            ("unclear (within Monte Carlo error)", style().mark_grey),
            ("reverses (after a tie: one side clearly ahead)", colour(1)),
        ];
        let entries: Vec<Entry> =
            parts.iter().map(|(name, c)| Entry { label: (*name).into(), sample: Sample::Bar(*c) }).collect();
        let (title, font) = super::fitted_title(&self.title, root.dim_in_pixel().0, super::TITLE_SIZE);
        let root = root.titled(&title, font)?;
        let plot = with_legend_below(&root, &entries)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(14)
            .margin_right(36)
            .x_label_area_size(50)
            .y_label_area_size(name_area(plot.dim_in_pixel().0, 420))
            .build_cartesian_2d(0.0..1.0, -0.5..top(n))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels((top(n) + 1.5) as usize)
            .y_label_formatter(&|y| row_label(&names, *y))
            .x_label_formatter(&|x| format!("{:.0} %", 100.0 * x))
            .x_desc("share of the plausible space (joint points)")
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(style().text)
            .light_line_style(style().grid_minor)
            .bold_line_style(style().grid_major)
            .draw()?;
        let y = |i: usize| (n - 1 - i) as f64;
        for (k, (_, c)) in parts.into_iter().enumerate() {
            chart.draw_series(self.rows.iter().enumerate().map(|(i, r)| {
                let shares = [r.holds, r.unclear, r.reverses];
                let start: f64 = shares[..k].iter().sum();
                Rectangle::new([(start, y(i) - 0.35), (start + shares[k], y(i) + 0.35)], c.filled())
            }))?;
        }
        Ok(())
    }
}

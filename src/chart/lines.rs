//! Line charts over time: retention with its projection, cumulative margin per
//! user, full-price share, and the calibration's back-test (actual against simulated).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    ChartError, Curve, DataTable, Draw, Entry, ImageFormat, NamedCurve, Sample, colour, draw_markers, label_font,
    marker_points, padded_range, render, style, tick_font, with_legend_below,
};

/// Retention of one strategy: the simulated Kaplan–Meier curve and, optionally,
/// the model's projection beyond the horizon (drawn dashed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetentionStrategy {
    pub name: String,
    /// x in days since arrival; y the share still retained (0–1); band across replications.
    pub simulated: Curve,
    pub projected: Option<Curve>,
}

/// Retention curves per strategy, simulated then projected.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetentionChart {
    pub title: String,
    /// Names the projection in the legend, e.g. "sBG projection, 95 % interval".
    pub projection_label: String,
    pub strategies: Vec<RetentionStrategy>,
}

/// Cumulative gross margin per user by calendar day, per strategy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CumulativeMargin {
    pub title: String,
    /// Currency shown in the axis label, e.g. "EUR".
    pub currency: String,
    /// x in days; y money per user; band across replications.
    pub strategies: Vec<NamedCurve>,
}

/// Share of purchases paid at full price, per strategy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FullPriceShare {
    pub title: String,
    /// x in weeks; y share 0–1; band across replications.
    pub strategies: Vec<NamedCurve>,
}

/// Lines over one x axis with the axes' own labels, e.g. the calibration's back-test: actual
/// against simulated and a model's prediction, with an optional vertical marker (the holdout's start).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BacktestChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub lines: Vec<NamedCurve>,
    /// A vertical reference line at x with its label.
    pub marker: Option<(f64, String)>,
}

pub fn backtest(chart: &BacktestChart, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

pub fn retention_curves(chart: &RetentionChart, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

pub fn cumulative_margin(chart: &CumulativeMargin, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

pub fn full_price_share(chart: &FullPriceShare, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

/// One line to draw: its curve, colour index, legend label (None: no entry) and dash.
struct Line<'a> {
    curve: &'a Curve,
    colour: usize,
    label: Option<&'a str>,
    dashed: bool,
}

struct Axes<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    percent: bool,
}

fn check_named(strategies: &[NamedCurve]) -> Result<(), ChartError> {
    if strategies.is_empty() || strategies.iter().all(|s| s.curve.points().is_empty()) {
        return Err(ChartError::InvalidData("no data to draw".into()));
    }
    strategies.iter().try_for_each(|s| s.curve.check(&s.name))
}

fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    axes: &Axes,
    lines: &[Line],
    extra_legend: Option<&str>,
    marker: Option<(f64, &str)>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let theme = style();
    let series = lines.iter().filter(|l| l.label.is_some()).count();
    let mut entries: Vec<Entry> = lines
        .iter()
        .filter_map(|l| {
            let sample = Sample::Line { colour: colour(l.colour), width: 3, dash: None, marker: Some(l.colour) };
            Some(Entry { label: l.label?.to_owned(), sample })
        })
        .collect();
    if let Some(label) = extra_legend {
        let sample = Sample::Line { colour: theme.reference_grey, width: 3, dash: Some((7, 5)), marker: None };
        entries.push(Entry { label: label.to_owned(), sample });
    }
    let (title, font) = super::fitted_title(axes.title, root.dim_in_pixel().0, super::TITLE_SIZE);
    let root = root.titled(&title, font)?;
    let plot = with_legend_below(&root, &entries)?;
    let xs = lines.iter().flat_map(|l| l.curve.x.iter().copied()).filter(|v| v.is_finite());
    let (x_min, x_max) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (y_min, y_max) = padded_range(lines.iter().flat_map(|l| l.curve.y_range()), true);
    let y_max = if axes.percent { y_max.min(1.0) } else { y_max };
    let mut chart = ChartBuilder::on(&plot)
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(80)
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    let percent = |v: &f64| format!("{:.0}%", v * 100.0);
    let plain = |v: &f64| if v.abs() >= 100.0 { format!("{v:.0}") } else { format!("{v:.2}") };
    let y_format: &dyn Fn(&f64) -> String = if axes.percent { &percent } else { &plain };
    chart
        .configure_mesh()
        .x_desc(axes.x_label)
        .y_desc(axes.y_label)
        .axis_desc_style(label_font())
        .label_style(tick_font())
        .axis_style(theme.text)
        .y_label_formatter(y_format)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .light_line_style(theme.grid_minor)
        .bold_line_style(theme.grid_major)
        .draw()?;
    for line in lines {
        if let Some(polygon) = line.curve.band_polygon() {
            chart.draw_series(std::iter::once(Polygon::new(polygon, colour(line.colour).mix(0.18).filled())))?;
        }
    }
    if let Some((x, label)) = marker {
        let grey = theme.reference_grey;
        chart.draw_series(DashedLineSeries::new([(x, y_min), (x, y_max)], 4, 4, grey.stroke_width(1)))?;
        chart.draw_series(std::iter::once(Text::new(
            label.to_owned(),
            (x + 0.006 * (x_max - x_min), y_max - 0.04 * (y_max - y_min)),
            tick_font().color(&grey),
        )))?;
    }
    for line in lines {
        let style = colour(line.colour).stroke_width(3);
        let points = line.curve.points();
        if line.dashed {
            chart.draw_series(DashedLineSeries::new(points, 9, 6, style))?;
        } else {
            chart.draw_series(LineSeries::new(points.clone(), style))?;
            // Markers tell identical curves apart: each series its shape, offset along the curve.
            let marks = marker_points(&points, line.colour, series);
            draw_markers(&mut chart, &marks, line.colour, colour(line.colour))?;
        }
    }
    Ok(())
}

impl Draw for RetentionChart {
    fn table(&self) -> DataTable {
        let columns =
            ["strategy", "series", "days since arrival", "share not yet lost", "lower (95 %)", "upper (95 %)"];
        let mut t = DataTable::new(&self.title, &columns).with_shares(3..6);
        for s in &self.strategies {
            t.add_curve(&[&s.name, "simulated"], &s.simulated);
            if let Some(p) = &s.projected {
                t.add_curve(&[&s.name, &self.projection_label], p);
            }
        }
        t
    }

    fn check(&self) -> Result<(), ChartError> {
        if self.strategies.is_empty() {
            return Err(ChartError::InvalidData("no strategy to draw".into()));
        }
        for s in &self.strategies {
            s.simulated.check(&s.name)?;
            if let Some(p) = &s.projected {
                p.check(&s.name)?;
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let mut lines = Vec::new();
        for (i, s) in self.strategies.iter().enumerate() {
            lines.push(Line { curve: &s.simulated, colour: i, label: Some(&s.name), dashed: false });
            if let Some(p) = &s.projected {
                lines.push(Line { curve: p, colour: i, label: None, dashed: true });
            }
        }
        let any_projection = self.strategies.iter().any(|s| s.projected.is_some());
        let end = self.strategies.iter().filter_map(|s| s.simulated.x.last().copied()).fold(f64::NAN, f64::max);
        let axes = Axes {
            title: &self.title,
            x_label: "days since arrival",
            y_label: "users not yet lost (%)",
            percent: true,
        };
        let label = any_projection.then_some(self.projection_label.as_str());
        draw_lines(root, &axes, &lines, label, any_projection.then_some((end, "end of simulation")))
    }
}

/// One row per point of each named curve: strategy, x, y, band.
fn named_table(title: &str, x: &str, y: &str, strategies: &[NamedCurve]) -> DataTable {
    let mut t = DataTable::new(title, &["strategy", x, y, "lower (95 %)", "upper (95 %)"]);
    for s in strategies {
        t.add_curve(&[&s.name], &s.curve);
    }
    t
}

impl Draw for CumulativeMargin {
    fn table(&self) -> DataTable {
        let y = format!("cumulative gross margin per user ({})", self.currency);
        named_table(&self.title, "day of simulation", &y, &self.strategies)
    }

    fn check(&self) -> Result<(), ChartError> {
        check_named(&self.strategies)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let lines: Vec<Line> = self
            .strategies
            .iter()
            .enumerate()
            .map(|(i, s)| Line { curve: &s.curve, colour: i, label: Some(&s.name), dashed: false })
            .collect();
        let y_label = format!("cumulative gross margin per user ({})", self.currency);
        let axes = Axes { title: &self.title, x_label: "day of simulation", y_label: &y_label, percent: false };
        draw_lines(root, &axes, &lines, None, None)
    }
}

impl Draw for FullPriceShare {
    fn table(&self) -> DataTable {
        named_table(&self.title, "week of simulation", "share of purchases at full price", &self.strategies)
            .with_shares(2..5)
    }

    fn check(&self) -> Result<(), ChartError> {
        check_named(&self.strategies)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let lines: Vec<Line> = self
            .strategies
            .iter()
            .enumerate()
            .map(|(i, s)| Line { curve: &s.curve, colour: i, label: Some(&s.name), dashed: false })
            .collect();
        let axes = Axes {
            title: &self.title,
            x_label: "week of simulation",
            y_label: "purchases at full price (%)",
            percent: true,
        };
        draw_lines(root, &axes, &lines, None, None)
    }
}

impl Draw for BacktestChart {
    fn table(&self) -> DataTable {
        named_table(&self.title, &self.x_label, &self.y_label, &self.lines)
    }

    fn check(&self) -> Result<(), ChartError> {
        check_named(&self.lines)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let lines: Vec<Line> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, s)| Line { curve: &s.curve, colour: i, label: Some(&s.name), dashed: false })
            .collect();
        let axes = Axes { title: &self.title, x_label: &self.x_label, y_label: &self.y_label, percent: false };
        let marker = self.marker.as_ref().map(|(x, label)| (*x, label.as_str()));
        draw_lines(root, &axes, &lines, None, marker)
    }
}

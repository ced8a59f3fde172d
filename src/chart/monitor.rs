//! The experiment monitor's two companion charts, drawn through the same day
//! as the sequential-monitor chart: each arm's running estimate, and the naive
//! p-value path against α (why stopping at the first p < 0.05 is wrong).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::table::number;
use super::{
    ChartError, DataTable, Draw, Entry, FONT, ImageFormat, NamedCurve, Sample, colour, draw_markers, marker_points,
    padded_range, render, style, with_legend_below,
};

/// Half-width pictures: two sit side by side under the full-width monitor chart.
const COMPANION_SIZE: (u32, u32) = (560, 360);
/// Smallest p the log axis shows; smaller p-values sit on the floor.
const P_FLOOR: f64 = 1e-4;

/// Each arm's running estimate with its 95 % interval at each look: a replay's second picture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArmEstimates {
    pub title: String,
    pub x_label: String,
    /// What y is, with units, e.g. "conversion rate".
    pub y_label: String,
    /// Per arm: x = day of each look, y = the estimate, band = its 95 % interval.
    pub arms: Vec<NamedCurve>,
    /// Show y as percentages (rates) rather than plain numbers (money per user).
    pub percent: bool,
    /// Draw the arms through this many looks only. The x axis spans every look (the schedule is
    /// fixed in advance) so it does not move; the y axis spans only what is drawn, so a frame
    /// never hints at a later look.
    pub through: Option<usize>,
}

/// The naive p-value at each look on a log scale against α, with the valid method's own
/// p-value (always-valid p, or a group-sequential design's nominal boundary p) beside it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PValuePath {
    pub title: String,
    pub x_label: String,
    /// x of each look.
    pub looks: Vec<f64>,
    /// The fixed-horizon p-value at each look (invalid when looking repeatedly).
    pub naive_p: Vec<f64>,
    /// The valid method's p at each look (NaN where it has none), with its legend label.
    pub method_p: Option<(String, Vec<f64>)>,
    /// The level naive peeking tests at (0.05).
    pub alpha: f64,
    /// Draw the p-values through this many looks only (a replay at day d). `None`: every look.
    pub through: Option<usize>,
    /// Look index (0-based) where naive peeking would have stopped, marked once reached.
    pub naive_stop_look: Option<usize>,
}

pub fn arm_estimates(chart: &ArmEstimates, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

pub fn p_value_path(chart: &PValuePath, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

// Shown at about 0.75 of their size beside each other, so their text is set a little larger.
const COMPANION_TITLE_SIZE: u32 = 22;

fn label_font() -> TextStyle<'static> {
    (FONT, 18).into_font().color(&style().text)
}

fn tick_font() -> TextStyle<'static> {
    (FONT, 16).into_font().color(&style().text)
}

/// Ticks of a log p axis as a reader writes them: 0.0001, 0.001, 0.01, 0.05, 0.1, 1.
fn p_label(p: &f64) -> String {
    let digits = (-p.log10()).ceil().max(0.0) as usize;
    format!("{p:.digits$}")
}

/// A grey vertical line at the replay's day.
fn today_line(x: f64, y: (f64, f64)) -> PathElement<(f64, f64)> {
    PathElement::new([(x, y.0), (x, y.1)], style().mark_grey.stroke_width(1))
}

impl Draw for ArmEstimates {
    fn table(&self) -> DataTable {
        let shown = self.through.unwrap_or(usize::MAX);
        let columns = ["arm", &self.x_label, &self.y_label, "lower (95 %)", "upper (95 %)"];
        let mut t = DataTable::new(&self.title, &columns).with_shares(if self.percent { 2..5 } else { 0..0 });
        for a in &self.arms {
            let mut curve = a.curve.clone();
            let n = shown.min(curve.x.len());
            curve.x.truncate(n);
            curve.y.truncate(n);
            t.add_curve(&[&a.name], &curve);
        }
        t
    }

    fn size(&self) -> (u32, u32) {
        COMPANION_SIZE
    }

    fn check(&self) -> Result<(), ChartError> {
        let Some(first) = self.arms.first() else {
            return Err(ChartError::InvalidData("no arm to draw".into()));
        };
        self.arms.iter().try_for_each(|a| a.curve.check(&a.name))?;
        let n = first.curve.x.len();
        if n == 0 || self.arms.iter().any(|a| a.curve.x.len() != n) || self.through.is_some_and(|t| t < 1 || t > n) {
            return Err(ChartError::InvalidData(
                "every arm needs one value per look; through must be within the looks".into(),
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let shown = self.through.unwrap_or(self.arms[0].curve.x.len());
        let drawn: Vec<NamedCurve> = self
            .arms
            .iter()
            .map(|a| {
                let mut curve = a.curve.clone();
                curve.x.truncate(shown);
                curve.y.truncate(shown);
                if let Some(band) = &mut curve.band {
                    band.lower.truncate(shown);
                    band.upper.truncate(shown);
                }
                NamedCurve { name: a.name.clone(), curve }
            })
            .collect();
        let x_max = self.arms[0].curve.x.iter().copied().filter(|x| x.is_finite()).fold(1.0, f64::max);
        let (y_min, y_max) = padded_range(drawn.iter().flat_map(|a| a.curve.y_range().collect::<Vec<_>>()), false);
        let percent = self.percent;
        let entries: Vec<Entry> = drawn
            .iter()
            .enumerate()
            .map(|(i, a)| Entry {
                label: format!("{} (95 % interval shaded)", a.name),
                sample: Sample::Line { colour: colour(i), width: 3, dash: None, marker: Some(i) },
            })
            .collect();
        let (title, font) = super::fitted_title(&self.title, root.dim_in_pixel().0, COMPANION_TITLE_SIZE);
        let root = root.titled(&title, font)?;
        let plot = with_legend_below(&root, &entries)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..x_max * 1.04, y_min..y_max)?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| if percent { format!("{:.1}%", v * 100.0) } else { format!("{v:.2}") })
            .axis_style(style().text)
            .light_line_style(style().grid_minor)
            .bold_line_style(style().grid_major)
            .draw()?;
        for (i, arm) in drawn.iter().enumerate() {
            let c = colour(i);
            if let Some(polygon) = arm.curve.band_polygon() {
                chart.draw_series(std::iter::once(Polygon::new(polygon, c.mix(0.18).filled())))?;
            }
            let points = arm.curve.points();
            chart.draw_series(LineSeries::new(points.clone(), c.stroke_width(3)))?;
            draw_markers(&mut chart, &marker_points(&points, i, drawn.len()), i, c)?;
        }
        if self.through.is_some() {
            chart.draw_series(std::iter::once(today_line(self.arms[0].curve.x[shown - 1], (y_min, y_max))))?;
        }
        Ok(())
    }
}

impl Draw for PValuePath {
    fn table(&self) -> DataTable {
        let shown = self.through.unwrap_or(self.looks.len()).min(self.looks.len());
        let method = self.method_p.as_ref().map_or("", |(label, _)| label.as_str());
        let mut t = DataTable::new(&self.title, &[&self.x_label, "naive p", method, "naive p below α"]);
        t.columns.retain(|c| !c.is_empty());
        for k in 0..shown {
            let mut row = vec![number(self.looks[k]), number(self.naive_p[k])];
            if let Some((_, p)) = &self.method_p {
                row.push(number(p[k]));
            }
            row.push(if self.naive_p[k] < self.alpha { "yes" } else { "no" }.into());
            t.rows.push(row);
        }
        t
    }

    fn size(&self) -> (u32, u32) {
        COMPANION_SIZE
    }

    fn check(&self) -> Result<(), ChartError> {
        let n = self.looks.len();
        let ok = n > 0
            && self.naive_p.len() == n
            && self.method_p.as_ref().is_none_or(|(_, p)| p.len() == n)
            && self.through.is_none_or(|t| t >= 1 && t <= n)
            && self.naive_stop_look.is_none_or(|k| k < n)
            && self.alpha > 0.0
            && self.alpha < 1.0;
        if ok {
            Ok(())
        } else {
            Err(ChartError::InvalidData(
                "looks and p-values need one value per look, α within (0, 1), through and the stop within the looks"
                    .into(),
            ))
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let shown = self.through.unwrap_or(self.looks.len());
        let x_max = self.looks.iter().copied().fold(1.0, f64::max) * 1.04;
        let (naive, valid, observed, dips) = (colour(6), colour(2), colour(0), colour(1));
        let floor = |(x, p): (f64, f64)| (x, p.clamp(P_FLOOR, 1.0));
        let path = |p: &[f64]| -> Vec<(f64, f64)> {
            self.looks
                .iter()
                .copied()
                .zip(p.iter().copied())
                .take(shown)
                .filter(|(_, p)| p.is_finite())
                .map(floor)
                .collect()
        };
        let naive_path = path(&self.naive_p);
        let below: Vec<(f64, f64)> = naive_path.iter().copied().filter(|(_, p)| *p < self.alpha).collect();
        let stop = self.naive_stop_look.filter(|&k| k < shown);
        // The legend sits under the plot: the curves reach every corner of it on some day.
        let line = |colour, dash| Sample::Line { colour, width: 3, dash, marker: None };
        let mut entries = vec![Entry {
            label: format!("p = {}: the naive threshold", p_label(&self.alpha)),
            sample: line(naive, Some((8, 6))),
        }];
        if let Some((label, _)) = &self.method_p {
            entries.push(Entry { label: label.clone(), sample: line(valid, None) });
        }
        entries.push(Entry {
            label: "naive p, tested every day".into(),
            sample: Sample::Line { colour: observed, width: 3, dash: None, marker: Some(0) },
        });
        if !below.is_empty() {
            entries.push(Entry { label: format!("naive p < {}", p_label(&self.alpha)), sample: Sample::Dot(dips) });
        }
        if let Some(k) = stop {
            entries.push(Entry {
                label: format!("naive peeking stops (day {:.0})", self.looks[k]),
                sample: Sample::Ring(naive),
            });
        }
        let (title, font) = super::fitted_title(&self.title, root.dim_in_pixel().0, COMPANION_TITLE_SIZE);
        let root = root.titled(&title, font)?;
        let plot = with_legend_below(&root, &entries)?;
        // A fixed axis: it never moves while the replay plays, and never depends on a later look.
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..x_max, (P_FLOOR..1.0).log_scale())?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc("p-value (log scale)")
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&p_label)
            .axis_style(style().text)
            .light_line_style(style().grid_minor)
            .bold_line_style(style().grid_major)
            .draw()?;
        // Below α a naive test "wins": the zone is tinted so each dip shows.
        let zone = colour(1).mix(0.08);
        chart.draw_series(std::iter::once(Rectangle::new([(0.0, P_FLOOR), (x_max, self.alpha)], zone.filled())))?;
        chart.draw_series(DashedLineSeries::new(
            [(0.0, self.alpha), (x_max, self.alpha)],
            8,
            6,
            naive.stroke_width(2),
        ))?;
        if let Some((_, p)) = &self.method_p {
            chart.draw_series(LineSeries::new(path(p), valid.stroke_width(3)))?;
        }
        chart.draw_series(LineSeries::new(naive_path.clone(), observed.stroke_width(3)))?;
        draw_markers(&mut chart, &marker_points(&naive_path, 0, 1), 0, observed)?;
        chart.draw_series(below.into_iter().map(|pt| Circle::new(pt, 5, dips.filled())))?;
        if let Some(k) = stop {
            let point = floor((self.looks[k], self.naive_p[k]));
            chart.draw_series(std::iter::once(Circle::new(point, 10, naive.stroke_width(3))))?;
        }
        if self.through.is_some() {
            chart.draw_series(std::iter::once(today_line(self.looks[shown - 1], (P_FLOOR, 1.0))))?;
        }
        Ok(())
    }
}

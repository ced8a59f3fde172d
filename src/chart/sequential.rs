//! Charts of sequential testing: one experiment monitored look by look, and
//! what peeking does to the rate of declared winners.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::stats::numeric::norm_upper_quantile;

use super::table::number;
use super::{ChartError, Curve, Draw, ImageFormat, NamedCurve, colour, label_font, padded_range, render, tick_font};
use super::{DataTable, legend, style};

/// Largest |z| the monitor's axis shows.
const Z_AXIS_LIMIT: f64 = 6.0;
/// Wide and low: in the app it spans the screen above its two companion charts (chart::monitor).
const MONITOR_SIZE: (u32, u32) = (1100, 390);
/// Room on the right of the monitor's plot for its legend.
const LEGEND_WIDTH: u32 = 330;

/// One experiment's test statistic at each look against its stopping boundary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SequentialMonitor {
    pub title: String,
    /// What the x values are, with units, e.g. "users per arm".
    pub x_label: String,
    /// x of each look.
    pub looks: Vec<f64>,
    /// The z statistic observed at each look.
    pub statistic: Vec<f64>,
    /// The efficacy boundary (z) at each look.
    pub upper_boundary: Vec<f64>,
    /// A futility or lower boundary, if the design has one.
    pub lower_boundary: Option<Vec<f64>>,
    /// The level the naive fixed test repeats at every look (two-sided; the experiment's α):
    /// its critical value `z_{1−α/2}` is drawn as a dashed line.
    pub naive_alpha: f64,
    /// E[Z] at each look under the true effect (the drift θ·√I), if known.
    pub expected_at_true_effect: Option<Vec<f64>>,
    /// Draw the observed statistic through this many looks only (a replay at day d); the
    /// boundaries stay whole so the axes do not move. `None`: every look.
    pub through: Option<usize>,
    /// Look index (0-based) where the valid method first declared, marked once reached.
    pub valid_look: Option<usize>,
    /// Look index (0-based) where naive peeking would have stopped, marked once reached.
    pub naive_stop_look: Option<usize>,
}

/// Share of experiments declaring a winner against the number of looks, per method.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Peeking {
    pub title: String,
    /// Per method: x = number of looks, y = share declaring a winner (0–1), band = Monte Carlo 95 %.
    pub methods: Vec<NamedCurve>,
    /// The nominal level the methods promise (0.05).
    pub nominal: f64,
    /// The exact naive-peeking rate by number of looks (Armitage, McPherson & Rowe 1969), drawn as a line.
    pub exact: Option<Curve>,
    /// What x counts; empty means "number of looks".
    pub x_label: String,
}

pub fn sequential_monitor(chart: &SequentialMonitor, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

pub fn peeking(chart: &Peeking, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

impl Draw for SequentialMonitor {
    fn table(&self) -> DataTable {
        let shown = self.through.unwrap_or(self.looks.len()).min(self.looks.len());
        let mut columns = vec![self.x_label.as_str(), "z statistic", "efficacy boundary (z)"];
        if self.lower_boundary.is_some() {
            columns.push("lower boundary (z)");
        }
        if self.expected_at_true_effect.is_some() {
            columns.push("expected z at the true effect");
        }
        let mut t = DataTable::new(&self.title, &columns);
        for k in 0..self.looks.len() {
            let z = if k < shown { number(self.statistic[k]) } else { String::new() };
            let mut row = vec![number(self.looks[k]), z, number(self.upper_boundary[k])];
            row.extend(self.lower_boundary.as_ref().map(|l| number(l[k])));
            row.extend(self.expected_at_true_effect.as_ref().map(|e| number(e[k])));
            t.rows.push(row);
        }
        t
    }

    fn size(&self) -> (u32, u32) {
        MONITOR_SIZE
    }

    fn check(&self) -> Result<(), ChartError> {
        let n = self.looks.len();
        let ok = n > 0
            && self.statistic.len() == n
            && self.upper_boundary.len() == n
            && self.lower_boundary.as_ref().is_none_or(|l| l.len() == n)
            && self.expected_at_true_effect.as_ref().is_none_or(|e| e.len() == n)
            && self.through.is_none_or(|t| t >= 1 && t <= n)
            && [self.valid_look, self.naive_stop_look].iter().flatten().all(|&k| k < n)
            && self.naive_alpha > 0.0
            && self.naive_alpha < 1.0;
        if ok {
            Ok(())
        } else {
            Err(ChartError::InvalidData(
                "looks, statistic and boundaries need one value per look; through and markers must be within the looks; the naive α within (0, 1)"
                    .into(),
            ))
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let x_max = self.looks.iter().copied().fold(0.0, f64::max);
        let naive_critical = norm_upper_quantile(self.naive_alpha / 2.0);
        // The axis spans the design (boundaries, expected z) and only the statistic drawn so far,
        // so a replay's frame never hints at a later look.
        let shown = self.through.unwrap_or(self.looks.len());
        let ys = self
            .statistic
            .iter()
            .take(shown)
            .chain(&self.upper_boundary)
            .chain(self.lower_boundary.iter().flatten())
            .chain(self.expected_at_true_effect.iter().flatten())
            .copied()
            .chain([naive_critical, 0.0]);
        // Early boundaries of O'Brien–Fleming-type designs are huge; showing them whole would flatten
        // everything that matters, so the axis stops at ±Z_AXIS_LIMIT (the lines run off the top).
        let (y_min, y_max) =
            padded_range(ys.filter(|v| v.is_finite()).map(|v| v.clamp(-Z_AXIS_LIMIT, Z_AXIS_LIMIT)), false);
        // The legend sits beside the plot, not on it: every corner of the plot holds data some day.
        let (title, font) = super::fitted_title(&self.title, root.dim_in_pixel().0, super::TITLE_SIZE);
        let body = root.titled(&title, font)?;
        let width = body.dim_in_pixel().0;
        let (plot, side) = body.split_horizontally(width - LEGEND_WIDTH.min(width * 2 / 5));
        let mut chart = ChartBuilder::on(&plot)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..x_max * 1.04, y_min..y_max)?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc("z statistic")
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .x_label_formatter(&|v| format!("{v:.0}"))
            .axis_style(style().text)
            .light_line_style(style().grid_minor)
            .bold_line_style(style().grid_major)
            .draw()?;
        let at = |v: &[f64]| self.looks.iter().copied().zip(v.iter().copied()).collect::<Vec<_>>();
        let boundary = colour(1);
        chart.draw_series(LineSeries::new(at(&self.upper_boundary), boundary.stroke_width(3)).point_size(4))?;
        if let Some(lower) = &self.lower_boundary {
            chart.draw_series(LineSeries::new(at(lower), boundary.stroke_width(3)).point_size(4))?;
        }
        let naive = colour(6);
        if self.lower_boundary.is_some() {
            chart.draw_series(DashedLineSeries::new(
                [(0.0, -naive_critical), (x_max * 1.04, -naive_critical)],
                8,
                6,
                naive.stroke_width(2),
            ))?;
        }
        chart.draw_series(DashedLineSeries::new(
            [(0.0, naive_critical), (x_max * 1.04, naive_critical)],
            8,
            6,
            naive.stroke_width(2),
        ))?;
        let truth = colour(2);
        if let Some(expected) = &self.expected_at_true_effect {
            chart.draw_series(DashedLineSeries::new(at(expected), 3, 5, truth.stroke_width(3)))?;
        }
        let observed = colour(0);
        let clamp = |(x, y): (f64, f64)| (x, y.clamp(y_min, y_max));
        chart.draw_series(
            LineSeries::new(at(&self.statistic).into_iter().take(shown).map(clamp), observed.stroke_width(3))
                .point_size(5),
        )?;
        if self.through.is_some() {
            let today = self.looks[shown - 1];
            chart.draw_series(std::iter::once(PathElement::new(
                [(today, y_min), (today, y_max)],
                style().mark_grey.stroke_width(1),
            )))?;
        }
        let markers =
            [(self.naive_stop_look, colour(6), "naive peeking stops"), (self.valid_look, colour(2), "valid result")];
        let reached: Vec<_> = markers
            .into_iter()
            .filter_map(|(look, style, name)| look.filter(|&k| k < shown).map(|k| (k, style, name)))
            .collect();
        for &(k, style, _) in &reached {
            let point = clamp((self.looks[k], self.statistic[k]));
            chart.draw_series(std::iter::once(Circle::new(point, 9, style.stroke_width(3))))?;
        }
        // The legend's own area: empty series carry the labels and their samples.
        let mut legend = ChartBuilder::on(&side).margin(16).build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
        let none = || std::iter::empty::<Circle<(f64, f64), i32>>();
        legend
            .draw_series(none())?
            .label("stopping boundary")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], boundary.stroke_width(3)));
        legend
            .draw_series(none())?
            .label(format!("naive z = {naive_critical:.2} (p < {} at every look)", self.naive_alpha))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (8, 0)], naive.stroke_width(2))
                    + PathElement::new([(14, 0), (22, 0)], naive.stroke_width(2))
            });
        if self.expected_at_true_effect.is_some() {
            legend.draw_series(none())?.label("expected z at the true effect").legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (3, 0)], truth.stroke_width(3))
                    + PathElement::new([(9, 0), (12, 0)], truth.stroke_width(3))
                    + PathElement::new([(18, 0), (21, 0)], truth.stroke_width(3))
            });
        }
        legend
            .draw_series(none())?
            .label("observed z")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], observed.stroke_width(3)));
        for (k, style, name) in reached {
            legend
                .draw_series(none())?
                .label(format!("{name} (day {:.0})", self.looks[k]))
                .legend(move |(x, y)| Circle::new((x + 12, y), 6, style.stroke_width(3)));
        }
        super::legend(&mut legend).position(SeriesLabelPosition::UpperLeft).draw()?;
        Ok(())
    }
}

impl Draw for Peeking {
    fn table(&self) -> DataTable {
        let x = if self.x_label.is_empty() { "number of looks" } else { self.x_label.as_str() };
        let columns = ["method", x, "share declaring a winner", "lower (95 %)", "upper (95 %)"];
        let mut t = DataTable::new(&self.title, &columns).with_shares(2..5);
        for m in &self.methods {
            t.add_curve(&[&m.name], &m.curve);
        }
        if let Some(exact) = &self.exact {
            t.add_curve(&["naive peeking, exact"], exact);
        }
        t
    }

    fn check(&self) -> Result<(), ChartError> {
        if self.methods.is_empty() {
            return Err(ChartError::InvalidData("no method to draw".into()));
        }
        self.methods.iter().try_for_each(|m| m.curve.check(&m.name))?;
        self.exact.iter().try_for_each(|e| e.check("exact curve"))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let exact_x = self.exact.iter().flat_map(|e| e.x.iter().copied());
        let x_max = self.methods.iter().flat_map(|m| m.curve.x.iter().copied()).chain(exact_x).fold(1.0, f64::max);
        let exact_y = self.exact.iter().flat_map(|e| e.y_range().collect::<Vec<_>>());
        let (_, y_max) = padded_range(
            self.methods
                .iter()
                .flat_map(|m| m.curve.y_range().collect::<Vec<_>>())
                .chain(exact_y)
                .chain([self.nominal]),
            true,
        );
        let x_label = if self.x_label.is_empty() { "number of looks" } else { self.x_label.as_str() };
        let (title, font) = super::fitted_title(&self.title, root.dim_in_pixel().0, super::TITLE_SIZE);
        let mut chart = ChartBuilder::on(root)
            .caption(&title, font)
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(0.5..x_max * 1.03, 0.0..y_max)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc("experiments declaring a winner (%)")
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .axis_style(style().text)
            .light_line_style(style().grid_minor)
            .bold_line_style(style().grid_major)
            .draw()?;
        if let Some(exact) = &self.exact {
            let grey = style().reference_grey;
            chart
                .draw_series(LineSeries::new(exact.points(), grey.stroke_width(4)))?
                .label("exact naive peeking (Armitage et al. 1969)")
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], grey.stroke_width(4)));
        }
        // Monte Carlo estimates: points joined by a thin line, each with its 95 % interval as a bar.
        for (i, m) in self.methods.iter().enumerate() {
            let c = colour(i);
            chart.draw_series(LineSeries::new(m.curve.points(), c.stroke_width(1)))?;
            if let Some(band) = &m.curve.band {
                let bars = m
                    .curve
                    .x
                    .iter()
                    .zip(band.lower.iter().zip(&band.upper))
                    .filter(|(x, (lo, hi))| x.is_finite() && lo.is_finite() && hi.is_finite())
                    .map(|(&x, (&lo, &hi))| PathElement::new([(x, lo), (x, hi)], c.stroke_width(2)));
                chart.draw_series(bars)?;
            }
            chart
                .draw_series(m.curve.points().into_iter().map(|p| Circle::new(p, 4, c.filled())))?
                .label(m.name.as_str())
                .legend(move |(x, y)| Circle::new((x + 12, y), 5, c.filled()));
        }
        let grey = colour(6);
        chart
            .draw_series(DashedLineSeries::new(
                [(0.5, self.nominal), (x_max * 1.03, self.nominal)],
                8,
                6,
                grey.stroke_width(2),
            ))?
            .label(format!("nominal {:.0}%", self.nominal * 100.0))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (8, 0)], grey.stroke_width(2))
                    + PathElement::new([(14, 0), (22, 0)], grey.stroke_width(2))
            });
        legend(&mut chart).position(SeriesLabelPosition::UpperLeft).draw()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monitor() -> SequentialMonitor {
        SequentialMonitor {
            title: "replay".into(),
            x_label: "day".into(),
            looks: vec![1.0, 2.0, 3.0, 4.0],
            statistic: vec![2.1, 1.0, 1.8, 2.9],
            upper_boundary: vec![4.3, 3.0, 2.5, 2.0],
            naive_alpha: 0.05,
            naive_stop_look: Some(0),
            valid_look: Some(3),
            ..SequentialMonitor::default()
        }
    }

    fn svg(chart: &SequentialMonitor) -> String {
        String::from_utf8(sequential_monitor(chart, ImageFormat::Svg).expect("drawn")).expect("utf-8")
    }

    #[test]
    fn a_replay_marks_only_the_moments_it_has_reached() {
        let early = svg(&SequentialMonitor { through: Some(2), ..monitor() });
        assert!(early.contains("naive peeking stops") && !early.contains("valid result"));
        let whole = svg(&SequentialMonitor { through: Some(4), ..monitor() });
        assert!(whole.contains("naive peeking stops (day 1)") && whole.contains("valid result (day 4)"));
    }

    #[test]
    fn the_naive_line_sits_at_the_given_level() {
        assert!(svg(&monitor()).contains("naive z = 1.96 (p &lt; 0.05 at every look)"));
        let at_ten = svg(&SequentialMonitor { naive_alpha: 0.1, ..monitor() });
        assert!(at_ten.contains("naive z = 1.64 (p &lt; 0.1 at every look)"), "z_0.95 = 1.6449");
        assert!(matches!(
            sequential_monitor(&SequentialMonitor { naive_alpha: 0.0, ..monitor() }, ImageFormat::Svg),
            Err(ChartError::InvalidData(_))
        ));
    }

    #[test]
    fn a_replay_beyond_the_looks_or_a_marker_off_the_looks_is_refused() {
        for bad in [
            SequentialMonitor { through: Some(0), ..monitor() },
            SequentialMonitor { through: Some(5), ..monitor() },
            SequentialMonitor { valid_look: Some(4), ..monitor() },
        ] {
            assert!(matches!(sequential_monitor(&bad, ImageFormat::Svg), Err(ChartError::InvalidData(_))));
        }
    }
}

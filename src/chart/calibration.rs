//! The calibration's back-test: actual against simulated (and a model's prediction), as lines
//! with the axes' own labels and an optional vertical marker (the holdout's start).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    ChartError, Draw, ImageFormat, NamedCurve, colour, label_font, padded_range, render, tick_font, title_font,
};
use super::{GRID_MAJOR, GRID_MINOR, REFERENCE_GREY, legend};

/// Lines over one x axis; the first is solid (the actual), the rest dashed alternately.
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

impl Draw for BacktestChart {
    fn check(&self) -> Result<(), ChartError> {
        if self.lines.is_empty() || self.lines.iter().all(|l| l.curve.points().is_empty()) {
            return Err(ChartError::InvalidData("no data to draw".into()));
        }
        self.lines.iter().try_for_each(|l| l.curve.check(&l.name))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let xs = self.lines.iter().flat_map(|l| l.curve.x.iter().copied()).filter(|v| v.is_finite());
        let (x_min, x_max) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let x_max = if x_max > x_min { x_max } else { x_min + 1.0 };
        let (y_min, y_max) = padded_range(self.lines.iter().flat_map(|l| l.curve.y_range()), true);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .y_label_formatter(&|v| if v.abs() >= 100.0 { format!("{v:.0}") } else { format!("{v:.2}") })
            .x_label_formatter(&|v| format!("{v:.0}"))
            .light_line_style(GRID_MINOR)
            .bold_line_style(GRID_MAJOR)
            .draw()?;
        if let Some((x, label)) = &self.marker {
            let grey = REFERENCE_GREY;
            chart.draw_series(DashedLineSeries::new([(*x, y_min), (*x, y_max)], 4, 4, grey.stroke_width(1)))?;
            chart.draw_series(std::iter::once(Text::new(
                label.clone(),
                (*x + 0.006 * (x_max - x_min), y_max - 0.04 * (y_max - y_min)),
                tick_font().color(&grey),
            )))?;
        }
        for (i, line) in self.lines.iter().enumerate() {
            let c = colour(i);
            let style = c.stroke_width(3);
            let points = line.curve.points();
            let anno = if i == 0 {
                chart.draw_series(LineSeries::new(points, style))?
            } else {
                chart.draw_series(DashedLineSeries::new(points, 6 + 4 * i as u32, 5, style))?
            };
            anno.label(line.name.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], c.stroke_width(3)));
        }
        legend(&mut chart).position(SeriesLabelPosition::UpperLeft).draw()?;
        Ok(())
    }
}

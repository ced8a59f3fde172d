//! The sparkline histogram: a small bar chart with no axes or text, drawn
//! beside a form field to show the shape of a distribution at a glance.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::table::number;
use super::{ChartError, Draw, ImageFormat, colour, render};
use super::{DataTable, style};

/// Sparkline size in pixels: small enough to sit beside a form field.
pub const SPARKLINE_SIZE: (u32, u32) = (168, 44);

/// Bar heights of a histogram in equal bins; `marker` (optional) is a value
/// within `[lower, upper]` drawn as a thin vertical line (the mean).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparklineHistogram {
    pub counts: Vec<u64>,
    pub lower: f64,
    pub upper: f64,
    pub marker: Option<f64>,
}

pub fn sparkline_histogram(chart: &SparklineHistogram, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

impl Draw for SparklineHistogram {
    fn size(&self) -> (u32, u32) {
        SPARKLINE_SIZE
    }

    /// A sparkline has no text: it stays legible down to a third of its own size.
    fn min_size(&self) -> (u32, u32) {
        (SPARKLINE_SIZE.0 / 3, SPARKLINE_SIZE.1 / 3)
    }

    fn table(&self) -> DataTable {
        let mut t = DataTable::new("histogram", &["bin from", "bin to", "users"]);
        let width = (self.upper - self.lower) / self.counts.len().max(1) as f64;
        for (i, c) in self.counts.iter().enumerate() {
            let from = self.lower + i as f64 * width;
            t.rows.push(vec![number(from), number(from + width), c.to_string()]);
        }
        if let Some(m) = self.marker {
            t.rows.push(vec!["mean".into(), number(m), String::new()]);
        }
        t
    }

    fn check(&self) -> Result<(), ChartError> {
        if self.counts.is_empty() {
            return Err(ChartError::InvalidData("a histogram needs at least one bin".into()));
        }
        if !(self.lower.is_finite() && self.upper.is_finite() && self.upper > self.lower) {
            return Err(ChartError::InvalidData(format!("histogram range {}…{} is empty", self.lower, self.upper)));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (w, h) = root.dim_in_pixel();
        let tallest = self.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        let bins = self.counts.len() as f64;
        let bar = colour(0);
        // One pixel of baseline; bars leave a 1 px gap so neighbours stay apart.
        let base = h as i32 - 1;
        for (i, &c) in self.counts.iter().enumerate() {
            let x0 = (i as f64 * f64::from(w) / bins).round() as i32;
            let x1 = (((i + 1) as f64 * f64::from(w) / bins).round() as i32 - 1).max(x0);
            let top = base - ((c as f64 / tallest) * f64::from(h - 4)).round() as i32;
            if c > 0 {
                root.draw(&Rectangle::new([(x0, top.min(base - 1)), (x1, base)], bar.mix(0.75).filled()))?;
            }
        }
        root.draw(&PathElement::new(vec![(0, base), (w as i32, base)], style().mark_grey))?;
        if let Some(m) = self.marker.filter(|m| m.is_finite() && (self.lower..=self.upper).contains(m)) {
            let x = ((m - self.lower) / (self.upper - self.lower) * f64::from(w)).round() as i32;
            root.draw(&PathElement::new(vec![(x, 0), (x, base)], colour(1).stroke_width(2)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparkline_is_a_small_svg_with_one_bar_per_non_empty_bin() {
        let chart = SparklineHistogram { counts: vec![1, 4, 0, 9, 2], lower: 0.0, upper: 5.0, marker: Some(2.5) };
        let svg = String::from_utf8(sparkline_histogram(&chart, ImageFormat::Svg).expect("svg")).expect("utf8");
        assert!(svg.starts_with("<svg") && svg.contains("width=\"168\"") && svg.contains("height=\"44\""), "{svg}");
        // The background plus one rectangle per non-empty bin.
        assert_eq!(svg.matches("<rect").count(), 1 + 4, "{svg}");
        let png = sparkline_histogram(&chart, ImageFormat::Png).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn an_empty_histogram_is_refused() {
        let empty = SparklineHistogram { counts: Vec::new(), lower: 0.0, upper: 1.0, marker: None };
        assert!(matches!(sparkline_histogram(&empty, ImageFormat::Svg), Err(ChartError::InvalidData(_))));
        let flat = SparklineHistogram { counts: vec![1], lower: 1.0, upper: 1.0, marker: None };
        assert!(matches!(sparkline_histogram(&flat, ImageFormat::Svg), Err(ChartError::InvalidData(_))));
    }
}

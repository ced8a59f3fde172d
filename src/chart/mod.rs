//! Charts for the app (SVG) and for export (PNG), drawn with plotters.
//!
//! One function per chart kind, each taking a plain data struct defined here
//! (not engine types) so any feature can feed it. Every chart has a title, axis
//! labels with units and a legend; colours come from the Okabe–Ito palette
//! (Okabe & Ito 2008, "Color Universal Design"), which stays distinguishable
//! with the common colour-vision deficiencies; series that matter also differ
//! by line style or markers. Text is set in DejaVu Sans, embedded in the binary
//! (assets/fonts, Bitstream Vera licence), so no system font is needed.
//!
//! Front ends draw a chart at the size it is shown ([`ChartOptions::size`]):
//! text is set in pixels (ticks 15 px, never below [`MIN_TEXT_PX`]), so it keeps
//! its size on screen instead of shrinking with a scaled-down image. A light or
//! dark [`Theme`] picks the background, text, grid and palette. Every chart also
//! gives its exact values as a [`DataTable`] ([`Chart::table`]): the "show as
//! table" view and the chart's text alternative.

mod bars;
mod histogram;
mod legend_strip;
mod lines;
mod monitor;
mod robust;
mod sequential;
mod style;
mod table;

pub use bars::{
    ChannelActivity, ChannelStrategy, DiscountBar, DiscountVsRevenue, channel_activity, discount_vs_revenue,
};
pub use histogram::{SPARKLINE_SIZE, SparklineHistogram, sparkline_histogram};
pub use lines::{
    BacktestChart, CumulativeMargin, FullPriceShare, RetentionChart, RetentionStrategy, backtest, cumulative_margin,
    full_price_share, retention_curves,
};
pub use monitor::{ArmEstimates, PValuePath, arm_estimates, p_value_path};
pub use robust::{HoldsRow, HoldsShare, Tornado, TornadoRow, holds_share, tornado};
pub use sequential::{Peeking, SequentialMonitor, peeking, sequential_monitor};
pub use style::{DARK_PALETTE, Theme};
pub use table::DataTable;

pub(crate) use legend_strip::{Entry, Sample, draw_markers, marker_points, with_legend_below};
use std::sync::OnceLock;
pub(crate) use style::{style, with_theme};

use plotters::chart::SeriesLabelStyle;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Output format: SVG text for the app, PNG for export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChartError {
    /// The data cannot be drawn (empty, mismatched lengths, not finite).
    #[error("cannot draw the chart: {0}")]
    InvalidData(String),
    #[error("drawing failed: {0}")]
    Draw(String),
}

/// A curve: y over x, with an optional uncertainty band of the same length.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Curve {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub band: Option<Band>,
}

/// Lower and upper edges of an uncertainty band, one per x.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// A named curve (one strategy, one method).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NamedCurve {
    pub name: String,
    pub curve: Curve,
}

impl Curve {
    fn check(&self, what: &str) -> Result<(), ChartError> {
        let n = self.x.len();
        let band_ok = self.band.as_ref().is_none_or(|b| b.lower.len() == n && b.upper.len() == n);
        if self.y.len() != n || !band_ok {
            return Err(ChartError::InvalidData(format!("{what}: x, y and band lengths differ")));
        }
        Ok(())
    }

    /// Finite (x, y) points; non-finite ones (a rate with nothing observed) are skipped.
    fn points(&self) -> Vec<(f64, f64)> {
        self.x.iter().zip(&self.y).filter(|(x, y)| x.is_finite() && y.is_finite()).map(|(x, y)| (*x, *y)).collect()
    }

    /// The band as a closed polygon (upper edge forward, lower edge back).
    fn band_polygon(&self) -> Option<Vec<(f64, f64)>> {
        let band = self.band.as_ref()?;
        let upper = self.x.iter().zip(&band.upper).map(|(x, y)| (*x, *y));
        let lower = self.x.iter().zip(&band.lower).rev().map(|(x, y)| (*x, *y));
        let polygon: Vec<(f64, f64)> = upper.chain(lower).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
        (polygon.len() >= 3).then_some(polygon)
    }

    fn y_range(&self) -> impl Iterator<Item = f64> + '_ {
        let band = self.band.iter().flat_map(|b| b.lower.iter().chain(&b.upper));
        self.y.iter().chain(band).copied().filter(|v| v.is_finite())
    }
}

/// Okabe–Ito colours in the order series use them (yellow, too pale on white, is left out).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
];

/// The colour of series `i` in the theme being drawn.
pub fn colour(i: usize) -> RGBColor {
    let palette = style().palette;
    palette[i % palette.len()]
}

/// The chart style's greys, light to dark: the grid's minor and major lines, the legend's
/// border, thin marks (today's line, a marker's tick, a histogram's base line), and
/// reference lines with their labels (end of simulation, the exact curve, zero).
pub const GRID_MINOR: RGBColor = RGBColor(235, 235, 235);
pub const GRID_MAJOR: RGBColor = RGBColor(215, 215, 215);
pub const LEGEND_BORDER: RGBColor = RGBColor(180, 180, 180);
pub const MARK_GREY: RGBColor = RGBColor(150, 150, 150);
pub const REFERENCE_GREY: RGBColor = RGBColor(110, 110, 110);
/// The legend's background: white, slightly see-through where it sits on the plot.
pub const LEGEND_FILL: RGBAColor = RGBAColor(255, 255, 255, 0.9);

/// Every chart's legend box: tick-sized text on [`LEGEND_FILL`] inside a [`LEGEND_BORDER`];
/// the caller places it and draws it.
pub(crate) fn legend<'a, 'b, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &'b mut ChartContext<'a, DB, CT>,
) -> SeriesLabelStyle<'a, 'b, DB, CT> {
    let theme = style();
    let mut labels = chart.configure_series_labels();
    labels.label_font(tick_font()).background_style(theme.legend_fill).border_style(theme.legend_border);
    labels
}

const SIZE: (u32, u32) = (1000, 620);
/// The smallest text any chart sets, in pixels of the image (WCAG-minded: 12 px on screen when drawn at the
/// size it is shown).
pub const MIN_TEXT_PX: u32 = 12;
/// The smallest and largest size a chart is drawn at: below the minimum, axis labels and a legend no longer fit
/// beside a plot at readable text sizes.
pub const MIN_SIZE: (u32, u32) = (360, 240);
pub const MAX_SIZE: (u32, u32) = (4096, 4096);

/// How to draw a chart: at which size (pixels; None: the chart's own default) and in which theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChartOptions {
    pub size: Option<(u32, u32)>,
    pub theme: Theme,
}

/// What every chart offers a front end: drawn at a size and in a theme, and its data as a table.
pub trait Chart {
    /// Draws the chart as `format` at `options`' size (clamped to [`MIN_SIZE`] … [`MAX_SIZE`]) and theme.
    fn render(&self, format: ImageFormat, options: &ChartOptions) -> Result<Vec<u8>, ChartError>;
    /// The exact values the chart draws, one row per point or bar: its text alternative.
    fn table(&self) -> DataTable;
}

impl<T: Draw> Chart for T {
    fn render(&self, format: ImageFormat, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
        render_with(self, format, options)
    }

    fn table(&self) -> DataTable {
        Draw::table(self)
    }
}
const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

fn register_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok { Ok(()) } else { Err(ChartError::Draw("the embedded font could not be read".into())) }
}

pub(crate) fn title_font() -> TextStyle<'static> {
    (FONT, TITLE_SIZE).into_font().color(&style().text)
}

/// The usual size of a chart's title, in pixels.
pub(crate) const TITLE_SIZE: u32 = 26;
/// The smallest a title is set to fit a narrow chart: still a size above the ticks'.
const MIN_TITLE_PX: u32 = 16;

/// A title that fits `width` pixels: at `size` (the chart's usual title size), smaller down to
/// [`MIN_TITLE_PX`] when it would not fit, and cut with an ellipsis when it is too long even then (the
/// caption beside the chart has it whole).
pub(crate) fn fitted_title(title: &str, width: u32, size: u32) -> (String, TextStyle<'static>) {
    let room = width.saturating_sub(24);
    let fits = |text: &str, px: u32| (FONT, px).into_font().box_size(text).map_or(true, |(w, _)| w <= room);
    let font = |px: u32| (FONT, px).into_font().color(&style().text);
    if let Some(px) = (MIN_TITLE_PX.min(size)..=size).rev().find(|px| fits(title, *px)) {
        return (title.to_owned(), font(px));
    }
    let chars: Vec<char> = title.chars().collect();
    let cut = (1..chars.len())
        .rev()
        .map(|n| format!("{}…", chars[..n].iter().collect::<String>().trim_end()))
        .find(|t| fits(t, MIN_TITLE_PX))
        .unwrap_or_else(|| "…".to_owned());
    (cut, font(MIN_TITLE_PX))
}

pub(crate) fn label_font() -> TextStyle<'static> {
    (FONT, 18).into_font().color(&style().text)
}

pub(crate) fn tick_font() -> TextStyle<'static> {
    (FONT, 15).into_font().color(&style().text)
}

/// What every chart kind implements: draw itself on a root area of any backend.
pub(crate) trait Draw {
    /// Pixel size of the image; every chart but the sparkline uses the common size.
    fn size(&self) -> (u32, u32) {
        SIZE
    }
    /// The smallest size it stays readable at.
    fn min_size(&self) -> (u32, u32) {
        MIN_SIZE
    }
    fn check(&self) -> Result<(), ChartError>;
    /// The values drawn, as a table.
    fn table(&self) -> DataTable;
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

fn draw_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Renders a chart to SVG text or PNG bytes at its own size, in the light theme.
pub(crate) fn render(chart: &impl Draw, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render_with(chart, format, &ChartOptions::default())
}

/// Renders a chart to SVG text or PNG bytes at `options`' size and theme.
pub(crate) fn render_with(
    chart: &impl Draw,
    format: ImageFormat,
    options: &ChartOptions,
) -> Result<Vec<u8>, ChartError> {
    chart.check()?;
    register_font()?;
    let size = options.size.map_or_else(
        || chart.size(),
        |(w, h)| {
            let min = chart.min_size();
            (w.clamp(min.0, MAX_SIZE.0), h.clamp(min.1, MAX_SIZE.1))
        },
    );
    with_theme(options.theme, || draw_image(chart, format, size))
}

fn draw_image(chart: &impl Draw, format: ImageFormat, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let background = style().background;
    match format {
        ImageFormat::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
                root.fill(&background).map_err(draw_error)?;
                chart.draw(&root).map_err(draw_error)?;
                root.present().map_err(draw_error)?;
            }
            Ok(text.into_bytes())
        }
        ImageFormat::Png => {
            let mut pixels = vec![255u8; (size.0 * size.1 * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
                root.fill(&background).map_err(draw_error)?;
                chart.draw(&root).map_err(draw_error)?;
                root.present().map_err(draw_error)?;
            }
            encode_png(&pixels, size)
        }
    }
}

fn encode_png(rgb: &[u8], size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, size.0, size.1);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| ChartError::Draw(e.to_string()))?;
    writer.write_image_data(rgb).map_err(|e| ChartError::Draw(e.to_string()))?;
    writer.finish().map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(out)
}

/// (min, max) of values with a little headroom; `floor_zero` pins the bottom at 0
/// when every value is non-negative.
pub(crate) fn padded_range(values: impl Iterator<Item = f64>, floor_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if floor_zero && lo >= 0.0 {
        lo = 0.0;
    }
    if hi - lo < 1e-12 {
        hi = lo + 1.0;
    }
    let pad = 0.06 * (hi - lo);
    (if floor_zero && lo == 0.0 { 0.0 } else { lo - pad }, hi + pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_shrinks_to_fit_a_narrow_chart_and_is_cut_only_below_the_smallest_size() {
        register_font().expect("the embedded font");
        let size = |(_, font): &(String, TextStyle<'static>)| font.font.get_size();
        let short = fitted_title("Active users by week", 1000, TITLE_SIZE);
        assert_eq!((short.0.as_str(), size(&short)), ("Active users by week", f64::from(TITLE_SIZE)));
        let long = "Survival (not yet lost): Discount spiral: weekly sales vs a behavioural journey";
        let narrower = fitted_title(long, 720, TITLE_SIZE);
        assert_eq!(narrower.0, long, "smaller, still whole");
        assert!(size(&narrower) < f64::from(TITLE_SIZE) && size(&narrower) >= f64::from(MIN_TITLE_PX));
        let cut = fitted_title(long, 360, TITLE_SIZE);
        assert!(cut.0.ends_with('…') && cut.0.len() < long.len(), "{}", cut.0);
        assert_eq!(size(&cut), f64::from(MIN_TITLE_PX));
        let (w, _) = (FONT, MIN_TITLE_PX).into_font().box_size(&cut.0).expect("measured");
        assert!(w <= 360 - 24, "{w}");
    }
}

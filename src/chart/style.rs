//! The chart style's two themes: the light one of exported images and the dark one
//! of the app's dark theme. The theme being drawn is set for the duration of one
//! render on its thread ([`with_theme`]), so every chart kind and helper reads the
//! same colours without threading them through each call.

use std::cell::Cell;

use plotters::style::{RGBAColor, RGBColor};

use super::{GRID_MAJOR, GRID_MINOR, LEGEND_BORDER, LEGEND_FILL, MARK_GREY, PALETTE, REFERENCE_GREY};

/// Light (white background, the exported images) or dark (the app's dark theme).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// The colours of one theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Style {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid_minor: RGBColor,
    pub grid_major: RGBColor,
    pub legend_border: RGBColor,
    pub legend_fill: RGBAColor,
    pub mark_grey: RGBColor,
    pub reference_grey: RGBColor,
    pub palette: [RGBColor; 7],
}

/// The Okabe–Ito colours lightened for a dark background (each at least 4.5:1 against
/// [`DARK_BACKGROUND`]), in the same order and hue as [`PALETTE`]; white replaces black.
pub const DARK_PALETTE: [RGBColor; 7] = [
    RGBColor(0x4D, 0xA8, 0xE8), // blue
    RGBColor(0xF0, 0x8A, 0x3C), // vermillion
    RGBColor(0x2E, 0xC4, 0x9A), // bluish green
    RGBColor(0xF2, 0xBE, 0x3C), // orange
    RGBColor(0xE0, 0x9B, 0xC4), // reddish purple
    RGBColor(0x8A, 0xCF, 0xF5), // sky blue
    RGBColor(0xF0, 0xF0, 0xF0), // white
];

/// The dark theme's background (the app's dark surface).
pub(crate) const DARK_BACKGROUND: RGBColor = RGBColor(0x1E, 0x1F, 0x22);

const LIGHT: Style = Style {
    background: RGBColor(255, 255, 255),
    text: RGBColor(0, 0, 0),
    grid_minor: GRID_MINOR,
    grid_major: GRID_MAJOR,
    legend_border: LEGEND_BORDER,
    legend_fill: LEGEND_FILL,
    mark_grey: MARK_GREY,
    reference_grey: REFERENCE_GREY,
    palette: PALETTE,
};

const DARK: Style = Style {
    background: DARK_BACKGROUND,
    text: RGBColor(0xEE, 0xEE, 0xEE),
    grid_minor: RGBColor(0x2C, 0x2D, 0x31),
    grid_major: RGBColor(0x3E, 0x40, 0x45),
    legend_border: RGBColor(0x6A, 0x6C, 0x72),
    legend_fill: RGBAColor(0x1E, 0x1F, 0x22, 0.9),
    mark_grey: RGBColor(0x90, 0x92, 0x98),
    reference_grey: RGBColor(0xB4, 0xB6, 0xBC),
    palette: DARK_PALETTE,
};

thread_local! {
    static THEME: Cell<Theme> = const { Cell::new(Theme::Light) };
}

/// The colours of the theme being drawn on this thread (light outside a render).
pub(crate) fn style() -> &'static Style {
    match THEME.with(Cell::get) {
        Theme::Light => &LIGHT,
        Theme::Dark => &DARK,
    }
}

/// Runs `draw` with `theme` as this thread's theme, restoring the previous one after.
pub(crate) fn with_theme<T>(theme: Theme, draw: impl FnOnce() -> T) -> T {
    let previous = THEME.with(|t| t.replace(theme));
    let out = draw();
    THEME.with(|t| t.set(previous));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2.1 relative luminance and contrast ratio.
    fn luminance(c: RGBColor) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
    }

    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn dark_colours_stand_out_on_the_dark_background() {
        for c in DARK_PALETTE {
            assert!(contrast(c, DARK_BACKGROUND) >= 4.5, "{c:?}: {}", contrast(c, DARK_BACKGROUND));
        }
        assert!(contrast(DARK.text, DARK.background) >= 7.0);
        assert!(contrast(DARK.reference_grey, DARK.background) >= 4.5);
    }

    #[test]
    fn the_theme_is_restored_after_a_render() {
        assert_eq!(with_theme(Theme::Dark, || style().background), DARK_BACKGROUND);
        assert_eq!(style().background, LIGHT.background);
    }
}

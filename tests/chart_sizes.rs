//! Charts drawn at the size they are shown: the image has that size, text stays at least
//! `MIN_TEXT_PX` there, legends sit outside the data, overlapping series stay apart, a dark theme,
//! and every chart's values as a table.

use journeylab::api::chart::{self, Band, Chart, ChartOptions, Curve, ImageFormat, NamedCurve, Theme};

fn pvalue_chart() -> chart::PValuePath {
    let looks: Vec<f64> = (1..=20).map(f64::from).collect();
    chart::PValuePath {
        title: "Naive p-value by day".into(),
        x_label: "day".into(),
        naive_p: looks.iter().map(|d| 0.5 / d).collect(),
        method_p: Some(("always-valid p (mSPRT)".into(), looks.iter().map(|d| (1.0 / d).min(1.0)).collect())),
        looks,
        alpha: 0.05,
        through: None,
        naive_stop_look: Some(10),
    }
}

fn identical_margins() -> chart::CumulativeMargin {
    let x: Vec<f64> = (0..60).map(f64::from).collect();
    let y: Vec<f64> = x.iter().map(|t| 0.05 * t).collect();
    let band = Band { lower: y.iter().map(|v| v - 0.1).collect(), upper: y.iter().map(|v| v + 0.1).collect() };
    let curve = Curve { x, y, band: Some(band) };
    chart::CumulativeMargin {
        title: "Cumulative gross margin per user".into(),
        currency: "EUR".into(),
        strategies: ["reminder", "coupon"].map(|name| NamedCurve { name: name.into(), curve: curve.clone() }).to_vec(),
    }
}

fn svg(chart: &dyn Chart, size: (u32, u32), theme: Theme) -> String {
    let bytes = chart.render(ImageFormat::Svg, &ChartOptions { size: Some(size), theme }).expect("renders");
    String::from_utf8(bytes).expect("SVG is text")
}

/// Every number following `key="` in the SVG.
fn attribute_values(svg: &str, key: &str) -> Vec<f64> {
    let needle = format!("{key}=\"");
    svg.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &svg[i + needle.len()..];
            rest[..rest.find('"')?].trim_end_matches("px").parse().ok()
        })
        .collect()
}

/// The y of the `<text>` element whose content is `label`.
fn text_y(svg: &str, label: &str) -> f64 {
    let end = svg.find(&format!("\n{label}\n</text>")).unwrap_or_else(|| panic!("no text {label:?}"));
    let start = svg[..end].rfind("<text").expect("a text element");
    attribute_values(&svg[start..end], "y")[0]
}

#[test]
fn a_chart_is_drawn_at_the_size_asked_with_text_of_at_least_12_px() {
    let charts: [(&str, Box<dyn Chart>); 2] =
        [("p-value", Box::new(pvalue_chart())), ("margin", Box::new(identical_margins()))];
    for (name, c) in &charts {
        for size in [(480, 320), (1400, 800)] {
            let text = svg(c.as_ref(), size, Theme::Light);
            assert!(text.contains(&format!("width=\"{}\" height=\"{}\"", size.0, size.1)), "{name} at {size:?}");
            let fonts = attribute_values(&text, "font-size");
            assert!(!fonts.is_empty(), "{name}: font sizes are written");
            assert!(fonts.iter().all(|&f| f >= f64::from(chart::MIN_TEXT_PX)), "{name} at {size:?}: {fonts:?}");
        }
        let png =
            c.render(ImageFormat::Png, &ChartOptions { size: Some((500, 300)), theme: Theme::Light }).expect("png");
        // PNG IHDR: width and height as big-endian u32 at bytes 16..24.
        let dim = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
        assert_eq!((dim(16), dim(20)), (500, 300), "{name}: the PNG has the size asked");
        // Below the smallest readable size, the chart is drawn at that size instead.
        let tiny = svg(c.as_ref(), (50, 40), Theme::Light);
        assert!(tiny.contains(&format!("width=\"{}\" height=\"{}\"", chart::MIN_SIZE.0, chart::MIN_SIZE.1)), "{name}");
    }
}

#[test]
fn the_p_value_legend_sits_below_every_curve() {
    let text = svg(&pvalue_chart(), (560, 360), Theme::Light);
    // The y of every polyline point whose line is drawn in the plot (the legend's samples are short: skip them).
    let lowest_line = text
        .match_indices("points=\"")
        .flat_map(|(i, _)| {
            let rest = &text[i + 8..];
            let points: Vec<(f64, f64)> = rest[..rest.find('"').unwrap_or(0)]
                .split_whitespace()
                .filter_map(|p| Some((p.split(',').next()?.parse().ok()?, p.split(',').nth(1)?.parse().ok()?)))
                .collect();
            let span = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max)
                - points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
            if span > 40.0 { points.into_iter().map(|p| p.1).collect() } else { Vec::new() }
        })
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(lowest_line > 100.0, "the curves were found: {lowest_line}");
    for label in ["naive p, tested every day", "always-valid p (mSPRT)"] {
        assert!(
            text_y(&text, label) > lowest_line,
            "{label} at {} is not below the curves (lowest {lowest_line})",
            text_y(&text, label)
        );
    }
}

#[test]
fn identical_curves_carry_different_markers() {
    let text = svg(&identical_margins(), (800, 500), Theme::Light);
    // The first series marks with filled circles, the second with triangles (polygons), at other points.
    assert!(text.matches("<circle").count() >= 10, "circles mark the first curve");
    assert!(text.matches("<polygon").count() >= 10, "triangles mark the second curve");
}

#[test]
fn the_dark_theme_draws_light_text_on_a_dark_background() {
    let light = svg(&pvalue_chart(), (560, 360), Theme::Light);
    let dark = svg(&pvalue_chart(), (560, 360), Theme::Dark);
    assert!(light.contains("fill=\"#FFFFFF\""), "a white background");
    assert!(dark.contains("fill=\"#1E1F22\"") && !dark.contains("fill=\"#FFFFFF\""), "a dark background only");
    assert!(dark.contains("#EEEEEE") && !dark.contains("fill=\"#000000\""), "light text, no black");
    // The default is the light theme at the chart's own size, as before.
    let default = chart::p_value_path(&pvalue_chart(), ImageFormat::Svg).expect("renders");
    assert!(String::from_utf8(default).expect("text").contains("width=\"560\" height=\"360\""));
}

#[test]
fn every_chart_gives_its_values_as_a_table() {
    let t = Chart::table(&pvalue_chart());
    assert_eq!(t.columns, ["day", "naive p", "always-valid p (mSPRT)", "naive p below α"]);
    assert_eq!(t.rows.len(), 20);
    assert_eq!(t.rows[9], ["10", "0.05", "0.1", "no"], "exact values");
    assert_eq!(t.rows[10][3], "yes");
    let m = Chart::table(&identical_margins());
    assert_eq!(m.columns[2], "cumulative gross margin per user (EUR)");
    assert_eq!(m.rows.len(), 120, "one row per point of each curve");
    assert_eq!(m.rows[61], ["coupon", "1", "0.05", "-0.05", "0.15000000000000002"]);
    assert!(m.csv().starts_with("strategy,day of simulation,"));
}

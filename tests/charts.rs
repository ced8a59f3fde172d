//! Every chart kind renders to a valid, non-empty SVG and PNG. The files are
//! also left in target/tmp/charts for looking at.

use std::path::PathBuf;

use journeylab::api::chart::{self, Band, Curve, ImageFormat, NamedCurve};

fn curve(x: Vec<f64>, f: impl Fn(f64) -> f64, spread: f64) -> Curve {
    let y: Vec<f64> = x.iter().map(|&v| f(v)).collect();
    let band = Band { lower: y.iter().map(|v| v - spread).collect(), upper: y.iter().map(|v| v + spread).collect() };
    Curve { x, y, band: Some(band) }
}

fn days(from: u32, to: u32) -> Vec<f64> {
    (from..=to).map(f64::from).collect()
}

/// Decodes the PNG and counts pixels that are not white.
fn inked_pixels(png_bytes: &[u8]) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    assert!(info.width >= 800 && info.height >= 380);
    buf[..info.buffer_size()].chunks(3).filter(|p| p.iter().any(|&c| c < 250)).count()
}

fn check(name: &str, render: impl Fn(ImageFormat) -> Result<Vec<u8>, chart::ChartError>) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("charts");
    std::fs::create_dir_all(&dir).expect("a chart directory");
    let svg = render(ImageFormat::Svg).expect("renders SVG");
    let text = String::from_utf8(svg.clone()).expect("SVG is text");
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"), "{name}: not an SVG document");
    assert!(text.contains("<text"), "{name}: the SVG has no text");
    let png_bytes = render(ImageFormat::Png).expect("renders PNG");
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n", "{name}: PNG signature");
    // Axes, text, lines and bands ink well over 1 % of a 1000 × 620 image (the monitor is 1100 × 390).
    assert!(inked_pixels(&png_bytes) > 6_000, "{name}: the PNG is almost blank");
    std::fs::write(dir.join(format!("{name}.svg")), svg).expect("writes");
    std::fs::write(dir.join(format!("{name}.png")), png_bytes).expect("writes");
}

#[test]
fn every_chart_kind_renders_to_svg_and_png() {
    let retention = chart::RetentionChart {
        title: "Retention by strategy".into(),
        projection_label: "sBG projection (95 % interval)".into(),
        strategies: [("behavioural journey", 0.55, 1.2), ("weekly sales", 0.7, 1.1)]
            .iter()
            .map(|&(name, a, b)| chart::RetentionStrategy {
                name: name.into(),
                simulated: curve(days(0, 180), |t| journeylab::api::fit::sbg::survival(a, b * 20.0, t), 0.01),
                projected: Some(curve(days(180, 365), |t| journeylab::api::fit::sbg::survival(a, b * 20.0, t), 0.03)),
            })
            .collect(),
    };
    check("retention", |f| chart::retention_curves(&retention, f));

    let named = |name: &str, c: Curve| NamedCurve { name: name.into(), curve: c };
    let margin = chart::CumulativeMargin {
        title: "Cumulative gross margin per user".into(),
        currency: "EUR".into(),
        strategies: vec![
            named("behavioural journey", curve(days(0, 180), |t| 0.05 * t, 0.2)),
            named("weekly sales", curve(days(0, 180), |t| 0.4 * t.sqrt() + 0.02 * t, 0.2)),
        ],
    };
    check("cumulative_margin", |f| chart::cumulative_margin(&margin, f));

    let share = chart::FullPriceShare {
        title: "Full-price share of purchases".into(),
        strategies: vec![
            named("behavioural journey", curve(days(0, 25), |_| 0.97, 0.01)),
            named("weekly sales", curve(days(0, 25), |w| 0.9 - 0.4 * (1.0 - (-w / 6.0).exp()), 0.02)),
        ],
    };
    check("full_price_share", |f| chart::full_price_share(&share, f));

    let discount = chart::DiscountVsRevenue {
        title: "What the discounts cost and what they brought in".into(),
        currency: "EUR".into(),
        baseline: "no journey".into(),
        strategies: vec![
            chart::DiscountBar {
                name: "behavioural journey".into(),
                discount_cost: 0.0,
                incremental_revenue: 2.1,
                incremental_margin: 0.8,
                intervals: Some([(0.0, 0.0), (1.8, 2.4), (0.6, 1.0)]),
            },
            chart::DiscountBar {
                name: "weekly sales".into(),
                discount_cost: 3.2,
                incremental_revenue: 1.4,
                incremental_margin: -1.5,
                intervals: Some([(3.0, 3.4), (1.0, 1.8), (-1.8, -1.2)]),
            },
        ],
    };
    check("discount_vs_revenue", |f| chart::discount_vs_revenue(&discount, f));

    let channels = chart::ChannelActivity {
        title: "Messages and the goodwill they cost".into(),
        channels: ["push", "in-app", "email", "SMS"].map(String::from).to_vec(),
        strategies: vec![
            chart::ChannelStrategy {
                name: "behavioural journey".into(),
                messages_per_user: vec![2.0, 1.0, 0.5, 0.0],
                opt_outs_per_1000: vec![3.0, 0.0, 1.0, 0.0],
                uninstalls_per_1000: 2.0,
            },
            chart::ChannelStrategy {
                name: "weekly sales".into(),
                messages_per_user: vec![6.0, 0.0, 4.0, 1.0],
                opt_outs_per_1000: vec![20.0, 0.0, 9.0, 8.0],
                uninstalls_per_1000: 11.0,
            },
        ],
    };
    check("channel_activity", |f| chart::channel_activity(&channels, f));

    let looks: Vec<f64> = (1..=5).map(|k| f64::from(k) * 2000.0).collect();
    let monitor = chart::SequentialMonitor {
        title: "Sequential monitor: O'Brien–Fleming, 5 looks".into(),
        x_label: "users per arm".into(),
        upper_boundary: vec![4.56, 3.23, 2.63, 2.28, 2.04],
        lower_boundary: None,
        statistic: vec![2.1, 1.5, 2.2, 2.6, 2.9],
        naive_alpha: 0.05,
        expected_at_true_effect: Some(looks.iter().map(|n| 0.03 * n.sqrt()).collect()),
        looks,
        ..Default::default()
    };
    check("sequential_monitor", |f| chart::sequential_monitor(&monitor, f));

    let ks: Vec<f64> = [1.0, 2.0, 3.0, 5.0, 10.0, 20.0].to_vec();
    let peeking = chart::Peeking {
        title: "Peeking: declared winners under no true effect".into(),
        nominal: 0.05,
        methods: vec![
            named("naive p < 0.05 at every look", curve(ks.clone(), |k| 0.05 + 0.1 * k.ln(), 0.01)),
            named("O'Brien–Fleming", curve(ks.clone(), |_| 0.05, 0.01)),
            named("mSPRT (always valid)", curve(ks, |k| 0.05 * (1.0 - 0.5 / k), 0.01)),
        ],
        ..Default::default()
    };
    check("peeking", |f| chart::peeking(&peeking, f));
}

#[test]
fn mismatched_data_is_refused_not_drawn() {
    let bad = chart::CumulativeMargin {
        title: "x".into(),
        currency: "EUR".into(),
        strategies: vec![NamedCurve { name: "a".into(), curve: Curve { x: vec![0.0, 1.0], y: vec![1.0], band: None } }],
    };
    assert!(matches!(chart::cumulative_margin(&bad, ImageFormat::Png), Err(chart::ChartError::InvalidData(_))));
}

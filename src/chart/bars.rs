//! Grouped bar charts: what discounts cost against what they bring in, and
//! messages, opt-outs and uninstalls per channel.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::table::number;
use super::{
    ChartError, DataTable, Draw, Entry, ImageFormat, Sample, colour, label_font, padded_range, render, style,
    tick_font, title_font, with_legend_below,
};

/// One strategy's discount economics against the baseline, per user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiscountBar {
    pub name: String,
    pub discount_cost: f64,
    /// Revenue per user minus the baseline's.
    pub incremental_revenue: f64,
    /// Gross margin per user minus the baseline's (after discounts and cost of goods).
    pub incremental_margin: f64,
    /// Optional 95 % intervals of the three values, in the same order.
    pub intervals: Option<[(f64, f64); 3]>,
}

/// Discount cost against incremental revenue and margin, per strategy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiscountVsRevenue {
    pub title: String,
    pub currency: String,
    /// The strategy the increments are measured against (named in the axis label).
    pub baseline: String,
    pub strategies: Vec<DiscountBar>,
}

/// One strategy's messaging load and the goodwill it cost.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChannelStrategy {
    pub name: String,
    /// Messages delivered per user, one per channel of [`ChannelActivity::channels`].
    pub messages_per_user: Vec<f64>,
    /// Opt-outs per 1,000 users, one per channel.
    pub opt_outs_per_1000: Vec<f64>,
    /// Uninstalls per 1,000 users (not attributed to a channel).
    pub uninstalls_per_1000: f64,
}

/// Messages, opt-outs and uninstalls per channel and strategy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChannelActivity {
    pub title: String,
    pub channels: Vec<String>,
    pub strategies: Vec<ChannelStrategy>,
}

pub fn discount_vs_revenue(chart: &DiscountVsRevenue, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

pub fn channel_activity(chart: &ChannelActivity, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    render(chart, format)
}

/// One series of bars: legend name, colour index, one value per group, optional intervals.
type BarSeries<'a> = (&'a str, usize, Vec<f64>, Option<Vec<(f64, f64)>>);

/// A bar chart of `groups` × `series` values on one area; `groups` label the x axis.
struct Bars<'a> {
    title: &'a str,
    y_label: &'a str,
    groups: &'a [String],
    series: Vec<BarSeries<'a>>,
}

/// The legend of bar series: one entry per series (drawn under the chart, outside the data).
fn bar_entries(series: &[BarSeries]) -> Vec<Entry> {
    series.iter().map(|(name, c, _, _)| Entry { label: (*name).to_owned(), sample: Sample::Bar(colour(*c)) }).collect()
}

fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &Bars,
    title_style: TextStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = bars.groups.len();
    let values = bars.series.iter().flat_map(|(_, _, v, ci)| {
        v.iter().copied().chain(ci.iter().flat_map(|c| c.iter().flat_map(|(l, u)| [*l, *u])))
    });
    let (y_min, y_max) = padded_range(values.chain([0.0]), true);
    let theme = style();
    let mut chart = ChartBuilder::on(area)
        .caption(bars.title, title_style)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), y_min..y_max)?;
    let groups = bars.groups;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 {
                groups.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc(bars.y_label)
        .axis_desc_style(label_font())
        .label_style(tick_font())
        .axis_style(theme.text)
        .light_line_style(theme.grid_minor)
        .bold_line_style(theme.grid_major)
        .draw()?;
    let k = bars.series.len().max(1) as f64;
    let width = 0.8 / k;
    for (s, (_, c, values, intervals)) in bars.series.iter().enumerate() {
        let left = |g: usize| g as f64 - 0.4 + s as f64 * width;
        let colour = colour(*c);
        chart.draw_series(values.iter().enumerate().map(|(g, v)| {
            Rectangle::new([(left(g) + 0.04 * width, 0.0), (left(g) + 0.96 * width, *v)], colour.filled())
        }))?;
        if let Some(ci) = intervals {
            chart.draw_series(ci.iter().enumerate().map(|(g, (lo, hi))| {
                let x = left(g) + 0.5 * width;
                PathElement::new([(x, *lo), (x, *hi)], theme.text.stroke_width(2))
            }))?;
        }
    }
    Ok(())
}

impl Draw for DiscountVsRevenue {
    fn table(&self) -> DataTable {
        let c = &self.currency;
        let columns = [
            "strategy".to_owned(),
            format!("discount cost ({c} per user)"),
            format!("incremental revenue vs {} ({c} per user)", self.baseline),
            format!("incremental gross margin vs {} ({c} per user)", self.baseline),
            "intervals (95 %): cost; revenue; margin".to_owned(),
        ];
        let mut t = DataTable {
            title: self.title.clone(),
            columns: columns.to_vec(),
            rows: Vec::new(),
            share_columns: Vec::new(),
        };
        for s in &self.strategies {
            let intervals = s.intervals.map_or_else(String::new, |ci| {
                ci.iter().map(|(l, u)| format!("{} to {}", number(*l), number(*u))).collect::<Vec<_>>().join("; ")
            });
            let values = [s.discount_cost, s.incremental_revenue, s.incremental_margin].map(number);
            t.rows.push([vec![s.name.clone()], values.to_vec(), vec![intervals]].concat());
        }
        t
    }

    fn check(&self) -> Result<(), ChartError> {
        if self.strategies.is_empty() {
            return Err(ChartError::InvalidData("no strategy to draw".into()));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let groups: Vec<String> = self.strategies.iter().map(|s| s.name.clone()).collect();
        let pick = |i: usize| -> (Vec<f64>, Option<Vec<(f64, f64)>>) {
            let values = self
                .strategies
                .iter()
                .map(|s| [s.discount_cost, s.incremental_revenue, s.incremental_margin][i])
                .collect();
            let intervals =
                self.strategies.iter().map(|s| s.intervals.map(|ci| ci[i])).collect::<Option<Vec<(f64, f64)>>>();
            (values, intervals)
        };
        let (cost, cost_ci) = pick(0);
        let (revenue, revenue_ci) = pick(1);
        let (margin, margin_ci) = pick(2);
        let y_label = format!("{} per user vs \"{}\"", self.currency, self.baseline);
        let bars = Bars {
            title: &self.title,
            y_label: &y_label,
            groups: &groups,
            series: vec![
                ("discount cost", 1, cost, cost_ci),
                ("incremental revenue", 0, revenue, revenue_ci),
                ("incremental gross margin", 2, margin, margin_ci),
            ],
        };
        let plot = with_legend_below(root, &bar_entries(&bars.series))?;
        draw_bars(&plot, &bars, title_font())
    }
}

impl Draw for ChannelActivity {
    fn table(&self) -> DataTable {
        let columns =
            ["strategy", "channel", "messages per user", "opt-outs per 1,000 users", "uninstalls per 1,000 users"];
        let mut t = DataTable::new(&self.title, &columns);
        for s in &self.strategies {
            for (i, channel) in self.channels.iter().enumerate() {
                let at = |v: &[f64]| v.get(i).copied().map_or_else(String::new, number);
                t.rows.push(vec![
                    s.name.clone(),
                    channel.clone(),
                    at(&s.messages_per_user),
                    at(&s.opt_outs_per_1000),
                    String::new(),
                ]);
            }
            let all = vec![
                s.name.clone(),
                "all channels".into(),
                String::new(),
                String::new(),
                number(s.uninstalls_per_1000),
            ];
            t.rows.push(all);
        }
        t
    }

    fn check(&self) -> Result<(), ChartError> {
        if self.strategies.is_empty() || self.channels.is_empty() {
            return Err(ChartError::InvalidData("no strategy or channel to draw".into()));
        }
        let n = self.channels.len();
        if let Some(s) =
            self.strategies.iter().find(|s| s.messages_per_user.len() != n || s.opt_outs_per_1000.len() != n)
        {
            return Err(ChartError::InvalidData(format!("{}: one value per channel is needed", s.name)));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (title, font) = super::fitted_title(&self.title, root.dim_in_pixel().0, super::TITLE_SIZE);
        let root = root.titled(&title, font)?;
        let panel = |f: &dyn Fn(&ChannelStrategy) -> Vec<f64>| {
            self.strategies.iter().enumerate().map(|(c, s)| (s.name.as_str(), c, f(s), None)).collect::<Vec<_>>()
        };
        let root = with_legend_below(&root, &bar_entries(&panel(&|_| Vec::new())))?;
        let (left, right) = root.split_horizontally((root.dim_in_pixel().0 as f64 * 0.72) as u32);
        let (messages_area, opt_out_area) = left.split_horizontally(left.dim_in_pixel().0 / 2);
        let messages = Bars {
            title: "messages delivered",
            y_label: "messages per user",
            groups: &self.channels,
            series: panel(&|s| s.messages_per_user.clone()),
        };
        draw_bars(&messages_area, &messages, label_font())?;
        let opt_outs = Bars {
            title: "opt-outs",
            y_label: "opt-outs per 1,000 users",
            groups: &self.channels,
            series: panel(&|s| s.opt_outs_per_1000.clone()),
        };
        draw_bars(&opt_out_area, &opt_outs, label_font())?;
        let names: Vec<String> = vec!["all channels".to_string()];
        let uninstalls = Bars {
            title: "uninstalls",
            y_label: "uninstalls per 1,000 users",
            groups: &names,
            series: panel(&|s| vec![s.uninstalls_per_1000]),
        };
        draw_bars(&right, &uninstalls, label_font())
    }
}

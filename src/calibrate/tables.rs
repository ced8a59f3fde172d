//! The back-test as a front end shows it (the app's Calibrate screen): a one-line verdict and three
//! tables of display text — the holdout headline, the by-frequency means, the segments — so that
//! every label and rounding is the core's, as in report.md.

use super::Calibration;
use crate::chart::DataTable;
use crate::numbers::thousands;

/// The headline in words: how far the simulation and the BG/NBD are from what happened.
pub fn verdict(c: &Calibration) -> String {
    let h = c.report.backtest.holdout_repeat_purchases;
    let (sim, model) = c.extras.by_frequency_error;
    format!(
        "Holdout {} … {}: {} repeat purchase days happened; the calibrated population simulated {} ({}), the BG/NBD \
         expected {} ({}). By calibration frequency, the simulated means are off by {sim:.3} on average, the BG/NBD's \
         by {model:.3} (user-weighted mean absolute error).",
        c.report.holdout.start,
        c.report.holdout.end,
        thousands(h.actual.round() as u64),
        thousands(h.simulated.round() as u64),
        relative(h.simulated, h.actual),
        thousands(h.bgnbd.round() as u64),
        relative(h.bgnbd, h.actual),
    )
}

/// The headline, the by-frequency means and the segments, in that order.
pub fn tables(c: &Calibration) -> Vec<DataTable> {
    vec![headline(c), by_frequency(c), segments(c)]
}

fn headline(c: &Calibration) -> DataTable {
    let h = c.report.backtest.holdout_repeat_purchases;
    let r = c.extras.revenue;
    let mut t = DataTable::new(
        "Holdout: what happened, the simulation and the BG/NBD",
        &["", "repeat purchase days", "vs actual", "revenue", "vs actual"],
    );
    for (name, purchases, revenue) in
        [("actual", h.actual, r.actual), ("simulated", h.simulated, r.simulated), ("BG/NBD", h.bgnbd, r.bgnbd)]
    {
        let vs = |x: f64, actual: f64| if name == "actual" { String::new() } else { relative(x, actual) };
        t.rows.push(vec![
            name.to_owned(),
            thousands(purchases.round() as u64),
            vs(purchases, h.actual),
            money(revenue),
            vs(revenue, r.actual),
        ]);
    }
    t
}

fn by_frequency(c: &Calibration) -> DataTable {
    let mut t = DataTable::new(
        "Mean purchase days in the holdout by repeat purchase days in calibration",
        &["repeat purchase days in calibration", "customers", "actual", "simulated", "BG/NBD"],
    );
    for row in &c.report.backtest.by_frequency {
        t.rows.push(vec![
            row.frequency.clone(),
            thousands(row.users as u64),
            format!("{:.3}", row.actual_mean),
            row.simulated_mean.map_or_else(|| "–".to_owned(), |m| format!("{m:.3}")),
            format!("{:.3}", row.bgnbd_mean),
        ]);
    }
    t
}

fn segments(c: &Calibration) -> DataTable {
    let mut t = DataTable::new(
        "Segments found in the calibration period",
        &["segment", "share", "users", "purchase days", "repeat purchase days", "order value", "purchases a day"],
    );
    for s in &c.report.segments {
        t.rows.push(vec![
            s.name.clone(),
            format!("{:.1} %", 100.0 * s.share),
            thousands(s.users as u64),
            format!("{:.2}", s.mean_purchase_days),
            format!("{:.2}", s.mean_frequency),
            s.mean_order_value.map_or_else(|| "–".to_owned(), money),
            format!("{:.4}", s.purchase_rate),
        ]);
    }
    t
}

/// `x` against `actual` as a signed percentage.
fn relative(x: f64, actual: f64) -> String {
    if actual == 0.0 { "–".to_owned() } else { format!("{:+.1} %", 100.0 * (x / actual - 1.0)) }
}

/// An amount to the cent, with thousands separators.
fn money(x: f64) -> String {
    let cents = (x.abs() * 100.0).round() as u64;
    format!("{}{}.{:02}", if x < 0.0 && cents > 0 { "-" } else { "" }, thousands(cents / 100), cents % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_and_money_read_as_people_write_them() {
        assert_eq!(super::relative(115.0, 100.0), "+15.0 %");
        assert_eq!(super::relative(1.0, 0.0), "–");
        assert_eq!(super::money(244_091.94), "244,091.94");
        assert_eq!(super::money(3.999), "4.00");
        assert_eq!(super::money(-1.5), "-1.50", "the sign as in the percentages");
    }
}

//! `journeylab calibrate` on the CDNOW sample (Fader, Hardie & Lee 2005; 2,357 customers,
//! tests/data/import/cdnow_events.csv): calibration 1997-01-01 … 1997-09-30, holdout
//! 1997-10-01 … 1998-06-30 (1,882 repeat purchase days). Issue 13's bar: the simulated holdout
//! repeat purchases within 15 % of the actual, and the mean holdout purchases by calibration
//! frequency (0 … 6, 7+) at least as close to the actual as the BG/NBD's, the distance being the
//! user-weighted mean absolute error over the eight groups, Σ n_g |mean_g − actual_g| / Σ n_g.
//! Run in release: the calibration makes about a hundred engine runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use journeylab::api;
use journeylab::api::calibrate::{Calibration, Options};
use journeylab::api::import::Day;

fn cdnow() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/cdnow_events.csv")
}

fn calibrate() -> Calibration {
    let import = api::import::read(&cdnow(), &Default::default(), &mut |_| {}).expect("the sample imports");
    let options = Options {
        holdout_from: Day::of(jiff::civil::date(1997, 10, 1)),
        holdout_to: Some(Day::of(jiff::civil::date(1998, 6, 30))),
        seed: 1,
        source: "cdnow_events.csv".into(),
    };
    api::calibrate::calibrate(&import, &options, &AtomicBool::new(false), &|_| {}).expect("CDNOW calibrates")
}

#[test]
fn cdnow_backtest_meets_the_issue_bar_and_the_scenario_runs() {
    let c = calibrate();
    let b = &c.report.backtest;
    let h = b.holdout_repeat_purchases;
    assert_eq!(h.actual, 1882.0, "the holdout's repeat purchase days (docs/calibration.md)");
    let off = h.simulated / h.actual - 1.0;
    assert!(
        off.abs() <= 0.15,
        "simulated holdout repeat purchases {:.0} vs 1,882 ({:+.1} %)",
        h.simulated,
        100.0 * off
    );
    let (simulated, bgnbd) = c.extras.by_frequency_error;
    assert!(simulated <= bgnbd, "by-frequency error: simulated {simulated:.3}, BG/NBD {bgnbd:.3}");
    assert_eq!(b.by_frequency.len(), 8);
    assert_eq!(b.by_frequency.iter().map(|r| r.users).sum::<usize>(), 2357);
    assert_eq!(b.by_frequency[7].frequency, "7+");
    let last = b.tracking.last().expect("a tracking curve");
    assert_eq!(last.week, 78);
    // Cumulative repeat purchase days by week 78: every repeat purchase day up to 1998-06-23 (week 78 ends
    // 546 − 546 % 7 − 1 = day 545): calibration's 2,457 plus the holdout's up to that day.
    assert!(last.actual > 2457.0 && last.actual <= 2457.0 + 1882.0);

    let scenario = api::check_scenario(&c.scenario).expect("scenario.toml validates");
    assert!(scenario.population.acquisition.first_purchase, "CDNOW is a customer file");
    assert_eq!(scenario.simulation.users, 2357);
    assert_eq!(scenario.simulation.horizon_days, 546);
    let config = api::RunConfig { users: Some(500), ..Default::default() };
    let results = api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("it runs");
    assert_eq!(results.journeys.len(), 1);

    // The keys in the schema's order, as report.json writes them (serde_json's Value keeps them in
    // order only with its preserve_order feature, which a workspace build may or may not unify in).
    let text = serde_json::to_string(&c.report).expect("report.json");
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap_or(usize::MAX);
    let in_order = |keys: &[&str]| keys.windows(2).all(|w| at(w[0]) < at(w[1]));
    let top = ["schema", "events", "users", "calibration", "holdout", "segments", "backtest"];
    assert!(in_order(&top), "report.json's keys in the schema's order {top:?}: {}", &text[..200.min(text.len())]);
    let json: serde_json::Value = serde_json::from_str(&text).expect("report.json reads back");
    let mut keys: Vec<&str> = json.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["backtest", "calibration", "events", "holdout", "schema", "segments", "users"]);
    assert_eq!(json["schema"], "journeylab.calibration/1");
    assert_eq!(json["events"]["read"], 6919);
    assert_eq!(json["calibration"]["end"], "1997-09-30");
    assert_eq!(json["holdout"]["start"], "1997-10-01");
    let mut backtest: Vec<&str> = json["backtest"].as_object().expect("backtest").keys().map(String::as_str).collect();
    backtest.sort_unstable();
    assert_eq!(backtest, ["by_frequency", "holdout_repeat_purchases", "tracking"]);
    assert!(in_order(&["holdout_repeat_purchases", "by_frequency", "tracking"]));
    #[allow(clippy::print_stderr, reason = "the figures the report quotes")]
    {
        eprintln!(
            "CDNOW holdout: actual {:.0}, simulated {:.0} ({:+.1} %), BG/NBD {:.0}; by-frequency error simulated {simulated:.3}, BG/NBD {bgnbd:.3}",
            h.actual,
            h.simulated,
            100.0 * off,
            h.bgnbd
        );
    }
}

fn journeylab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("the binary runs")
}

#[test]
fn bad_input_is_an_error_that_says_what_to_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (file, out) = (cdnow().display().to_string(), out.display().to_string());
    let early = journeylab(&["calibrate", &file, "--holdout-from", "1996-12-01", "--out", &out]);
    assert_eq!(early.status.code(), Some(2));
    let said = String::from_utf8_lossy(&early.stderr);
    assert!(
        said.contains("the holdout's first day 1996-12-01") && said.contains("leave a calibration period"),
        "{said}"
    );
    assert!(said.contains("[--holdout-from]"), "the CLI adds the flag of the setting the core names: {said}");
    let empty =
        journeylab(&["calibrate", &file, "--holdout-from", "1998-01-01", "--holdout-to", "1997-12-01", "--out", &out]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("is empty"));
    let date = journeylab(&["calibrate", &file, "--holdout-from", "October", "--out", &out]);
    assert_eq!(date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&date.stderr).contains("not a date"));
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    let not_export =
        journeylab(&["calibrate", junk.to_str().expect("utf-8"), "--holdout-from", "1997-10-01", "--out", &out]);
    assert_eq!(not_export.status.code(), Some(2), "{}", String::from_utf8_lossy(&not_export.stderr));
    // Only first purchases before the holdout: nobody bought twice.
    let once = dir.path().join("once.csv");
    std::fs::write(&once, "customer_id,date,revenue\na,2024-01-01,5\nb,2024-01-02,6\na,2024-03-01,7\n").expect("write");
    let single =
        journeylab(&["calibrate", once.to_str().expect("utf-8"), "--holdout-from", "2024-02-01", "--out", &out]);
    assert_eq!(single.status.code(), Some(2));
    let said = String::from_utf8_lossy(&single.stderr);
    assert!(said.contains("nobody bought twice") && said.contains("[--holdout-from, --purchase-event]"), "{said}");
}

#[test]
fn the_suggested_holdout_is_the_last_quarter_of_the_exports_days() {
    let day = |y, m, d| Day::of(jiff::civil::date(y, m, d));
    let suggest = api::calibrate::suggested_holdout_from;
    // CDNOW: 546 days; the fit keeps the first 410 (three quarters, rounded up).
    assert_eq!(suggest(day(1997, 1, 1), day(1998, 6, 30)), Some(day(1998, 2, 15)));
    assert_eq!(suggest(day(2024, 1, 1), day(2024, 1, 8)), Some(day(2024, 1, 7)), "8 days: 6 and 2");
    assert_eq!(suggest(day(2024, 1, 1), day(2024, 1, 7)), None, "a week is too short");
    assert_eq!(suggest(day(2024, 1, 8), day(2024, 1, 1)), None, "no days");
}

/// An app's event export with sessions and purchases, made here with a fixed seed: users arrive
/// over the first 150 days; each has a daily visit chance, 1 + Poisson(0.5) sessions on a visit
/// day (a `session_start` and a `screen_view` each), a purchase chance per session (Beta), a daily
/// dropout hazard (Gamma) and a mean order value (Gamma–Gamma); one purchase row in 50 is sent
/// twice (a client retry: the same insert id).
fn app_export(users: u32, days: i64, calibration_end: i64, seed: u64) -> AppExport {
    use rand::{Rng as _, SeedableRng};
    use rand_distr::{Beta, Distribution, Gamma, Poisson};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let start = jiff::civil::date(2024, 1, 1);
    let mut csv = String::from("user_id,timestamp,event,revenue,insert_id\n");
    let (mut holdout, mut holdout_revenue, mut buyers) = (Vec::new(), Vec::new(), 0);
    let (visit, chance, hazard) = (
        Gamma::new(2.0, 0.12).expect("gamma"),
        Beta::new(1.5, 14.0).expect("beta"),
        Gamma::new(1.0, 0.008).expect("gamma"),
    );
    let (spend, order, extra) = (
        Gamma::new(4.0, 10.0).expect("gamma"),
        Gamma::new(6.0, 1.0 / 6.0).expect("gamma"),
        Poisson::new(0.5).expect("poisson"),
    );
    let mut id = 0u64;
    for u in 0..users {
        let arrival = rng.random_range(0..150i64);
        let (v, p, h, m): (f64, f64, f64, f64) =
            (visit.sample(&mut rng), chance.sample(&mut rng), hazard.sample(&mut rng), spend.sample(&mut rng));
        let (mut first_purchase, mut in_holdout, mut revenue) = (None, 0.0, 0.0);
        for day in arrival..days {
            // Arrival day is a visit day; then alive until the hazard strikes.
            if day > arrival && (rng.random::<f64>() < 1.0 - (-h).exp()) {
                break;
            }
            if day > arrival && rng.random::<f64>() >= 1.0 - (-v).exp() {
                continue;
            }
            let date = start.checked_add(jiff::Span::new().days(day)).expect("date");
            let sessions = 1 + extra.sample(&mut rng) as u32;
            let mut bought = false;
            for s in 0..sessions {
                let time = format!("{date}T{:02}:{:02}:00Z", 8 + 2 * s.min(7), rng.random_range(0..60));
                for event in ["session_start", "screen_view"] {
                    id += 1;
                    csv.push_str(&format!("u{u},{time},{event},,e{id}\n"));
                }
                if rng.random::<f64>() < p {
                    id += 1;
                    let value = format!("{:.2}", m * order.sample(&mut rng));
                    if day > calibration_end {
                        revenue += value.parse::<f64>().expect("a number");
                    }
                    let row = format!("u{u},{time},purchase,{value},e{id}\n");
                    csv.push_str(&row);
                    if rng.random::<f64>() < 0.02 {
                        csv.push_str(&row);
                    }
                    bought = true;
                }
            }
            if bought {
                first_purchase.get_or_insert(day);
                if day > calibration_end {
                    in_holdout += 1.0;
                }
            }
        }
        if first_purchase.is_some_and(|d| d <= calibration_end) {
            holdout.push(in_holdout);
            buyers += 1;
        }
        holdout_revenue.push(revenue);
    }
    AppExport { csv, per_buyer: holdout, per_user_revenue: holdout_revenue, buyers }
}

/// Three standard errors of the difference between a total of these per-user values and a simulated
/// total over 16 times the users scaled back (a sixteenth of the variance), relative to the total.
fn three_se_of_total(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let total: f64 = values.iter().sum();
    let mean = total / n;
    let var = values.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / (n - 1.0);
    3.0 * (n * var * (1.0 + 1.0 / 16.0)).sqrt() / total
}

/// [`app_export`]'s file and what happened, user by user (every user arrives by day 150, in the
/// calibration period).
struct AppExport {
    csv: String,
    /// Per user first buying by the calibration end: purchase days in the holdout (the back-test's
    /// actual, user by user).
    per_buyer: Vec<f64>,
    /// Per user: holdout revenue (each purchase row once, as the importer keeps it).
    per_user_revenue: Vec<f64>,
    /// Users with a purchase by the calibration end.
    buyers: usize,
}

#[test]
fn an_app_export_with_sessions_back_tests_with_a_complete_report() {
    let (days, calibration_end) = (300, 209);
    let AppExport { csv, per_buyer, per_user_revenue, buyers } = app_export(1_500, days, calibration_end, 7);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("app_events.csv");
    std::fs::write(&path, csv).expect("write");
    let import = api::import::read(&path, &Default::default(), &mut |_| {}).expect("the export imports");
    let e = import.summary.events;
    assert_eq!(e.read, e.used + e.rejected + e.duplicates);
    assert!(e.duplicates > 0 && e.rejected == 0, "{e:?}");
    assert!(import.summary.sessions > 0);
    let start = jiff::civil::date(2024, 1, 1);
    let day = |d: i64| Day::of(start.checked_add(jiff::Span::new().days(d)).expect("date"));
    let options = Options {
        holdout_from: day(calibration_end + 1),
        holdout_to: Some(day(days - 1)),
        seed: 1,
        source: "app_events.csv".into(),
    };
    let c = api::calibrate::calibrate(&import, &options, &AtomicBool::new(false), &|_| {}).expect("it calibrates");
    assert!(!c.fit.customer_file, "sessions and views before purchases: not a customer file");
    let h = c.report.backtest.holdout_repeat_purchases;
    let actual: f64 = per_buyer.iter().sum();
    assert_eq!(h.actual, actual, "the back-test's actual is the export's holdout purchase days");
    // The tolerance: the actual total's own sampling noise (its standard error from the buyers'
    // holdout purchase days, √(n · var)) and the simulation's (16× the users: a sixteenth of that
    // variance), three standard errors of their difference, relative to the actual.
    let tolerance = three_se_of_total(&per_buyer);
    let off = h.simulated / h.actual - 1.0;
    #[allow(clippy::print_stderr, reason = "the figures the report quotes")]
    {
        eprintln!(
            "app export: {} users, {} buyers by the calibration end; holdout actual {actual:.0}, simulated {:.0} ({:+.1} %), BG/NBD {:.0} ({:+.1} %); tolerance ±{:.1} %; by-frequency error simulated {:.3}, BG/NBD {:.3}",
            c.report.users,
            per_buyer.len(),
            h.simulated,
            100.0 * off,
            h.bgnbd,
            100.0 * (h.bgnbd / h.actual - 1.0),
            100.0 * tolerance,
            c.extras.by_frequency_error.0,
            c.extras.by_frequency_error.1,
        );
    }
    // Both the BG/NBD (this generator is close to its assumptions: a purchase chance per visit and a
    // dropout hazard) and the simulation meet the bar (docs/calibration.md gives both over other seeds).
    let bgnbd_off = h.bgnbd / h.actual - 1.0;
    assert!(bgnbd_off.abs() <= tolerance, "BG/NBD {:.0} vs {actual:.0}: {:+.1} %", h.bgnbd, 100.0 * bgnbd_off);
    assert!(
        off.abs() <= tolerance,
        "simulated {:.0} vs actual {actual:.0}: {:+.1} % beyond ±{:.1} %",
        h.simulated,
        100.0 * off,
        100.0 * tolerance
    );
    // Per user, not only per customer: the holdout revenue (scaled to the real number of users) and
    // the share who bought by the calibration end, each within three standard errors of the
    // difference (the per-user revenues' spread; the binomial's), the simulation's a sixteenth. The
    // share is also one of the fitted moments, so its bar is a check of the fit, not of a forecast;
    // the simulation is short of it on every seed tried (1–3 points, docs/calibration.md).
    let revenue = c.extras.revenue;
    let generated: f64 = per_user_revenue.iter().sum();
    assert!(
        (revenue.actual / generated - 1.0).abs() < 1e-9,
        "holdout revenue {} as generated {generated}",
        revenue.actual
    );
    let (revenue_off, revenue_tolerance) =
        (revenue.simulated / revenue.actual - 1.0, three_se_of_total(&per_user_revenue));
    let users = per_user_revenue.len() as f64;
    let share = buyers as f64 / users;
    let share_tolerance = 3.0 * (share * (1.0 - share) / users * (1.0 + 1.0 / 16.0)).sqrt();
    let (real_share, simulated_share) = c.extras.buyers;
    assert_eq!(real_share, share);
    #[allow(clippy::print_stderr, reason = "the figures the report quotes")]
    {
        eprintln!(
            "app export per user: holdout revenue actual {:.0}, simulated {:.0} ({:+.1} %, tolerance ±{:.1} %); bought by the calibration end actual {:.1} %, simulated {:.1} % (tolerance ±{:.1} pp)",
            revenue.actual,
            revenue.simulated,
            100.0 * revenue_off,
            100.0 * revenue_tolerance,
            100.0 * share,
            100.0 * simulated_share,
            100.0 * share_tolerance
        );
    }
    assert!(revenue_off.abs() <= revenue_tolerance, "holdout revenue {:+.1} %", 100.0 * revenue_off);
    assert!((simulated_share - share).abs() <= share_tolerance, "bought: simulated {simulated_share:.3} vs {share:.3}");

    // report.json complete: every key, the events' accounting, segments with activity and sessions.
    let json: serde_json::Value = serde_json::to_value(&c.report).expect("report.json");
    assert_eq!(json["schema"], "journeylab.calibration/1");
    assert_eq!(json["events"]["duplicates"], e.duplicates);
    assert_eq!(json["events"]["read"], e.read);
    assert_eq!(json["calibration"]["end"], day(calibration_end).to_string());
    assert_eq!(json["holdout"]["start"], day(calibration_end + 1).to_string());
    let segments = json["segments"].as_array().expect("segments");
    assert!(!segments.is_empty() && segments.len() <= 6);
    for s in segments {
        assert!(s["sessions_per_active_day"].as_f64().is_some_and(|x| x >= 1.0), "{s}");
        assert!(s["active_day_rate"].as_f64().is_some_and(|x| x > 0.0 && x <= 1.0), "{s}");
    }
    let by_frequency = json["backtest"]["by_frequency"].as_array().expect("by_frequency");
    assert_eq!(by_frequency.len(), 8);
    assert_eq!(by_frequency.iter().filter_map(|r| r["users"].as_u64()).sum::<u64>(), per_buyer.len() as u64);
    assert!(by_frequency.iter().all(|r| r["simulated_mean"].is_number() || r["users"] == 0));
    let tracking = json["backtest"]["tracking"].as_array().expect("tracking");
    assert_eq!(tracking.len(), days as usize / 7);
    let scenario = api::check_scenario(&c.scenario).expect("scenario.toml validates");
    assert!(!scenario.population.acquisition.first_purchase);
}

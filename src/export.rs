//! Results as CSV for spreadsheets. (JSON is the `journeylab.run/1` schema of
//! docs/results.md: serialise [`RunResults`] directly.)

use std::fmt::Write;

use serde_json::Value;

use crate::engine::RunResults;

/// The summary side by side: one row per headline metric, one column per journey.
pub fn summary_csv(results: &RunResults) -> String {
    let summaries: Vec<Value> =
        results.journeys.iter().map(|j| serde_json::to_value(&j.summary).unwrap_or(Value::Null)).collect();
    let mut out = String::from("metric");
    for journey in &results.journeys {
        let _ = write!(out, ",{}", quote(&journey.name));
    }
    out.push('\n');
    let metrics: Vec<String> =
        summaries.first().and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default();
    for metric in metrics {
        out.push_str(&metric);
        for summary in &summaries {
            let _ = write!(out, ",{}", cell(&summary[metric.as_str()]));
        }
        out.push('\n');
    }
    out
}

/// Every journey's daily series in long form: `journey,day,<series…>`.
pub fn daily_csv(results: &RunResults) -> String {
    let mut out = String::new();
    for (j, journey) in results.journeys.iter().enumerate() {
        let series = serde_json::to_value(&journey.series).unwrap_or(Value::Null);
        let columns: Vec<(&String, &Vec<Value>)> = series
            .as_object()
            .map(|o| o.iter().filter_map(|(k, v)| v.as_array().map(|a| (k, a))).collect())
            .unwrap_or_default();
        if j == 0 {
            out.push_str("journey,day");
            for (name, _) in &columns {
                let _ = write!(out, ",{name}");
            }
            out.push('\n');
        }
        let days = columns.first().map_or(0, |c| c.1.len());
        for day in 0..days {
            let _ = write!(out, "{},{day}", quote(&journey.name));
            for (_, values) in &columns {
                let _ = write!(out, ",{}", cell(&values[day]));
            }
            out.push('\n');
        }
    }
    out
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => quote(s),
        other => other.to_string(),
    }
}

/// RFC 4180 quoting when a field needs it.
fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::engine::RunConfig;

    fn results() -> RunResults {
        let scenario = crate::api::check_scenario(crate::library::EXAMPLES[0].text).expect("valid");
        let config = RunConfig { users: Some(300), days: Some(8), seed: None, threads: Some(1), replicate: 0 };
        crate::api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("run")
    }

    #[test]
    fn summary_csv_has_a_column_per_journey_and_the_exact_numbers() {
        let results = results();
        let csv = summary_csv(&results);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0].split(',').count(), 1 + results.journeys.len());
        let conversion = lines.iter().find(|l| l.starts_with("conversion,")).expect("conversion row");
        let first: f64 = conversion.split(',').nth(1).and_then(|v| v.parse().ok()).expect("number");
        assert_eq!(first, results.journeys[0].summary.conversion);
    }

    #[test]
    fn daily_csv_has_a_row_per_journey_and_day() {
        let results = results();
        let csv = daily_csv(&results);
        assert_eq!(csv.lines().count(), 1 + results.journeys.len() * results.days as usize);
        assert!(csv.starts_with("journey,day,") && csv.lines().next().is_some_and(|h| h.contains(",arrived")));
    }

    #[test]
    fn names_with_commas_and_quotes_are_quoted() {
        assert_eq!(quote("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(quote("plain"), "plain");
    }
}

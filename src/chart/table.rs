//! Every chart's data as a table: the exact values it draws, for a "show as table"
//! view and as the chart's text alternative.

use super::Curve;

/// A chart's values: a caption (the chart's title), column names with units, and rows of cells.
/// Numbers are written in full (Rust's shortest exact form), an empty cell where there is no value.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct DataTable {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The columns (indices) whose numbers are shares, 0 to 1: shown to people as percentages.
    pub share_columns: Vec<usize>,
}

impl DataTable {
    pub(crate) fn new(title: &str, columns: &[&str]) -> Self {
        DataTable {
            title: title.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
            share_columns: Vec::new(),
        }
    }

    /// Marks `columns` (indices) as shares, 0 to 1.
    pub(crate) fn with_shares(mut self, columns: impl IntoIterator<Item = usize>) -> Self {
        self.share_columns.extend(columns);
        self
    }

    /// The table as CSV (cells with a comma or a quote quoted).
    pub fn csv(&self) -> String {
        let line = |cells: &[String]| cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",") + "\n";
        std::iter::once(line(&self.columns)).chain(self.rows.iter().map(|r| line(r))).collect()
    }

    /// Adds one row per point of `curve`: the leading cells, then x, y and the band's lower and upper edge.
    pub(crate) fn add_curve(&mut self, leading: &[&str], curve: &Curve) {
        for (i, (x, y)) in curve.x.iter().zip(&curve.y).enumerate() {
            let band = |edge: fn(&super::Band) -> &Vec<f64>| {
                curve.band.as_ref().and_then(|b| edge(b).get(i)).map_or_else(String::new, |v| number(*v))
            };
            let mut row: Vec<String> = leading.iter().map(|c| (*c).to_owned()).collect();
            row.extend([number(*x), number(*y), band(|b| &b.lower), band(|b| &b.upper)]);
            self.rows.push(row);
        }
    }
}

/// A value in full; empty when not finite (nothing observed).
pub(crate) fn number(x: f64) -> String {
    if x.is_finite() { x.to_string() } else { String::new() }
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Band;

    #[test]
    fn a_curve_becomes_rows_with_its_band_and_csv_quotes_cells() {
        let curve = Curve {
            x: vec![0.0, 1.0],
            y: vec![0.5, f64::NAN],
            band: Some(Band { lower: vec![0.4, 0.3], upper: vec![0.6, 0.7] }),
        };
        let mut t = DataTable::new("t", &["strategy", "day", "share", "lower", "upper"]);
        t.add_curve(&["a, b"], &curve);
        assert_eq!(t.rows[0], ["a, b", "0", "0.5", "0.4", "0.6"]);
        assert_eq!(t.rows[1][2], "", "a missing value is an empty cell");
        assert_eq!(t.csv().lines().nth(1), Some("\"a, b\",0,0.5,0.4,0.6"));
    }
}

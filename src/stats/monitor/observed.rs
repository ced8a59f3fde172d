//! The looks `journeylab analyze` reads: a CSV with one row per look of
//! cumulative counts (users_a, conversions_a, users_b, conversions_b) or,
//! when the header has `sum_a`, cumulative sums (users_a, sum_a, sum_sq_a,
//! users_b, sum_b, sum_sq_b) for a mean.

use super::look::{ArmMoments, LookCounts, LookMeans, Looks};
use crate::stats::fixed::ArmCounts;
use crate::table::{Row, RowError, Table, read_rows};

const COUNTS: [&str; 4] = ["users_a", "conversions_a", "users_b", "conversions_b"];
const MEANS: [&str; 6] = ["users_a", "sum_a", "sum_sq_a", "users_b", "sum_b", "sum_sq_b"];

/// The looks of a file, of the kind its header chose.
#[derive(Clone, Debug, PartialEq)]
pub enum ObservedLooks {
    Proportions(Vec<LookCounts>),
    Means(Vec<LookMeans>),
}

impl ObservedLooks {
    pub fn looks(&self) -> Looks<'_> {
        match self {
            ObservedLooks::Proportions(l) => Looks::Proportions(l),
            ObservedLooks::Means(l) => Looks::Means(l),
        }
    }
}

/// Reads the looks, reporting every bad cell of every row at its line.
pub fn read_looks(text: &str) -> Result<ObservedLooks, Vec<RowError>> {
    let table = Table::parse(text).map_err(|e| vec![e])?;
    let need = format!("{} (conversions) or {} (means)", COUNTS.join(","), MEANS.join(","));
    if table.header.iter().any(|h| h.eq_ignore_ascii_case("sum_a")) {
        let columns = table.columns(MEANS, &need).map_err(|e| vec![e])?;
        let arm = |r: &[f64]| ArmMoments { users: r[0] as u64, sum: r[1], sum_sq: r[2] };
        let rows = read_rows(&table.rows, |row| numbers(row, columns, MEANS))?;
        Ok(ObservedLooks::Means(
            rows.iter().map(|r| LookMeans { control: arm(&r[..3]), treatment: arm(&r[3..]) }).collect(),
        ))
    } else {
        let columns = table.columns(COUNTS, &need).map_err(|e| vec![e])?;
        let arm = |r: &[f64]| ArmCounts { users: r[0] as u64, conversions: r[1] as u64 };
        let rows = read_rows(&table.rows, |row| numbers(row, columns, COUNTS))?;
        Ok(ObservedLooks::Proportions(
            rows.iter().map(|r| LookCounts { control: arm(&r[..2]), treatment: arm(&r[2..]) }).collect(),
        ))
    }
}

/// The row's numbers in `names` order: whole and non-negative for users and
/// conversions (at most 2⁵³, where every whole number is exact), finite for sums.
fn numbers<const N: usize>(row: &Row, columns: [usize; N], names: [&str; N]) -> Result<[f64; N], Vec<RowError>> {
    let mut values = [0.0; N];
    let mut errors = Vec::new();
    for ((value, column), name) in values.iter_mut().zip(columns).zip(names) {
        let cell = match row.cell(column, name) {
            Ok(cell) => cell,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let whole = name.starts_with("users") || name.starts_with("conversions");
        let number = cell.parse::<f64>().ok().filter(|v| v.is_finite());
        match number.filter(|v| !whole || (*v >= 0.0 && v.fract() == 0.0 && *v <= 2f64.powi(53))) {
            Some(v) => *value = v,
            None => {
                let expected = if whole { "a whole number" } else { "a finite number" };
                errors.push(RowError {
                    line: row.line,
                    message: format!("column '{name}' is '{cell}', expected {expected}"),
                });
            }
        }
    }
    if errors.is_empty() { Ok(values) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_or_sums_by_the_header() {
        let counts = read_looks("users_a,conversions_a,users_b,conversions_b\n100,10,100,12\n").expect("counts");
        let arm = |users, conversions| ArmCounts { users, conversions };
        assert_eq!(
            counts,
            ObservedLooks::Proportions(vec![LookCounts { control: arm(100, 10), treatment: arm(100, 12) }])
        );
        let means = read_looks("users_a,sum_a,sum_sq_a,users_b,sum_b,sum_sq_b\n4,8,20,5,10,30\n").expect("means");
        let ObservedLooks::Means(looks) = means else { panic!("means expected") };
        assert_eq!(looks[0].treatment, ArmMoments { users: 5, sum: 10.0, sum_sq: 30.0 });
    }

    #[test]
    fn every_bad_cell_is_reported_at_its_line() {
        let text = "users_a,conversions_a,users_b,conversions_b\n100,10,100,12\n100,x,-3,12\n\n200,20,1.5\n";
        let errors = read_looks(text).expect_err("bad rows");
        let found: Vec<(usize, bool)> = errors.iter().map(|e| (e.line, e.message.contains("conversions_b"))).collect();
        assert_eq!(found, [(3, false), (3, false), (5, false), (5, true)], "{errors:#?}");
        assert!(errors[0].message.contains("'conversions_a' is 'x'") && errors[1].message.contains("'-3'"));
    }
}

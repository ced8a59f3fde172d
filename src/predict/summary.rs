//! The customer summary `journeylab fit bgnbd` reads: a CSV with columns id,
//! frequency, recency and T (the `lifetimes` package's convention; any order,
//! any case, any time unit), one customer per line.

use super::bgnbd::Customer;
use crate::table::{Row, RowError, Table, read_rows};

/// The customers of a summary file, in file order, with their ids.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub ids: Vec<String>,
    pub customers: Vec<Customer>,
}

/// Reads a summary, reporting every bad row (each bad cell) at its line.
pub fn read(text: &str) -> Result<Summary, Vec<RowError>> {
    let table = Table::parse(text).map_err(|e| vec![e])?;
    let columns =
        table.columns(["id", "frequency", "recency", "T"], "id, frequency, recency, T").map_err(|e| vec![e])?;
    let rows = read_rows(&table.rows, |row| customer(row, columns))?;
    let (ids, customers) = rows.into_iter().unzip();
    Ok(Summary { ids, customers })
}

fn customer(row: &Row, [id, frequency, recency, age]: [usize; 4]) -> Result<(String, Customer), Vec<RowError>> {
    let mut errors = Vec::new();
    let mut number = |column: usize, name: &str| {
        let parsed = row.cell(column, name).and_then(|raw| {
            raw.parse::<f64>()
                .map_err(|_| RowError { line: row.line, message: format!("{name} = \"{raw}\" is not a number") })
        });
        parsed.map_err(|e| errors.push(e)).ok()
    };
    let (f, r, t) = (number(frequency, "frequency"), number(recency, "recency"), number(age, "T"));
    let f = f.and_then(|f| {
        let whole = f >= 0.0 && f.fract() == 0.0 && f <= f64::from(u32::MAX);
        if !whole {
            let message = format!("frequency = {f} must be a whole number of repeat purchases");
            errors.push(RowError { line: row.line, message });
        }
        whole.then_some(f as u32)
    });
    let id = row.cell(id, "id").map_err(|e| errors.push(e)).ok();
    if let (Some(frequency), Some(recency), Some(age), Some(id)) = (f, r, t, id) {
        let customer = Customer { frequency, recency, age };
        match customer.problem() {
            Some(message) => errors.push(RowError { line: row.line, message }),
            None if errors.is_empty() => return Ok((id.to_owned(), customer)),
            None => {}
        }
    }
    Err(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_customers_in_any_column_order() {
        let summary = read("T, Recency ,frequency,id\n38,20,2,a\n\n10,0,0,b\n").expect("valid");
        assert_eq!(summary.ids, ["a", "b"]);
        assert_eq!(summary.customers[0], Customer { frequency: 2, recency: 20.0, age: 38.0 });
    }

    #[test]
    fn every_bad_row_and_cell_is_reported_at_its_line() {
        let text = "id,frequency,recency,T\n1,2,40,38\n2,1,5,10\n3,x,1,y\n4,1.5,1,2\n5,1\n";
        let errors = read(text).expect_err("bad rows");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 4, 4, 5, 6, 6], "{errors:#?}");
        assert!(errors[0].message.contains("recency = 40 must lie between 0 and T = 38"));
        assert!(errors[1].message.contains("frequency = \"x\"") && errors[2].message.contains("T = \"y\""));
        assert!(errors[3].message.contains("whole number"));
        assert!(errors[4].message.contains("missing the recency column"));
    }

    #[test]
    fn a_header_without_the_columns_is_reported_at_the_header() {
        let errors = read("\nid,freq,T\n1,2,3\n").expect_err("no recency");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].message.contains("\"frequency\", \"recency\""), "{}", errors[0].message);
    }
}

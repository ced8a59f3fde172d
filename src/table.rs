//! The comma-separated tables users hand the command line (`fit bgnbd`'s
//! customer summary, `analyze`'s looks): a header naming the columns, then one
//! record per line; blank lines are skipped, cells are trimmed, no quoting.
//! Readers report every bad row at once, each at its line, like the scenario
//! reader's diagnostics.

use std::fmt;

/// One problem of a table, at its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

/// A table's header and records, split but not yet interpreted.
#[derive(Debug)]
pub struct Table<'t> {
    header_line: usize,
    /// Column names as written (trimmed).
    pub header: Vec<&'t str>,
    pub rows: Vec<Row<'t>>,
}

/// One record: its line and its cells (trimmed).
#[derive(Debug)]
pub struct Row<'t> {
    pub line: usize,
    cells: Vec<&'t str>,
}

impl<'t> Row<'t> {
    /// The cell of `column`, or an error naming the column when the row is too short.
    pub fn cell(&self, column: usize, name: &str) -> Result<&'t str, RowError> {
        self.cells.get(column).copied().ok_or_else(|| RowError {
            line: self.line,
            message: format!("missing the {name} column ({} cell(s) on the line)", self.cells.len()),
        })
    }
}

impl<'t> Table<'t> {
    /// Splits `text`; the first non-blank line is the header.
    pub fn parse(text: &'t str) -> Result<Table<'t>, RowError> {
        let split = |line: &'t str| line.split(',').map(str::trim).collect::<Vec<_>>();
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| (i + 1, l));
        let (header_line, header) = lines.next().ok_or(RowError { line: 1, message: "the file is empty".into() })?;
        let rows = lines.map(|(line, l)| Row { line, cells: split(l) }).collect();
        Ok(Table { header_line, header: split(header), rows })
    }

    /// The index of each of `names` in the header (ASCII case-insensitive), or
    /// one error at the header naming every missing column; `need` says what
    /// a complete header holds.
    pub fn columns<const N: usize>(&self, names: [&str; N], need: &str) -> Result<[usize; N], RowError> {
        let find = |name: &str| self.header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let missing: Vec<String> = names.iter().filter(|n| find(n).is_none()).map(|n| format!("\"{n}\"")).collect();
        if !missing.is_empty() {
            let message = format!("the header has no column {} (need {need})", missing.join(", "));
            return Err(RowError { line: self.header_line, message });
        }
        Ok(names.map(|n| find(n).unwrap_or_default()))
    }
}

/// Reads each row with `read`, keeping every row's problems: the records when
/// there is none, else every problem in line order.
pub fn read_rows<T>(
    rows: &[Row],
    mut read: impl FnMut(&Row) -> Result<T, Vec<RowError>>,
) -> Result<Vec<T>, Vec<RowError>> {
    let mut records = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in rows {
        match read(row) {
            Ok(record) => records.push(record),
            Err(problems) => errors.extend(problems),
        }
    }
    if errors.is_empty() { Ok(records) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_and_missing_columns_are_located() {
        let table = Table::parse("\n ID , T\n\n1, 2\n3\n").expect("a table");
        assert_eq!(table.header, ["ID", "T"]);
        assert_eq!(table.columns(["t", "id"], "id, T"), Ok([1, 0]));
        let missing = table.columns(["id", "x", "y"], "id, x, y").expect_err("missing");
        assert_eq!((missing.line, missing.message.contains("\"x\", \"y\"")), (2, true));
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 5]);
        assert_eq!(table.rows[0].cell(1, "T"), Ok("2"));
        assert_eq!(table.rows[1].cell(1, "T").map_err(|e| e.line), Err(5));
        assert_eq!(Table::parse(" \n\n").map(|t| t.rows.len()).map_err(|e| e.line), Err(1));
    }

    #[test]
    fn every_bad_row_is_kept() {
        let table = Table::parse("n\n1\nx\n2\ny\n").expect("a table");
        let number = |row: &Row| {
            let cell = row.cell(0, "n").map_err(|e| vec![e])?;
            cell.parse::<u32>().map_err(|_| vec![RowError { line: row.line, message: format!("{cell} is no number") }])
        };
        let errors = read_rows(&table.rows, number).expect_err("two bad rows");
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 5]);
        assert_eq!(read_rows(&table.rows[..1], number), Ok(vec![1]));
    }
}

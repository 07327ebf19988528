//! Tables as people read them: a header and rows, each column as wide as its widest cell.

/// Rows under a header, each column as wide as its widest cell, two spaces between.
pub fn aligned<const COLUMNS: usize>(
    header: &[String; COLUMNS],
    rows: &[[String; COLUMNS]],
) -> Vec<String> {
    let mut widths: [usize; COLUMNS] = std::array::from_fn(|column| header[column].chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    std::iter::once(header)
        .chain(rows)
        .map(|row| {
            row.iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::aligned;

    #[test]
    fn columns_line_up() {
        let header = ["A".to_string(), "BB".to_string()];
        let rows = [["long".to_string(), "x".to_string()]];
        assert_eq!(aligned(&header, &rows), ["A     BB", "long  x"]);
    }
}

//! The workbook writer every XLSX file of OCM goes through: one sheet after another in constant
//! memory, cells typed by column (numbers, real dates, text kept as text), each cell cut to
//! Excel's limit and risky text quote-prefixed.

use types::report::CellKind;

use super::{fit_xlsx_cell, risky};

/// A cell that reads as a number a workbook may hold as one: no leading zero or `+` (ids and
/// phone numbers), no exponent.
fn as_number(cell: &str) -> Option<f64> {
    let numeric =
        (!cell.starts_with('0') || cell == "0" || cell.starts_with("0.")) && !cell.starts_with('+');
    let number = cell.parse::<f64>().ok()?;
    (numeric && number.is_finite() && !cell.contains(['e', 'E'])).then_some(number)
}

/// Rows a worksheet holds, its header included (Excel's limit).
pub const SHEET_ROWS: u32 = 1_048_576;

/// Excel's limit on a sheet name, in characters.
const SHEET_NAME: usize = 31;

/// A workbook written row by row in constant memory: each row goes to the sheet's temporary file
/// as it is pushed (`rust_xlsxwriter`'s constant-memory mode, strings inline), so a million rows
/// take no more memory than one. Past Excel's [`SHEET_ROWS`] the rows go on in a new sheet named
/// `"<sheet> (2)"`, `"<sheet> (3)"`…, each with the header, rather than being refused. Cells are
/// typed by column (`kinds`; `Auto` columns are numbers when `numbers`);
/// [`SheetWriter::save`] streams the file into any writer.
pub struct SheetWriter {
    workbook: rust_xlsxwriter::Workbook,
    sheet: String,
    header: Vec<String>,
    kinds: Vec<CellKind>,
    numbers: bool,
    sheets: usize,
    /// The next row of the current sheet (0 before its header).
    row: u32,
    rows: usize,
    bold: rust_xlsxwriter::Format,
    text: rust_xlsxwriter::Format,
    when: rust_xlsxwriter::Format,
}

impl SheetWriter {
    /// A workbook with its first sheet named `sheet` and the header row written.
    pub fn new(
        sheet: &str,
        header: &[&str],
        kinds: &[CellKind],
        numbers: bool,
    ) -> Result<Self, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut writer = SheetWriter {
            workbook: Workbook::new(),
            sheet: sheet.to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
            kinds: kinds.to_vec(),
            numbers,
            sheets: 0,
            row: 0,
            rows: 0,
            bold: Format::new().set_bold(),
            // Excel keeps a quote-prefixed cell as text even when someone edits it later.
            text: Format::new().set_quote_prefix(),
            when: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        };
        // Excel's own level (rust_xlsxwriter's performance notes): about 30 % less time zipping
        // than the default 6 for a file about 5 % larger.
        writer.workbook.set_zip_compression_level(3);
        writer.next_sheet()?;
        Ok(writer)
    }

    /// Starts a sheet (the first, or the next when one is full) with the bold header row.
    fn next_sheet(&mut self) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.sheets += 1;
        let name = if self.sheets == 1 {
            self.sheet.clone()
        } else {
            let suffix = format!(" ({})", self.sheets);
            let room = SHEET_NAME.saturating_sub(suffix.chars().count());
            format!(
                "{}{suffix}",
                self.sheet.chars().take(room).collect::<String>()
            )
        };
        let worksheet = self.workbook.add_worksheet_with_constant_memory()?;
        worksheet.set_name(name)?;
        for (column, title) in self.header.iter().enumerate() {
            worksheet.write_string_with_format(0, column as u16, title, &self.bold)?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        self.row = 1;
        Ok(())
    }

    /// Writes one row after the previous ones.
    pub fn push(&mut self, row: &[String]) -> Result<(), rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::ExcelDateTime;
        if self.row >= SHEET_ROWS {
            self.next_sheet()?;
        }
        let line = self.row;
        let worksheet = self.workbook.worksheet_from_index(self.sheets - 1)?;
        for (column, cell) in row.iter().enumerate() {
            let fitted = fit_xlsx_cell(cell);
            let cell: &str = &fitted;
            let kind = self.kinds.get(column).copied().unwrap_or(CellKind::Auto);
            let number = match kind {
                CellKind::Number => as_number(cell),
                CellKind::Auto if self.numbers => as_number(cell),
                _ => None,
            };
            let date_time = (kind == CellKind::DateTime)
                .then(|| ExcelDateTime::parse_from_str(cell).ok())
                .flatten();
            match (number, date_time) {
                (Some(number), _) => {
                    worksheet.write_number(line, column as u16, number)?;
                }
                (_, Some(date_time)) => {
                    worksheet.write_datetime_with_format(
                        line,
                        column as u16,
                        &date_time,
                        &self.when,
                    )?;
                }
                // Strings in a workbook are never evaluated; risky ones stay text when edited.
                _ if risky(cell) => {
                    worksheet.write_string_with_format(line, column as u16, cell, &self.text)?;
                }
                _ => {
                    worksheet.write_string(line, column as u16, cell)?;
                }
            }
        }
        self.row += 1;
        self.rows += 1;
        Ok(())
    }

    /// Rows pushed so far (headers not counted).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Writes the finished workbook (a zip streamed as it is made: `writer` needs no seeking).
    pub fn save<W: std::io::Write + Send>(
        mut self,
        writer: W,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.workbook.save_to_writer(writer)
    }
}

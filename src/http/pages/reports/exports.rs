//! The report as a file: CSV (one line per figure, UTF-8 with a byte-order mark
//! so spreadsheet programs read Vietnamese correctly) and XLSX (one sheet, the
//! tables one under another, ready to print). Both from the same view as the page.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::view::{Figure, ReportView};
use crate::http::pages::Lang;
use crate::http::pages::i18n::catalog;

/// The headings of the CSV's columns.
pub const CSV_HEADER: [&str; 4] =
    ["stats-csv-table", "stats-csv-row", "stats-csv-column", "stats-csv-figure"];

/// One line per figure: table, row, column, figure.
pub fn csv(view: &ReportView, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut out: Vec<u8> = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let header = CSV_HEADER.map(|k| catalog().message(lang, k));
        writer.write_record(&header)?;
        for table in &view.tables {
            for row in table.rows.iter().chain(table.totals.iter()) {
                for (column, figure) in table.columns.iter().zip(&row.figures) {
                    writer.write_record([&table.title, &row.label, column, &figure.text(lang)])?;
                }
            }
        }
        writer.flush()?;
    }
    Ok(out)
}

/// The whole report on one sheet.
pub fn xlsx(view: &ReportView, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(catalog().message(lang, "stats-xlsx-sheet"))?;
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let hidden = Format::new().set_italic().set_align(rust_xlsxwriter::FormatAlign::Right);
    sheet.set_column_width(0, 46)?;
    let mut line: u32 = 0;
    sheet.write_string_with_format(line, 0, &view.title, &title)?;
    line += 1;
    for text in [&view.period, &view.due, &view.scope, &view.cases, &view.legend] {
        sheet.write_string(line, 0, text.as_str())?;
        line += 1;
    }
    for text in &view.coverage {
        sheet.write_string(line, 0, text.as_str())?;
        line += 1;
    }
    for table in &view.tables {
        line += 1;
        sheet.write_string_with_format(line, 0, &table.title, &bold)?;
        line += 1;
        sheet.write_string_with_format(line, 0, &table.row_header, &bold)?;
        for (c, column) in table.columns.iter().enumerate() {
            let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
            sheet.write_string_with_format(line, col, column, &bold)?;
            sheet.set_column_width(col, 14)?;
        }
        line += 1;
        for (r, row) in table.rows.iter().chain(table.totals.iter()).enumerate() {
            let is_total = r == table.rows.len();
            if is_total {
                sheet.write_string_with_format(line, 0, &row.label, &bold)?;
            } else {
                sheet.write_string(line, 0, &row.label)?;
            }
            for (c, figure) in row.figures.iter().enumerate() {
                let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
                match figure {
                    Figure::Count(n) => {
                        sheet.write_number(line, col, *n as f64)?;
                    }
                    Figure::Hidden => {
                        sheet.write_string_with_format(line, col, figure.text(lang), &hidden)?;
                    }
                    Figure::Text(text) => {
                        sheet.write_string(line, col, text)?;
                    }
                }
            }
            line += 1;
        }
    }
    workbook.save_to_buffer()
}

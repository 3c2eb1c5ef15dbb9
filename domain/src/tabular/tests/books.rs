//! Builders for the hostile corpus's workbooks: a minimal XLSX (relationships, workbook, one
//! sheet, optional shared strings and styles), a minimal ODS (mimetype, manifest, one sheet),
//! their rows and cells, XLS records, and incompressible text.

use super::containers::{record, zip, Part};

pub(super) const SHEET_HEAD: &str =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
pub(super) const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// An XLSX of one sheet whose rows are `rows`, with `extra` parts (shared strings, styles).
pub(super) fn xlsx(rows: &str, extra: Vec<Part>) -> Vec<u8> {
    let sheet = format!("{SHEET_HEAD}{rows}{SHEET_TAIL}");
    xlsx_with(
        Part::deflated("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        extra,
    )
}

pub(super) fn xlsx_with(sheet: Part, extra: Vec<Part>) -> Vec<u8> {
    const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PACKAGE: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let root = format!(
        "<Relationships xmlns=\"{PACKAGE}\"><Relationship Id=\"rId1\" \
         Type=\"{RELS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
    );
    let book = format!(
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"{RELS}\"><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets>\
         </workbook>"
    );
    let links = format!(
        "<Relationships xmlns=\"{PACKAGE}\"><Relationship Id=\"rId1\" Type=\"{RELS}/worksheet\" \
         Target=\"worksheets/sheet1.xml\"/></Relationships>"
    );
    let mut parts = vec![
        Part::deflated("_rels/.rels", root.as_bytes()),
        Part::deflated("xl/workbook.xml", book.as_bytes()),
        Part::deflated("xl/_rels/workbook.xml.rels", links.as_bytes()),
        sheet,
    ];
    parts.extend(extra);
    zip(&parts, 0, None)
}

pub(super) fn inline(reference: &str, text: &str) -> String {
    format!("<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

pub(super) fn styles(font: &str, formats: usize) -> Part {
    let xf = "<xf/>".repeat(formats);
    let xml = format!(
        "<styleSheet><fonts><font><name val=\"{font}\"/></font></fonts><cellXfs>{xf}</cellXfs>\
         </styleSheet>"
    );
    Part::deflated("xl/styles.xml", xml.as_bytes())
}

/// An ODS whose only sheet holds `rows`; `manifest` is added to the manifest's entries.
pub(super) fn ods(rows: &str, manifest: &str) -> Vec<u8> {
    ods_with(rows, manifest, Vec::new())
}

/// [`ods`] with `extra` parts (a thumbnail).
pub(super) fn ods_with(rows: &str, manifest: &str, extra: Vec<Part>) -> Vec<u8> {
    const MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";
    let content = format!(
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>\
         <office:spreadsheet><table:table table:name=\"Data\">{rows}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = format!(
        "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
         <manifest:file-entry manifest:full-path=\"content.xml\">{manifest}</manifest:file-entry>\
         </manifest:manifest>"
    );
    let mut parts = vec![
        Part::stored("mimetype", MIME.as_bytes()),
        Part::deflated("META-INF/manifest.xml", manifest.as_bytes()),
        Part::deflated("content.xml", content.as_bytes()),
    ];
    parts.extend(extra);
    zip(&parts, 0, None)
}

pub(super) fn ods_row(cells: &str, repeat: u64) -> String {
    format!("<table:table-row table:number-rows-repeated=\"{repeat}\">{cells}</table:table-row>")
}

pub(super) fn ods_text(text: &str, repeat: u64) -> String {
    format!(
        "<table:table-cell table:number-columns-repeated=\"{repeat}\" office:value-type=\"string\">\
         <text:p>{text}</text:p></table:table-cell>"
    )
}

/// Pseudo-random decimal digits: text that deflate cannot shrink much.
pub(super) fn digits(count: usize) -> String {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            char::from(b'0' + (state >> 59) as u8 % 10)
        })
        .collect()
}

/// A CSV, an XLSX and an ODS of `rows` phone numbers, for reads that take long.
pub(super) fn long_files(rows: u32) -> Vec<(&'static str, Vec<u8>)> {
    let text: String = (0..rows).map(|i| format!("+4477009{i:05}\n")).collect();
    let sheet: String = (1..=rows)
        .map(|i| {
            format!(
                "<row r=\"{i}\">{}</row>",
                inline(&format!("A{i}"), "+447700900123")
            )
        })
        .collect();
    let table = ods_row(&ods_text("+447700900123", 1), u64::from(rows));
    vec![
        ("long.csv", text.into_bytes()),
        ("long.xlsx", xlsx(&sheet, Vec::new())),
        ("long.ods", ods(&table, "")),
    ]
}

/// A worksheet part `name` that unpacks to `head` and 512 MiB of spaces.
pub(super) fn sheet_bomb(name: &str, head: &str) -> Part {
    Part::bomb(
        name,
        head.as_bytes(),
        b' ',
        512 << 20,
        SHEET_TAIL.as_bytes(),
    )
}

/// A DIMENSIONS record for rows × columns from A1.
pub(super) fn xls_dimensions(rows: u32, columns: u16) -> Vec<u8> {
    let data = [
        &0_u32.to_le_bytes()[..],
        &rows.to_le_bytes(),
        &[0, 0],
        &columns.to_le_bytes(),
        &[0, 0],
    ];
    record(0x0200, &data.concat())
}

/// An image's bytes with `<!` in them (a PNG signature, then binary data).
pub(super) fn image() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR<!\x00\x01\xff<!DOCTYPE\x00".to_vec();
    png.extend(digits(4096).bytes().map(|b| b.wrapping_mul(37)));
    png
}

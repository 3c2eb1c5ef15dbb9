//! The hostile corpus, written into a directory at test time (a few megabytes, under a second):
//! each file with what reading it must end in, a refusal naming its bound (a text the message
//! contains) or a bounded read. Control files of each format show the writers make files the
//! readers accept.

use std::path::Path;

use super::books::{
    digits, image, inline, ods, ods_row, ods_text, ods_with, sheet_bomb, styles, xls_dimensions,
    xlsx, xlsx_with, SHEET_HEAD,
};
use super::containers::{compound, number, record, workbook, zip, Part};
use Expect::{Read, Refused};

/// What reading a file must end in.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// Refused; the message contains this.
    Refused(&'static str),
    /// Read to the end.
    Read,
}

type File = (&'static str, Vec<u8>, Expect);

/// Writes the corpus into `dir`; each file's name and what reading it must end in.
pub fn write(dir: &Path) -> Vec<(String, Expect)> {
    [
        workbooks(),
        archives(),
        open_documents(),
        compound_files(),
        texts(),
    ]
    .into_iter()
    .flatten()
    .map(|(name, bytes, expect)| {
        std::fs::write(dir.join(name), bytes).unwrap();
        (name.to_string(), expect)
    })
    .collect()
}

fn phones() -> String {
    format!(
        "<row r=\"1\">{}</row><row r=\"2\">{}</row>",
        inline("A1", "phone"),
        inline("A2", "+447700900123")
    )
}

/// XLSX files whose sheets, shared strings or styles are hostile.
fn workbooks() -> Vec<File> {
    let phones = phones();
    let one_cell = |reference: &str, row: u32| {
        let rows = format!("<row r=\"{row}\">{}</row>", inline(reference, "x"));
        xlsx(&rows, Vec::new())
    };
    let strings = b"<sst uniqueCount=\"4000000000\"><si><t>a</t></si></sst>";
    let token = format!(
        "<row r=\"1\"><c r=\"A1\"><v>{}</v></c></row>",
        digits(2 << 20)
    );
    vec![
        ("control.xlsx", xlsx(&phones, Vec::new()), Read),
        (
            "far_column.xlsx",
            one_cell("ZZZZZZ2", 2),
            Refused("column 321,272,406 (ZZZZZZ); OCM reads at most 16,384 columns"),
        ),
        (
            "far_row.xlsx",
            one_cell("A2000000", 2_000_000),
            Refused("at most 1,048,576 rows"),
        ),
        (
            "declared_strings.xlsx",
            xlsx(
                &phones,
                vec![Part::deflated("xl/sharedStrings.xml", strings)],
            ),
            Refused("declares 4,000,000,000 shared strings"),
        ),
        (
            "cell_formats.xlsx",
            xlsx(&phones, vec![styles("Calibri", 70_000)]),
            Refused("defines 70,000 cell formats; OCM reads at most 65,536"),
        ),
        (
            "style_copies.xlsx",
            xlsx(&phones, vec![styles(&"F".repeat(60_000), 1_000)]),
            Refused("at most 16,777,216 bytes (16 MiB)"),
        ),
        (
            "long_token.xlsx",
            xlsx(&token, Vec::new()),
            Refused("longer than 1,048,576 bytes"),
        ),
        (
            "doctype.xlsx",
            xlsx(&format!("<!DOCTYPE x>{phones}"), Vec::new()),
            Refused("declares a document type"),
        ),
        (
            "image_part.xlsx",
            xlsx(&phones, vec![Part::stored("xl/media/image1.png", &image())]),
            Read,
        ),
        (
            "shared_string_cells.xlsx",
            xlsx(&shared_rows(10_000), vec![long_shared_string()]),
            Refused("bytes of cell text for this file (20 times its size"),
        ),
    ]
}

/// A header, then `rows` rows of a phone and the one long shared string.
fn shared_rows(rows: u32) -> String {
    let mut xml = format!("<row r=\"1\">{}</row>", inline("A1", "phone"));
    for row in 2..=rows + 1 {
        xml.push_str(&format!(
            "<row r=\"{row}\">{}<c r=\"B{row}\" t=\"s\"><v>0</v></c></row>",
            inline(&format!("A{row}"), "+447700900123")
        ));
    }
    xml
}

/// A shared-strings part of one 32,000-character string.
fn long_shared_string() -> Part {
    let xml = format!(
        "<sst count=\"1\" uniqueCount=\"1\"><si><t>{}</t></si></sst>",
        "x".repeat(32_000)
    );
    Part::deflated("xl/sharedStrings.xml", xml.as_bytes())
}

/// Zip bombs and damaged or locked archives.
fn archives() -> Vec<File> {
    let head = format!("{SHEET_HEAD}<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    let bomb = |declared: Option<u32>| {
        let mut part = sheet_bomb("xl/worksheets/sheet1.xml", &head);
        part.size = declared.unwrap_or(part.size);
        xlsx_with(part, Vec::new())
    };
    let spread = Part::deflated("xl/media/image.bin", digits(2 << 20).as_bytes());
    let inner = zip(&[sheet_bomb("sheet.xml", &head)], 0, None);
    let nested: Vec<Part> = (0..10)
        .map(|i| Part::stored(&format!("bomb{i}.zip"), &inner))
        .collect();
    let mut locked = Part::deflated("xl/worksheets/sheet1.xml", phones().as_bytes());
    locked.flags = 1;
    let control = xlsx(&phones(), Vec::new());
    let one_part = [Part::stored("a.xml", b"<a/>")];
    vec![
        (
            "flat_bomb.xlsx",
            bomb(None),
            Refused("times their size (a larger ratio is the mark of a compression bomb)"),
        ),
        (
            "lying_bomb.xlsx",
            bomb(Some(100_000)),
            Refused("larger than its declared uncompressed size"),
        ),
        (
            "overlap_bomb.xlsx",
            zip(&[spread], 1_500, None),
            Refused("OCM unpacks at most 2,147,483,648 bytes"),
        ),
        (
            "nested_bomb.xlsx",
            zip(&nested, 0, None),
            Refused("The spreadsheet cannot be read"),
        ),
        (
            "many_parts.xlsx",
            zip(&one_part, 0, Some(u16::MAX)),
            Refused("archive of 65,535 parts"),
        ),
        (
            "zip_encrypted.xlsx",
            xlsx_with(locked, Vec::new()),
            Refused("password-protected"),
        ),
        (
            "truncated.xlsx",
            control[..control.len() / 2].to_vec(),
            Refused("The spreadsheet cannot be read"),
        ),
        (
            "ooxml_encrypted.xlsx",
            compound("EncryptedPackage", &[0; 600], false),
            Refused("password-protected"),
        ),
    ]
}

/// ODS files with repeat bombs, LibreOffice's empty edges and encryption.
fn open_documents() -> Vec<File> {
    let control = format!(
        "{}{}",
        ods_row(&ods_text("phone", 1), 1),
        ods_row(&ods_text("+447700900123", 1), 1)
    );
    let edges = format!(
        "{}{}",
        ods_row(&ods_text("phone", 1), 1),
        ods_row(
            "<table:table-cell table:number-columns-repeated=\"16384\"/>",
            1_048_575
        )
    );
    let spaces = ods_text("a<text:s text:c=\"2000000000\"/>b", 1);
    let encrypted = "<manifest:encryption-data/>";
    // A 32,766-character value (spaces expanded) in every row to the sheet's end.
    let long = ods_text("a<text:s text:c=\"32765\"/>", 1);
    let repeated_text = format!(
        "{}{}",
        ods_row(&ods_text("phone", 1), 1),
        ods_row(
            &format!("{}{long}", ods_text("+447700900123", 1)),
            1_048_574
        )
    );
    vec![
        ("control.ods", ods(&control, ""), Read),
        (
            "ods_repeat_columns.ods",
            ods(&ods_row(&ods_text("x", 1_000_000_000), 1), ""),
            Refused("OCM reads at most 16,384 columns"),
        ),
        (
            "ods_repeat_rows.ods",
            ods(&ods_row(&ods_text("+447700900123", 1), 1_000_000_000), ""),
            Refused("at most 1,048,576 rows"),
        ),
        (
            "ods_spaces.ods",
            ods(&ods_row(&spaces, 1), ""),
            Refused("at most 32,767 characters per value"),
        ),
        ("ods_empty_edges.ods", ods(&edges, ""), Read),
        (
            "ods_thumbnail.ods",
            ods_with(
                &control,
                "",
                vec![Part::stored("Thumbnails/thumbnail.png", &image())],
            ),
            Read,
        ),
        (
            "ods_repeated_text.ods",
            ods(&repeated_text, ""),
            Refused("bytes of cell text for this file (20 times its size"),
        ),
        (
            "ods_encrypted.ods",
            ods(&ods_row(&ods_text("x", 1), 1), encrypted),
            Refused("password-protected"),
        ),
    ]
}

/// XLS files: encrypted, sparse, over-declared and looping.
fn compound_files() -> Vec<File> {
    let book = |globals: &[Vec<u8>], sheet: &[Vec<u8>]| workbook(globals, sheet);
    let filepass = record(0x002F, &[1, 0, 0, 0]);
    let corners = [number(0, 0, 1.0), number(65_535, 255, 2.0)];
    let shared = long_sst();
    let labels: Vec<Vec<u8>> = (0..2_000).map(label_sst).collect();
    vec![
        (
            "control.xls",
            compound(
                "Workbook",
                &book(&[], &[number(0, 0, 447_700_900_123.0)]),
                false,
            ),
            Read,
        ),
        (
            "xls_filepass.xls",
            compound("Workbook", &book(&[filepass], &[number(0, 0, 1.0)]), false),
            Refused("password-protected"),
        ),
        (
            "xls_far_cells.xls",
            compound("Workbook", &book(&[], &corners), false),
            Refused("span 33,554,432 cells"),
        ),
        (
            "xls_declared.xls",
            compound(
                "Workbook",
                &book(&[], &[xls_dimensions(65_536, 256)]),
                false,
            ),
            Refused("span 16,777,216 cells"),
        ),
        (
            "xls_loop.xls",
            compound("Workbook", &book(&[], &[number(0, 0, 1.0)]), true),
            Refused("loops back on itself"),
        ),
        ("xls_fat_bomb.xls", fat_bomb(), Refused("more than once")),
        (
            "xls_shared_strings.xls",
            compound("Workbook", &book(&[shared], &labels), false),
            Refused("repeat shared strings to 60,000,000 characters"),
        ),
    ]
}

/// An XLS whose header lists its first allocation-table sector as all 109 of them.
fn fat_bomb() -> Vec<u8> {
    let mut file = compound("Workbook", &workbook(&[], &[number(0, 0, 1.0)]), false);
    file[76..512].fill(0);
    file
}

/// An SST record of one 30,000-character string.
fn long_sst() -> Vec<u8> {
    let mut data = [1u32.to_le_bytes(); 2].concat();
    data.extend(30_000u16.to_le_bytes());
    data.push(0);
    data.extend([b'x'; 30_000]);
    record(0x00FC, &data)
}

/// A LABELSST cell in column A pointing at shared string 0.
fn label_sst(row: u16) -> Vec<u8> {
    let data = [&row.to_le_bytes()[..], &[0; 4], &0u32.to_le_bytes()];
    record(0x00FD, &data.concat())
}

/// Text files: binary, UTF-16 without BOM, a 10 MB field, a million empty columns.
fn texts() -> Vec<File> {
    let utf16 = "phone\r\n+447700900123\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes);
    vec![
        (
            "binary.csv",
            digits(4096).bytes().map(|b| b % 7).collect(),
            Refused("binary data"),
        ),
        ("utf16_no_bom.csv", utf16.collect(), Read),
        (
            "ten_mb_field.csv",
            format!("phone\n\"{}\"\n", "9".repeat(10 << 20)).into_bytes(),
            Refused("at most 262,144 bytes (256 KiB) per row"),
        ),
        (
            "million_columns.csv",
            format!("phone\n{}\n", ",".repeat(999_999)).into_bytes(),
            Refused("Line 2 has more than 16,384 fields"),
        ),
    ]
}

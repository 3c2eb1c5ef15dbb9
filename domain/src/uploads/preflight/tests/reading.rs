//! Reading: delimiters, encodings, files without a header, spreadsheets with number and date
//! cells, empty files and the row limit.

use super::*;

#[test]
fn semicolon_and_tab_files() {
    let mut options = options();
    options.mapping = mapped(&[("name", Some("lastName"))]);
    let semicolons = check_with(
        "list.csv",
        b"id;name;mobile\nC1;Smith, Ann;07700900123\n",
        &options,
        &layout(),
        &[],
    );
    assert_eq!(semicolons.format, "CSV (UTF-8, delimiter ';')");
    assert_eq!(semicolons.delimiter, Some(b';'));
    assert_eq!(
        text(&semicolons.converted),
        "userContactId,lastName,phoneNumber1\nC1,\"Smith, Ann\",+447700900123\n"
    );
    let tabs = check("list.txt", "id\tmobile\te-mail\nC1\t07700 900123\tA@B.CO\n");
    assert_eq!(tabs.format, "Text (UTF-8, delimiter tab)");
    assert_eq!(
        text(&tabs.converted),
        "userContactId,phoneNumber1,email\nC1,+447700900123,A@b.co\n"
    );
}

#[test]
fn windows_1252_and_utf16_text() {
    let mut options = options();
    options.mapping = mapped(&[("Prénom", Some("firstName"))]);
    let latin = check_with(
        "fr.csv",
        b"id;Pr\xE9nom;mobile\r\nC1;Zo\xE9;07700900123\r\n",
        &options,
        &layout(),
        &[],
    );
    assert_eq!(latin.format, "CSV (Windows-1252, delimiter ';')");
    assert_eq!(latin.columns, ["id", "Prénom", "mobile"]);
    assert_eq!(
        text(&latin.converted),
        "userContactId,firstName,phoneNumber1\nC1,Zoé,+447700900123\n"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "id\tFirst name\tmobile\r\nC1\tChloë\t07700 900123\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let wide = check_with("wide.txt", &utf16, &super::options(), &layout(), &[]);
    assert_eq!(wide.format, "Text (UTF-16 LE, delimiter tab)");
    assert_eq!(
        text(&wide.converted),
        "userContactId,firstName,phoneNumber1\nC1,Chloë,+447700900123\n"
    );
}

#[test]
fn headerless_files_are_mapped_by_column_number() {
    let file = "C1,07700 900123,ann@example.com\nC2,07700 900124,\n";
    let unmapped = check("list.csv", file);
    assert!(!unmapped.has_header);
    assert_eq!(unmapped.columns, ["Column 1", "Column 2", "Column 3"]);
    assert_eq!(unmapped.mapping, [None, None, None]);
    assert_eq!(unmapped.blocking.len(), 2);
    assert!(unmapped.converted.is_empty());
    let mut options = options();
    options.mapping = mapped(&[
        ("Column 1", Some("userContactId")),
        ("Column 2", Some("phoneNumber1")),
        ("Column 3", Some("email")),
    ]);
    let found = check_with("list.csv", file.as_bytes(), &options, &layout(), &[]);
    assert_eq!(found.auto_mapped, [false, false, false]);
    assert_eq!(
        text(&found.converted),
        "userContactId,phoneNumber1,email\nC1,+447700900123,ann@example.com\nC2,+447700900124,\n"
    );
    assert_eq!(
        found.sample.iter().map(|s| s.row).collect::<Vec<_>>(),
        [1, 2]
    );
    // The user's word on the header wins over detection, either way.
    options.has_header = Some(true);
    let forced = check_with("list.csv", file.as_bytes(), &options, &layout(), &[]);
    assert_eq!(forced.columns, ["C1", "07700 900123", "ann@example.com"]);
    assert_eq!(forced.rows, 1);
    let mut options = super::options();
    options.has_header = Some(false);
    let headed = check_with(
        "h.csv",
        b"id,mobile\nC1,07700900123\n",
        &options,
        &layout(),
        &[],
    );
    assert_eq!((headed.has_header, headed.rows), (false, 2));
}

#[test]
fn xlsx_number_and_date_cells() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Contacts").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (column, title) in ["Customer ID", "Mobile", "Expiry date", "Balance", "Opt in"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *title).unwrap();
    }
    sheet.write_string(1, 0, "C1").unwrap();
    sheet.write_number(1, 1, 447700900123.0).unwrap();
    let day = ExcelDateTime::from_ymd(2026, 3, 31).unwrap();
    sheet.write_datetime_with_format(1, 2, &day, &date).unwrap();
    sheet.write_number(1, 3, 1234.5).unwrap();
    sheet.write_boolean(1, 4, true).unwrap();
    sheet.write_number(2, 0, 17).unwrap();
    sheet.write_number(2, 1, 7700900124.0).unwrap();
    let noon = ExcelDateTime::from_ymd(2026, 4, 1)
        .unwrap()
        .and_hms(12, 30, 0)
        .unwrap();
    sheet
        .write_datetime_with_format(2, 2, &noon, &stamp)
        .unwrap();
    sheet.write_string(2, 3, "12,5").unwrap();
    sheet.write_boolean(2, 4, false).unwrap();
    sheet.write_string(3, 0, "C3").unwrap();
    sheet.write_string(3, 1, "n/a").unwrap();
    sheet.write_string(5, 0, "C4").unwrap();
    sheet.write_number(5, 1, 447700900125.0).unwrap();
    sheet.write_string(5, 5, "stray").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let layout = OutputLayout {
        delimiter: b';',
        header_row: false,
        columns: Vec::new(),
    };
    let found = check_with("book.xlsx", &bytes, &options(), &layout, &[]);
    assert_eq!(found.format, "XLSX");
    assert_eq!(
        (found.sheets.clone(), found.sheet.clone(), found.delimiter),
        (
            vec!["Contacts".to_string()],
            Some("Contacts".to_string()),
            None
        )
    );
    // A value beyond the header in the first rows is a column of its own, without a name.
    assert_eq!(found.unmapped, ["Column 6"]);
    assert_eq!(
        text(&found.converted),
        "C1;+447700900123;2026-03-31;1234.5;true\n\
         17;+447700900124;2026-04-01;12.5;false\n\
         C4;+447700900125;;;\n"
    );
    assert_eq!((found.rows, found.valid, found.rejected), (4, 3, 1));
    let problems: Vec<(u64, Option<String>)> = found
        .sample
        .iter()
        .map(|s| (s.row, s.problem.clone()))
        .collect();
    assert_eq!(
        problems,
        [
            (2, None),
            (3, None),
            (4, Some("Mobile 'n/a': letters in a phone number".into())),
            (6, None),
        ]
    );
}

#[test]
fn later_sheet_rows_with_values_beyond_the_columns_are_rejected() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(0, 1, "mobile").unwrap();
    for row in 1..=120u32 {
        sheet.write_string(row, 0, format!("C{row}")).unwrap();
        sheet
            .write_string(row, 1, format!("07700 9{row:05}"))
            .unwrap();
    }
    sheet.write_string(110, 3, "stray").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let found = check_with("book.xlsx", &bytes, &options(), &layout(), &[]);
    assert_eq!(found.columns, ["id", "mobile"]);
    assert_eq!((found.rows, found.valid), (120, 119));
    assert_eq!(
        text(&found.rejects_csv).lines().nth(1),
        Some(
            "111,\"C110\",\"\",\"\",\"row has a value in column 4, beyond the header's 2 columns\""
        )
    );
}

#[test]
fn empty_files_are_refused_and_a_header_alone_is_no_rows() {
    let hits = HashSet::new();
    let run = |bytes: &[u8]| preflight("f.csv", bytes, &options(), &catalogue(), &layout(), &hits);
    assert_eq!(run(b""), Err(ParseError::Empty));
    assert_eq!(run(b" \r\n,,\n"), Err(ParseError::Empty));
    assert_eq!(run(b"\0\x01\x02"), Err(ParseError::NotText));
    let header = run(b"id,mobile\n").unwrap();
    assert_eq!((header.rows, header.has_header), (0, true));
    assert_eq!(text(&header.converted), "userContactId,phoneNumber1\n");
}

#[test]
fn the_row_limit_is_the_shared_error() {
    let hits = HashSet::new();
    let mut file = String::from("id,mobile\n");
    for i in 0..150 {
        file.push_str(&format!("C{i},07700 9{i:05}\n"));
    }
    let limit = |max_rows: u64| {
        let options = UploadOptions {
            max_rows,
            ..options()
        };
        preflight(
            "f.csv",
            file.as_bytes(),
            &options,
            &catalogue(),
            &layout(),
            &hits,
        )
    };
    assert_eq!(limit(2).unwrap_err(), ParseError::TooManyRows(2));
    let refused = limit(149).unwrap_err();
    assert_eq!(refused, ParseError::TooManyRows(149));
    assert!(refused.to_string().contains("more than 149 rows"));
    assert_eq!(limit(150).unwrap().valid, 150);
}

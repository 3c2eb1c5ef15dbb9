//! Pre-flight over spreadsheets: sheet choice, numbers and formulas, ODS, XLS, and the workbooks
//! that cannot be read.

use super::*;

#[test]
fn the_first_sheet_is_read_unless_another_is_chosen() {
    let first = run("two_sheets.xlsx", &options(), Target::Address).unwrap();
    assert_eq!(first.format, "XLSX");
    assert_eq!(first.sheets, ["Phones", "Emails"]);
    assert_eq!(first.sheet.as_deref(), Some("Phones"));
    assert_eq!(first.delimiter, None);
    assert_eq!(
        (first.columns.clone(), first.column),
        (vec!["Name".to_string(), "Phone".into()], 1)
    );
    assert_eq!(first.valid, ["+447700900123", "+447700900124"]);
    let emails = ParseOptions {
        sheet: Some("Emails".into()),
        ..options()
    };
    let second = run("two_sheets.xlsx", &emails, Target::Address).unwrap();
    assert_eq!(second.sheet.as_deref(), Some("Emails"));
    assert_eq!(second.valid, ["ann@example.com", "bob@example.com"]);
    assert_eq!(second.invalid, [("not an e-mail address".to_string(), 1)]);
    assert_eq!(rows_of_sample(&second), [2, 3, 4]);
    let missing = ParseOptions {
        sheet: Some("Nope".into()),
        ..options()
    };
    let refused = run("two_sheets.xlsx", &missing, Target::Address).unwrap_err();
    assert_eq!(refused, ParseError::NoSuchSheet("Nope".into()));
}

#[test]
fn numbers_and_formulas_are_read_as_digits() {
    let found = run("numbers.xlsx", &options(), Target::Address).unwrap();
    assert_eq!(found.columns, ["Customer", "Mobile"]);
    assert_eq!(found.column, 1);
    assert_eq!(
        found.valid,
        [
            "+447700900123",
            "+447700900000",
            "+447700900125",
            "+447700900126"
        ]
    );
    assert_eq!(found.sample[0].original, "447700900123");
    assert_eq!(found.sample[2].original, "447700900125");
}

#[test]
fn ods_contact_ids() {
    let found = run("contacts.ods", &options(), Target::ContactId).unwrap();
    assert_eq!(found.format, "ODS");
    assert_eq!(found.sheets, ["Contacts"]);
    assert_eq!((found.column, found.has_header), (0, true));
    assert_eq!(found.valid, ["C0001", "17"]);
    assert_eq!((found.rows, found.duplicates), (3, 1));
    assert_eq!(
        found.sample[2].problem.as_deref(),
        Some("duplicate of row 2")
    );
}

#[test]
fn xls_workbooks() {
    let found = run("phones.xls", &options(), Target::Address).unwrap();
    assert_eq!(found.format, "XLS");
    assert_eq!(found.columns, ["Name", "Telephone"]);
    assert_eq!(found.valid, ["+447700900123", "+447700900124"]);
}

#[test]
fn unreadable_workbooks_say_why() {
    let protected = run("protected.xlsx", &options(), Target::Address).unwrap_err();
    assert_eq!(protected, ParseError::PasswordProtected);
    assert!(protected.to_string().contains("password-protected"));
    let corrupt = run("corrupt.xlsx", &options(), Target::Address).unwrap_err();
    assert!(matches!(corrupt, ParseError::Corrupt(_)), "{corrupt:?}");
    assert!(corrupt
        .to_string()
        .starts_with("The spreadsheet cannot be read ("));
    // Every prefix of a workbook is an error, never a panic.
    let whole = fixture("numbers.xlsx");
    for end in (0..whole.len()).step_by(97) {
        let cut = preflight(
            "cut.xlsx",
            &whole[..end],
            &options(),
            Target::Address,
            &uk(),
        );
        assert!(cut.is_err(), "{end}");
    }
}

#[test]
fn an_empty_sheet_among_others_is_zero_rows_so_another_can_be_chosen() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("Cover").unwrap();
    let data = workbook.add_worksheet().set_name("Data").unwrap();
    data.write_string(4, 2, "+447700900123").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let cover = preflight("book.xlsx", &bytes, &options(), Target::Address, &uk()).unwrap();
    assert_eq!((cover.rows, cover.columns.len()), (0, 0));
    assert_eq!(cover.sheets, ["Cover", "Data"]);
    let pick = ParseOptions {
        sheet: Some("Data".into()),
        ..options()
    };
    let data = preflight("book.xlsx", &bytes, &pick, Target::Address, &uk()).unwrap();
    // Sheet coordinates: C5 is row 5 of column 3.
    assert_eq!(data.columns, ["Column 1", "Column 2", "Column 3"]);
    assert_eq!((data.column, data.has_header), (2, false));
    assert_eq!(rows_of_sample(&data), [5]);
}

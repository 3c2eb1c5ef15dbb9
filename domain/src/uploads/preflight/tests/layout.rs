//! The converted file's layout: explicit columns in the data source's order (one nothing maps to
//! is written empty, a mapped attribute it lacks is left out and named), names matched without
//! case, what the layout lacks blocking, the header row off, another delimiter, the date formats.

use super::*;

const FILE: &str = "id,First name,Mobile,email\nC1,Ann,07700 900123,ann@example.com\n\
                    C2,\"Bo|b\",07700 900124,\n";

#[test]
fn explicit_columns_set_the_order_and_a_column_nothing_maps_to_is_empty() {
    let layout = OutputLayout {
        delimiter: b'|',
        header_row: false,
        columns: ["phoneNumber1", "userContactId", "firstName", "zipcode"]
            .map(str::to_string)
            .to_vec(),
    };
    let found = check_with("f.csv", FILE.as_bytes(), &options(), &layout, &[]);
    assert!(found.blocking.is_empty(), "{:?}", found.blocking);
    // The e-mail column is mapped but has no place in the layout: it is named as left out.
    assert_eq!(
        found.unmapped,
        ["email (mapped to email, which the data source's layout has no column for)"]
    );
    assert_eq!(
        found.output_columns,
        ["phoneNumber1", "userContactId", "firstName", "zipcode"]
    );
    assert_eq!(
        text(&found.converted),
        "+447700900123|C1|Ann|\n+447700900124|C2|\"Bo|b\"|\n"
    );
    assert_eq!(
        found.sample[0].values,
        ["+447700900123", "C1", "Ann", ""].map(str::to_string)
    );
    let headed = OutputLayout {
        header_row: true,
        delimiter: b'\t',
        ..layout
    };
    let found = check_with("f.csv", FILE.as_bytes(), &options(), &headed, &[]);
    assert_eq!(
        text(&found.converted),
        "phoneNumber1\tuserContactId\tfirstName\tzipcode\n\
         +447700900123\tC1\tAnn\t\n+447700900124\tC2\tBo|b\t\n"
    );
}

#[test]
fn without_a_header_row_only_the_data_is_written() {
    let layout = OutputLayout {
        header_row: false,
        ..layout()
    };
    let found = check_with("f.csv", FILE.as_bytes(), &options(), &layout, &[]);
    assert_eq!(
        found.output_columns,
        ["userContactId", "firstName", "phoneNumber1", "email"]
    );
    assert_eq!(
        text(&found.converted),
        "C1,Ann,+447700900123,ann@example.com\nC2,Bo|b,+447700900124,\n"
    );
}

#[test]
fn dates_are_read_in_the_chosen_format() {
    let file = "id,mobile,Expiry date\nC1,07700900001,03/04/2026\nC2,07700900002,2026-04-30\n\
                C3,07700900003,04/30/2026\n";
    let expiry = |format: DateFormat| {
        let options = UploadOptions {
            date_format: format,
            ..options()
        };
        let found = check_with("d.csv", file.as_bytes(), &options, &layout(), &[]);
        found
            .sample
            .iter()
            .map(|s| match &s.problem {
                None => s.values[2].clone(),
                Some(problem) => problem.clone(),
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        expiry(DateFormat::DayMonthYear),
        [
            "2026-04-03",
            "2026-04-30",
            "Expiry date '04/30/2026': no such date (read as DD/MM/YYYY)"
        ]
    );
    assert_eq!(
        expiry(DateFormat::MonthDayYear),
        ["2026-03-04", "2026-04-30", "2026-04-30"]
    );
    assert_eq!(
        expiry(DateFormat::YearMonthDay),
        [
            "Expiry date '03/04/2026': not a date in the form YYYY-MM-DD",
            "2026-04-30",
            "Expiry date '04/30/2026': not a date in the form YYYY-MM-DD"
        ]
    );
}

#[test]
fn date_formats_have_stable_names() {
    for format in DateFormat::ALL {
        assert_eq!(DateFormat::parse(format.as_str()), Some(format));
    }
    assert_eq!(
        DateFormat::ALL.map(|f| (f.as_str(), f.label())),
        [
            ("ymd", "YYYY-MM-DD"),
            ("dmy", "DD/MM/YYYY"),
            ("mdy", "MM/DD/YYYY")
        ]
    );
    assert_eq!(DateFormat::parse("DMY"), None);
    assert_eq!(DateFormat::default(), DateFormat::YearMonthDay);
}

#[test]
fn layout_names_match_without_case_and_what_it_lacks_blocks_sending() {
    let spelled = |columns: &[&str]| OutputLayout {
        delimiter: b',',
        header_row: true,
        columns: columns.iter().map(|c| c.to_string()).collect(),
    };
    // POM's guide spells attributes with a capital: the values still land in their columns.
    let found = check_with(
        "f.csv",
        FILE.as_bytes(),
        &options(),
        &spelled(&["UserContactId", "PhoneNumber1"]),
        &[],
    );
    assert!(found.blocking.is_empty(), "{:?}", found.blocking);
    assert_eq!(
        text(&found.converted),
        "UserContactId,PhoneNumber1\nC1,+447700900123\nC2,+447700900124\n"
    );
    let found = check_with(
        "f.csv",
        FILE.as_bytes(),
        &options(),
        &spelled(&["firstName", "phoneNumber1"]),
        &[],
    );
    assert!(
        found
            .blocking
            .iter()
            .any(|b| b.contains("no userContactId column")),
        "{:?}",
        found.blocking
    );
    assert!(found.converted.is_empty());
    let found = check_with(
        "f.csv",
        FILE.as_bytes(),
        &options(),
        &spelled(&["userContactId", "firstName", "REGION"]),
        &[],
    );
    assert!(
        found.blocking.iter().any(|b| b.contains("REGION")),
        "{:?}",
        found.blocking
    );
    assert!(
        found
            .blocking
            .iter()
            .any(|b| b.contains("phone number or e-mail")),
        "{:?}",
        found.blocking
    );
}

//! The split over small converted files built here: parts within the limit on row boundaries,
//! each with the header, quoted line feeds kept inside their row, nothing lost or repeated, and
//! a row too large on its own refused by number.

use super::*;

const HEADER: &str = "userContactId,firstName,phoneNumber1\n";

/// A converted file of `rows` rows, each exactly 22 bytes (`C0001,Ann,+4477000001\n`).
fn file(rows: usize) -> Vec<u8> {
    let mut out = HEADER.as_bytes().to_vec();
    for i in 1..=rows {
        out.extend_from_slice(format!("C{i:04},Ann,+447700{i:04}\n").as_bytes());
    }
    out
}

fn parts_of(file: &[u8], parts: &Parts) -> Vec<String> {
    (1..=parts.count())
        .map(|n| String::from_utf8(parts.part(file, n).unwrap()).unwrap())
        .collect()
}

/// The data rows of every part, in order, without the headers.
fn rows_of(parts: &[String], header: &str) -> Vec<String> {
    parts
        .iter()
        .flat_map(|p| {
            assert!(p.starts_with(header), "{p}");
            p[header.len()..]
                .split_inclusive('\n')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_file_within_the_limit_is_one_part_equal_to_the_file() {
    let f = file(3);
    let parts = split(&f, true, f.len()).unwrap();
    assert_eq!(parts.count(), 1);
    assert_eq!(parts.part(&f, 1).unwrap(), f);
    assert_eq!(parts.part(&f, 2), None);
    assert_eq!(parts.part(&f, 0), None);
}

#[test]
fn parts_stay_within_the_limit_keep_the_header_and_lose_nothing() {
    let f = file(10);
    let row = 22;
    assert_eq!(f.len(), HEADER.len() + 10 * row);
    // Room for the header and three rows (and a little more, never a fourth row).
    let limit = HEADER.len() + 3 * row + 5;
    let parts = split(&f, true, limit).unwrap();
    assert_eq!(parts.count(), 4, "3 + 3 + 3 + 1 rows");
    let texts = parts_of(&f, &parts);
    for text in &texts {
        assert!(text.len() <= limit, "{} > {limit}", text.len());
        assert!(text.ends_with('\n'));
    }
    let all = String::from_utf8(f[HEADER.len()..].to_vec()).unwrap();
    let expected: Vec<String> = all.split_inclusive('\n').map(str::to_string).collect();
    assert_eq!(
        rows_of(&texts, HEADER),
        expected,
        "every row once, in order"
    );
    // Exactly at the limit still fits.
    let exact = split(&f, true, HEADER.len() + 5 * row).unwrap();
    assert_eq!(exact.count(), 2);
}

#[test]
fn a_quoted_line_feed_stays_inside_its_row() {
    let text = format!(
        "{HEADER}A1,\"two\nlines\",+1\nA2,\"say \"\"hi\"\"\n\",+2\nA3,plain,+3\nA4,\"x\",+4"
    );
    let f = text.as_bytes();
    let limit = HEADER.len() + 21;
    let parts = split(f, true, limit).unwrap();
    let texts = parts_of(f, &parts);
    assert_eq!(
        texts,
        [
            format!("{HEADER}A1,\"two\nlines\",+1\n"),
            format!("{HEADER}A2,\"say \"\"hi\"\"\n\",+2\n"),
            format!("{HEADER}A3,plain,+3\nA4,\"x\",+4"),
        ],
        "the last row has no line feed and is kept whole too"
    );
}

#[test]
fn without_a_header_row_parts_are_rows_only() {
    let f = b"a,1\nb,2\nc,3\n";
    let parts = split(f, false, 8).unwrap();
    assert_eq!(parts.header, 0);
    assert_eq!(parts_of(f, &parts), ["a,1\nb,2\n", "c,3\n"]);
}

#[test]
fn crlf_rows_are_cut_after_their_line_feed() {
    let f = format!("h\r\n{}", "r1\r\nr2\r\nr3\r\n");
    let parts = split(f.as_bytes(), true, 3 + 8).unwrap();
    assert_eq!(
        parts_of(f.as_bytes(), &parts),
        ["h\r\nr1\r\nr2\r\n", "h\r\nr3\r\n"]
    );
}

#[test]
fn a_row_larger_than_the_limit_is_refused_by_number() {
    let mut f = file(3);
    let long = format!("C9999,{},+44\n", "x".repeat(500));
    f.extend_from_slice(long.as_bytes());
    f.extend_from_slice(b"C1000,Bob,+44\n");
    let limit = HEADER.len() + 100;
    let error = split(&f, true, limit).unwrap_err();
    assert_eq!(error.row, 4);
    assert_eq!(error.bytes, HEADER.len() + long.len());
    let message = error.message(Some("C9999"));
    assert!(
        message.starts_with("Row 4 of the converted file (contact C9999) is 0.5 KB"),
        "{message}"
    );
    assert!(message.contains("OCM_UPLOAD_POM_PART_MB"), "{message}");
    assert!(message.contains("nothing was sent"), "{message}");
    // The header row alone over the limit.
    let error = split(&f, true, 10).unwrap_err();
    assert_eq!(error.row, 0);
    assert!(error.to_string().starts_with("The header row"), "{error}");
}

#[test]
fn sizes_and_row_numbers_read_well() {
    let error = RowTooLarge {
        row: 12_345,
        bytes: 52_400_000,
        limit: 50_000_000,
    };
    assert!(
        error
            .to_string()
            .starts_with("Row 12,345 of the converted file is 52.4 MB with the header row, more than POM's file limit of 50 MB"),
        "{error}"
    );
}

#[test]
fn stored_boundaries_that_no_longer_fit_the_file_give_no_part() {
    let f = file(4);
    let parts = split(&f, true, HEADER.len() + 44).unwrap();
    assert_eq!(parts.count(), 2);
    assert_eq!(parts.part(&f[..f.len() - 1], 2), None);
    assert_eq!(Parts::whole(f.len()).part(&f, 1).unwrap(), f);
}

//! Pre-flight over small files built here: the exact converted bytes of a typical file, then
//! reading (`reading`: encodings, delimiters, headerless files, spreadsheets, limits), mapping
//! (`mapping`: automatic, aliases, user choices, blocking problems), the row rules (`rows`: every
//! reason, duplicates, DNC hits, the reject file) and the output layout (`layout`).

mod layout;
mod mapping;
mod reading;
mod rows;

use super::*;

/// A catalogue like the demo's, with a boolean.
fn catalogue() -> Vec<Attribute> {
    [
        ("userContactId", "STRING"),
        ("title", "STRING"),
        ("firstName", "STRING"),
        ("lastName", "STRING"),
        ("phoneNumber1", "PHONE"),
        ("phoneNumber2", "PHONE"),
        ("email", "EMAIL"),
        ("addressLine1", "STRING"),
        ("addressLine3", "STRING"),
        ("zipcode", "STRING"),
        ("EXPIRY_DATE", "DATE"),
        ("BALANCE", "NUMBER"),
        ("OPT_IN", "BOOLEAN"),
    ]
    .iter()
    .map(|(name, pom_type)| Attribute {
        name: name.to_string(),
        pom_type: pom_type.to_string(),
    })
    .collect()
}

fn options() -> UploadOptions {
    UploadOptions {
        delimiter: None,
        sheet: None,
        has_header: None,
        mapping: BTreeMap::new(),
        date_format: DateFormat::DayMonthYear,
        max_rows: 1_000,
        numbers: PhoneRules::demo(),
        collect_addresses_up_to: 1_000,
        cancel: Cancel::default(),
        erased: Default::default(),
    }
}

fn layout() -> OutputLayout {
    OutputLayout {
        delimiter: b',',
        header_row: true,
        columns: Vec::new(),
    }
}

fn mapped(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
    pairs
        .iter()
        .map(|(column, attribute)| (column.to_string(), attribute.map(str::to_string)))
        .collect()
}

fn check_with(
    name: &str,
    bytes: &[u8],
    options: &UploadOptions,
    layout: &OutputLayout,
    hits: &[&str],
) -> ContactPreflight {
    let hits: HashSet<String> = hits.iter().map(|h| h.to_string()).collect();
    preflight(name, bytes, options, &catalogue(), layout, &hits).unwrap()
}

fn check(name: &str, text: &str) -> ContactPreflight {
    check_with(name, text.as_bytes(), &options(), &layout(), &[])
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

#[test]
fn a_typical_file_converts_to_exact_bytes() {
    let found = check(
        "contacts.csv",
        "Customer ID,First name,Surname,Mobile,E-mail,Expiry date,Balance,Opt in,Notes\r\n\
         C0001, Ann ,Smith,07700 900123,Ann.Smith@Example.COM,31/03/2026,\"1,234.50\",yes,VIP\r\n\
         \r\n\
         C0002,Bob,\"Jones, Jr\",+44 7700 900124,,01/04/2026,12,no,\r\n",
    );
    assert_eq!(found.format, "CSV (UTF-8, delimiter ',')");
    assert!(found.has_header);
    assert_eq!(
        found.mapping,
        [
            Some("userContactId"),
            Some("firstName"),
            Some("lastName"),
            Some("phoneNumber1"),
            Some("email"),
            Some("EXPIRY_DATE"),
            Some("BALANCE"),
            Some("OPT_IN"),
            None
        ]
        .map(|m| m.map(str::to_string))
    );
    assert_eq!(
        found.auto_mapped,
        [true, true, true, true, true, true, true, true, false]
    );
    assert_eq!(found.unmapped, ["Notes"]);
    assert!(found.blocking.is_empty(), "{:?}", found.blocking);
    assert_eq!(
        (found.rows, found.valid, found.rejected, found.duplicates),
        (2, 2, 0, 0)
    );
    assert_eq!(
        found.output_columns,
        [
            "userContactId",
            "firstName",
            "lastName",
            "phoneNumber1",
            "email",
            "EXPIRY_DATE",
            "BALANCE",
            "OPT_IN"
        ]
    );
    assert_eq!(
        text(&found.converted),
        "userContactId,firstName,lastName,phoneNumber1,email,EXPIRY_DATE,BALANCE,OPT_IN\n\
         C0001,Ann,Smith,+447700900123,Ann.Smith@example.com,2026-03-31,1234.50,true\n\
         C0002,Bob,\"Jones, Jr\",+447700900124,,2026-04-01,12,false\n"
    );
    assert_eq!(found.sent_ids, ["C0001", "C0002"]);
    // Ofcom's drama numbers are possible, not valid: sent, and flagged.
    assert_eq!(
        found.flagged,
        [("Mobile: not a valid number for its country".to_string(), 2)]
    );
    assert_eq!(
        found.addresses,
        ["+447700900123", "ann.smith@example.com", "+447700900124"]
    );
    assert_eq!(
        found.sample,
        [
            ContactSample {
                row: 2,
                values: [
                    "C0001",
                    "Ann",
                    "Smith",
                    "+447700900123",
                    "Ann.Smith@example.com",
                    "2026-03-31",
                    "1234.50",
                    "true"
                ]
                .map(str::to_string)
                .to_vec(),
                problem: None,
                flag: Some("Mobile '07700 900123': not a valid GB number".into()),
            },
            ContactSample {
                row: 4,
                values: [
                    "C0002",
                    "Bob",
                    "Jones, Jr",
                    "+447700900124",
                    "",
                    "2026-04-01",
                    "12",
                    "false"
                ]
                .map(str::to_string)
                .to_vec(),
                problem: None,
                flag: Some("Mobile '+44 7700 900124': not a valid GB number".into()),
            },
        ]
    );
    assert_eq!(
        text(&found.rejects_csv),
        "\u{feff}row_number,user_contact_id,column,value,reason\r\n"
    );
}

//! The row rules: every reason in order, duplicates, DNC hits, the reject file (formulas
//! neutralised), and what is kept of a long file.

use super::*;

const EVERY_REASON: &str = "id,mobile,email,Expiry date,balance,opt in,notes\n\
    C1,07700900001,a@example.com,31/03/2026,10,y,ok\n\
    C2,07700900002,,31/03/2026,10,y\n\
    ,07700900003,,,,,\n\
    C1,07700900004,,,,,\n\
    C3,0770 CALL ME,,,,,\n\
    C4,,not-an-email,,,,\n\
    C5,07700900005,,30/02/2026,,,\n\
    C6,07700900006,,March 31,,,\n\
    C7,07700900007,,,12abc,,\n\
    C8,07700900008,,,,maybe,\n\
    C9,,,,,,note\n\
    C10,07700900010,,,,,\n\
    C11,,DNC@Example.com,,,,\n\
    C12,07700900012,,,,,\n";

#[test]
fn every_reason_in_the_reject_file_and_the_counts() {
    let found = check_with(
        "every.csv",
        EVERY_REASON.as_bytes(),
        &options(),
        &layout(),
        &["+447700900010", "dnc@example.com", "+447700900001x"],
    );
    assert!(found.blocking.is_empty(), "{:?}", found.blocking);
    assert_eq!(
        (found.rows, found.valid, found.rejected, found.duplicates),
        (14, 2, 12, 1)
    );
    assert_eq!(
        text(&found.rejects_csv),
        "\u{feff}row_number,user_contact_id,column,value,reason\r\n\
         3,\"C2\",\"\",\"\",\"row has 6 fields, the header has 7\"\r\n\
         4,\"\",\"id\",\"\",\"no userContactId: column 'id' is empty\"\r\n\
         5,\"C1\",\"id\",\"C1\",\"userContactId C1 already on row 2\"\r\n\
         6,\"C3\",\"mobile\",\"0770 CALL ME\",\"mobile '0770 CALL ME': letters in a phone number\"\r\n\
         7,\"C4\",\"email\",\"not-an-email\",\"email 'not-an-email': not an e-mail address\"\r\n\
         8,\"C5\",\"Expiry date\",\"30/02/2026\",\"Expiry date '30/02/2026': no such date (read as DD/MM/YYYY)\"\r\n\
         9,\"C6\",\"Expiry date\",\"March 31\",\"Expiry date 'March 31': not a date in the form DD/MM/YYYY\"\r\n\
         10,\"C7\",\"balance\",\"12abc\",\"balance '12abc': not a number\"\r\n\
         11,\"C8\",\"opt in\",\"maybe\",\"opt in 'maybe': not true or false (true/false, yes/no, y/n or 1/0)\"\r\n\
         12,\"C9\",\"\",\"\",\"no phone number or e-mail\"\r\n\
         13,\"C10\",\"mobile\",\"07700900010\",\"on a DNC list: +447700900010\"\r\n\
         14,\"C11\",\"email\",\"DNC@Example.com\",\"on a DNC list: dnc@example.com\"\r\n"
    );
    let reasons: Vec<(&str, u64)> = found
        .reasons
        .iter()
        .map(|(text, count)| (text.as_str(), *count))
        .collect();
    assert_eq!(
        reasons,
        [
            ("on a DNC list", 2),
            ("Expiry date: no such date", 1),
            ("Expiry date: not a date in the form DD/MM/YYYY", 1),
            ("balance: not a number", 1),
            ("email: not an e-mail address", 1),
            ("mobile: letters in a phone number", 1),
            ("no phone number or e-mail", 1),
            ("no userContactId", 1),
            ("opt in: not true or false", 1),
            ("userContactId already on an earlier row", 1),
            ("wrong number of fields", 1),
        ]
    );
    assert_eq!(found.sent_ids, ["C1", "C12"]);
    assert_eq!(
        found.addresses,
        ["+447700900001", "a@example.com", "+447700900012"]
    );
    assert_eq!(
        text(&found.converted),
        "userContactId,phoneNumber1,email,EXPIRY_DATE,BALANCE,OPT_IN\n\
         C1,+447700900001,a@example.com,2026-03-31,10,true\n\
         C12,+447700900012,,,,\n"
    );
    assert_eq!(found.sample.len(), 10);
    assert_eq!(
        found.sample[4],
        ContactSample {
            row: 6,
            values: ["C3", "0770 CALL ME", "", "", "", ""]
                .map(str::to_string)
                .to_vec(),
            problem: Some("mobile '0770 CALL ME': letters in a phone number".into()),
            flag: None,
        }
    );
    assert_eq!(found.sample[9].row, 11);
}

#[test]
fn duplicates_name_the_first_row_and_only_the_first_is_sent() {
    let found = check(
        "dupes.csv",
        "id,mobile\nC1,07700900001\nC2,bad\nC1,07700900003\nC2,07700900004\n C1 ,07700900005\n",
    );
    assert_eq!((found.rows, found.valid, found.duplicates), (5, 1, 3));
    assert_eq!(
        found.reasons,
        [
            ("userContactId already on an earlier row".to_string(), 3),
            ("mobile: letters in a phone number".to_string(), 1),
        ]
    );
    // C2's first row is rejected, and its second is still a repeat.
    let problems: Vec<Option<&str>> = found.sample.iter().map(|s| s.problem.as_deref()).collect();
    assert_eq!(
        problems,
        [
            None,
            Some("mobile 'bad': letters in a phone number"),
            Some("userContactId C1 already on row 2"),
            Some("userContactId C2 already on row 3"),
            Some("userContactId C1 already on row 2"),
        ]
    );
    assert_eq!(found.sent_ids, ["C1"]);
}

#[test]
fn dnc_hits_reject_rows_by_any_of_their_addresses() {
    let file = "id,Phone 1,Phone 2,email\nC1,07700900001,07700900002,x@y.com\nC2,,07700900009,\n\
                C3,07700900003,,\n";
    let clean = check("dnc.csv", file);
    assert_eq!(clean.valid, 3);
    assert_eq!(
        clean.addresses,
        [
            "+447700900001",
            "+447700900002",
            "x@y.com",
            "+447700900009",
            "+447700900003"
        ]
    );
    let hits = ["+447700900002", "+447700900009"];
    let found = check_with("dnc.csv", file.as_bytes(), &options(), &layout(), &hits);
    assert_eq!((found.valid, found.rejected), (1, 2));
    assert_eq!(found.reasons, [("on a DNC list".to_string(), 2)]);
    assert_eq!(
        found.sample[0].problem.as_deref(),
        Some("on a DNC list: +447700900002")
    );
    assert_eq!(found.sent_ids, ["C3"]);
    assert_eq!(found.addresses, ["+447700900003"]);
}

#[test]
fn the_reject_file_neutralises_formulas() {
    let found = check(
        "evil.csv",
        "id,mobile\n=1+2,call me\n@cmd,+44 123\n-C3,07700900123\n+C4,\"=HYPERLINK(\"\"x\"\")\"\n",
    );
    assert_eq!(
        text(&found.rejects_csv),
        "\u{feff}row_number,user_contact_id,column,value,reason\r\n\
         2,\"'=1+2\",\"mobile\",\"call me\",\"mobile 'call me': letters in a phone number\"\r\n\
         3,\"'@cmd\",\"mobile\",\"'+44 123\",\
         \"mobile '+44 123': not a phone number: too short\"\r\n\
         5,\"'+C4\",\"mobile\",\"'=HYPERLINK(\"\"x\"\")\",\
         \"mobile '=HYPERLINK(\"\"x\"\")': letters in a phone number\"\r\n"
    );
    // The converted file is for POM, not a spreadsheet: values as they are.
    assert_eq!(
        text(&found.converted),
        "userContactId,phoneNumber1\n-C3,+447700900123\n"
    );
}

#[test]
fn long_files_keep_only_counts_ids_and_addresses_up_to_the_limit() {
    let mut file = String::from("id;mobile;name\n");
    for i in 0..250u32 {
        match i % 50 {
            7 => file.push_str(&format!("C{i};n/a;x\n")),
            9 => file.push_str("C0;07700 900000;x\n"),
            _ => file.push_str(&format!("C{i};07700 9{i:05};x\n")),
        }
    }
    let found = check("long.csv", &file);
    assert_eq!((found.rows, found.valid, found.duplicates), (250, 240, 5));
    assert_eq!(found.sent_ids.len(), 240);
    assert_eq!(found.sent_ids[..3], ["C0", "C1", "C2"]);
    assert_eq!(found.addresses.len(), 240);
    assert_eq!(found.sample.len(), 10);
    assert_eq!(text(&found.converted).lines().count(), 241);
    let options = UploadOptions {
        collect_addresses_up_to: 249,
        ..options()
    };
    let capped = check_with("long.csv", file.as_bytes(), &options, &layout(), &[]);
    assert!(capped.addresses.is_empty());
    assert_eq!(capped.converted, found.converted);
    let never = UploadOptions {
        collect_addresses_up_to: 0,
        ..super::options()
    };
    let none = check_with("long.csv", file.as_bytes(), &never, &layout(), &[]);
    assert!(none.addresses.is_empty());
}

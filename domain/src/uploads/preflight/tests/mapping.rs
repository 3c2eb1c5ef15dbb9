//! Mapping: names and aliases, never two columns to one attribute automatically, the user's and
//! templates' choices, and the problems that block sending.

use super::*;

#[test]
fn auto_map_matches_names_whatever_their_spelling_and_common_aliases() {
    let catalogue = catalogue();
    let map = |header: &str| auto_map(header, &catalogue);
    for (header, attribute) in [
        ("phone number 1", "phoneNumber1"),
        ("PHONE_NUMBER_1", "phoneNumber1"),
        ("Phone-Number1", "phoneNumber1"),
        ("user contact id", "userContactId"),
        ("expiry date", "EXPIRY_DATE"),
        ("Mobile", "phoneNumber1"),
        ("Mobile number", "phoneNumber1"),
        ("Cell", "phoneNumber1"),
        ("Telephone", "phoneNumber1"),
        ("Tel.", "phoneNumber1"),
        ("Phone 1", "phoneNumber1"),
        ("Phone 2", "phoneNumber2"),
        ("Alt phone", "phoneNumber2"),
        ("Home phone", "phoneNumber2"),
        ("Landline", "phoneNumber2"),
        ("E-mail", "email"),
        ("Email address", "email"),
        ("Mail", "email"),
        ("Customer id", "userContactId"),
        ("Contact ID", "userContactId"),
        ("Client id", "userContactId"),
        ("Cust ID", "userContactId"),
        ("ID", "userContactId"),
        ("First name", "firstName"),
        ("Forename", "firstName"),
        ("Given name", "firstName"),
        ("Last name", "lastName"),
        ("Surname", "lastName"),
        ("Family name", "lastName"),
        ("Post code", "zipcode"),
        ("Postcode", "zipcode"),
        ("ZIP", "zipcode"),
        ("Zip code", "zipcode"),
        ("Address", "addressLine1"),
        ("Address 1", "addressLine1"),
        ("Street", "addressLine1"),
        ("Town", "addressLine3"),
        ("City", "addressLine3"),
        ("Title", "title"),
    ] {
        assert_eq!(map(header).as_deref(), Some(attribute), "{header}");
    }
    // Only attributes the catalogue has: there is no addressLine2 here.
    assert_eq!(map("Address 2"), None);
    assert_eq!(map("Notes"), None);
    assert_eq!(map(""), None);
    assert_eq!(map(" - "), None);
    let small: Vec<Attribute> = catalogue
        .into_iter()
        .filter(|a| a.name != "phoneNumber2")
        .collect();
    assert_eq!(auto_map("Landline", &small), None);
}

#[test]
fn automatic_mapping_never_maps_two_columns_to_one_attribute() {
    let found = check(
        "f.csv",
        "Mobile,Phone,ID,Customer ID,Phone 2\n07700900123,07700900124,C1,X1,07700900125\n",
    );
    assert_eq!(
        found.mapping,
        [
            Some("phoneNumber1"),
            None,
            Some("userContactId"),
            None,
            Some("phoneNumber2")
        ]
        .map(|m| m.map(str::to_string))
    );
    assert_eq!(found.auto_mapped, [true, false, true, false, true]);
    assert_eq!(found.unmapped, ["Phone", "Customer ID"]);
    assert!(found.blocking.is_empty());
    assert_eq!(
        text(&found.converted),
        "phoneNumber1,userContactId,phoneNumber2\n+447700900123,C1,+447700900125\n"
    );
}

#[test]
fn the_users_choices_override_automatic_mapping() {
    let mut options = options();
    // `Phone` is chosen for phoneNumber1, so `Mobile` (earlier) is not auto-mapped to it; the
    // attribute name is matched whatever its case; `Notes` is left out on purpose.
    options.mapping = mapped(&[
        ("Phone", Some("PHONENUMBER1")),
        ("Notes", None),
        ("Not in this file", Some("firstName")),
    ]);
    let found = check_with(
        "f.csv",
        b"ID,Mobile,Phone,Notes,Surname\nC1,07700900123,07700900124,hi,Smith\n",
        &options,
        &layout(),
        &[],
    );
    assert_eq!(
        found.mapping,
        [
            Some("userContactId"),
            None,
            Some("phoneNumber1"),
            None,
            Some("lastName")
        ]
        .map(|m| m.map(str::to_string))
    );
    assert_eq!(found.auto_mapped, [true, false, false, false, true]);
    assert_eq!(found.unmapped, ["Mobile", "Notes"]);
    assert_eq!(
        text(&found.converted),
        "userContactId,phoneNumber1,lastName\nC1,+447700900124,Smith\n"
    );
}

#[test]
fn repeated_header_texts_get_their_column_number() {
    let mut options = options();
    options.mapping = mapped(&[("Mobile (column 3)", Some("phoneNumber2"))]);
    let found = check_with(
        "f.csv",
        b"id,Mobile,Mobile\nC1,07700900123,07700900124\n",
        &options,
        &layout(),
        &[],
    );
    assert_eq!(found.columns, ["id", "Mobile", "Mobile (column 3)"]);
    assert_eq!(
        text(&found.converted),
        "userContactId,phoneNumber1,phoneNumber2\nC1,+447700900123,+447700900124\n"
    );
}

#[test]
fn problems_with_the_mapping_block_sending_but_rows_are_still_counted() {
    let no_id = check("f.csv", "Name,Mobile\nAnn,07700900123\nBob,12\n");
    assert_eq!(
        no_id.blocking,
        [
            "No column is mapped to userContactId, which every contact needs: choose the column \
          that holds each contact's id."
        ]
    );
    assert_eq!((no_id.rows, no_id.valid, no_id.rejected), (2, 1, 1));
    assert!(no_id.converted.is_empty() && no_id.sent_ids.is_empty() && no_id.addresses.is_empty());
    let no_address = check("f.csv", "id,Name\nC1,Ann\n");
    assert_eq!(
        no_address.blocking,
        [
            "No column is mapped to a phone number or e-mail attribute (phoneNumber1, \
          phoneNumber2, email): POM needs one to reach a contact."
        ]
    );
    assert_eq!(no_address.valid, 1);
    let mut options = options();
    options.mapping = mapped(&[
        ("Mobile", Some("phoneNumber1")),
        ("Cell", Some("phoneNumber1")),
        ("Other", Some("phoneNumber1")),
        ("Region", Some("REGION")),
    ]);
    let found = check_with(
        "f.csv",
        b"id,Mobile,Cell,Region,Other\nC1,07700900123,07700900124,North,07700900125\n",
        &options,
        &layout(),
        &[],
    );
    assert_eq!(
        found.blocking,
        [
            "Column 'Region' is mapped to REGION, which POM's catalogue does not have.",
            "Columns 'Mobile', 'Cell' and 'Other' are all mapped to phoneNumber1: choose one.",
        ]
    );
    assert_eq!(found.output_columns, ["userContactId", "phoneNumber1"]);
    assert!(found.converted.is_empty());
    assert_eq!((found.rows, found.valid), (1, 1));
    options.mapping = mapped(&[
        ("Cell", Some("phoneNumber1")),
        ("Mobile", Some("phoneNumber1")),
    ]);
    let two = check_with(
        "f.csv",
        b"id,Mobile,Cell\nC1,07700900123,07700900124\n",
        &options,
        &layout(),
        &[],
    );
    assert_eq!(
        two.blocking,
        ["Columns 'Mobile' and 'Cell' are both mapped to phoneNumber1: choose one."]
    );
    // The data source's layout needs userContactId, which nothing gives: one problem, not two.
    let layout = OutputLayout {
        columns: vec!["userContactId".into(), "phoneNumber1".into()],
        ..layout()
    };
    let unmapped_id = check_with(
        "f.csv",
        b"Mobile\n07700900123\n",
        &super::options(),
        &layout,
        &[],
    );
    assert_eq!(unmapped_id.blocking.len(), 1);
    assert!(unmapped_id.blocking[0].starts_with("No column is mapped to userContactId"));
}

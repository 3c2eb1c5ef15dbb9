//! The schedule form checked field by field, pure but for the phone rules: POM's wall times
//! (`yyyy/MM/dd HH:mm`, this operation's format) with the instants they mean, the window within
//! bounds, the phone attribute one POM has, a number given read by OCM's phone rules.

use time::{Duration, OffsetDateTime};

use crate::campaigns::parse_start;
use crate::error::AppError;
use crate::model::CallbackScheduleForm;

/// When the form gives no end: POM stops offering the callback this long after it is due.
pub const DEFAULT_WINDOW: Duration = Duration::hours(2);

/// How far ahead a callback may be due, and how long it may wait to be dialled.
const FURTHEST_DUE: Duration = Duration::days(366);
const LONGEST_WINDOW: Duration = Duration::days(31);

const MAX_NAME: usize = 200;
const MAX_NOTES: usize = 1_000;

/// The phone attributes a callback may name.
const PHONE_ATTRIBUTES: [&str; 2] = ["phoneNumber1", "phoneNumber2"];

/// The form checked: POM's wall times (`yyyy/MM/dd HH:mm`) with the instants they mean.
#[derive(Debug)]
pub struct Checked {
    pub due: (String, OffsetDateTime),
    pub expires: (String, OffsetDateTime),
    pub address: Option<String>,
}

fn required<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::validation(field, "Required."));
    }
    if value.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("At most {max} characters."),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::validation(field, "No control characters."));
    }
    Ok(value)
}

/// POM's seconds-free format for this operation, from `parse_start`'s `yyyy/MM/dd HH:mm:ss`.
fn minutes(field: &str, value: &str, zone: &str) -> Result<(String, OffsetDateTime), AppError> {
    let (text, at) = parse_start(value, zone).map_err(|e| match e {
        AppError::Validation { field: f, message } if f == "start" => {
            AppError::validation(field, message)
        }
        other => other,
    })?;
    Ok((text[..16].to_string(), at))
}

/// Checks the form against `now` (pure but for the phone rules, for tests).
pub fn check(
    form: &CallbackScheduleForm,
    rules: &crate::phone::PhoneRules,
    now: OffsetDateTime,
) -> Result<Checked, AppError> {
    required("campaign", &form.campaign, MAX_NAME)?;
    required("list", &form.list, MAX_NAME)?;
    required("contact_id", &form.contact_id, MAX_NAME)?;
    let stray = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if form.notes.chars().any(stray) {
        return Err(AppError::validation("notes", "No control characters."));
    }
    if form.notes.chars().count() > MAX_NOTES {
        return Err(AppError::validation(
            "notes",
            format!("At most {MAX_NOTES} characters."),
        ));
    }
    let zone = form.time_zone.trim();
    let due = minutes("due", &form.due, zone)?;
    if due.1 < now - Duration::minutes(1) {
        return Err(AppError::validation(
            "due",
            format!("{} in {zone} has already passed.", due.0.replace('/', "-")),
        ));
    }
    if due.1 > now + FURTHEST_DUE {
        return Err(AppError::validation("due", "At most a year ahead."));
    }
    let expires = match form
        .expires
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        Some(expires) => minutes("expires", expires, zone)?,
        None => {
            let at = due.1 + DEFAULT_WINDOW;
            let wall = crate::dates::pom_wall_time(zone, at)
                .ok_or_else(|| AppError::validation("time_zone", "Not a time zone OCM knows."))?;
            (wall[..16].to_string(), at)
        }
    };
    if expires.1 <= due.1 {
        return Err(AppError::validation(
            "expires",
            "The end must be after the due time.",
        ));
    }
    if expires.1 > due.1 + LONGEST_WINDOW {
        return Err(AppError::validation(
            "expires",
            "At most 31 days after the due time.",
        ));
    }
    if let Some(attribute) = form.phone_attribute.as_deref().filter(|a| !a.is_empty()) {
        if !PHONE_ATTRIBUTES.contains(&attribute) {
            return Err(AppError::validation(
                "phone_attribute",
                "phoneNumber1 or phoneNumber2.",
            ));
        }
    }
    let address = match form
        .address
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(raw) => {
            let mut written = String::new();
            rules
                .write_into(raw, &mut written)
                .map_err(|problem| AppError::validation("address", problem.to_string()))?;
            Some(written)
        }
    };
    Ok(Checked {
        due,
        expires,
        address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::{PhoneRules, Region};

    fn form(due: &str, expires: Option<&str>) -> CallbackScheduleForm {
        CallbackScheduleForm {
            campaign: "Renewals".into(),
            list: "Renewals Dec".into(),
            contact_id: "C-1".into(),
            due: due.into(),
            expires: expires.map(String::from),
            time_zone: "Europe/London".into(),
            ..CallbackScheduleForm::default()
        }
    }

    fn rules() -> PhoneRules {
        PhoneRules::new(Region::parse("GB").unwrap())
    }

    fn at(text: &str) -> OffsetDateTime {
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
    }

    #[test]
    fn times_become_pom_minutes_in_the_zone_with_a_default_window() {
        let now = at("2027-07-01T08:00:00Z");
        let checked = check(&form("2027-07-01T10:30", None), &rules(), now).unwrap();
        assert_eq!(checked.due.0, "2027/07/01 10:30");
        assert_eq!(
            checked.due.1,
            at("2027-07-01T09:30:00Z"),
            "London is UTC+1 in July"
        );
        assert_eq!(checked.expires.0, "2027/07/01 12:30");
    }

    #[test]
    fn each_bad_field_is_named() {
        let now = at("2027-07-01T08:00:00Z");
        let field = |f: CallbackScheduleForm| match check(&f, &rules(), now) {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(form("2027-07-01T07:00", None)), "due", "in the past");
        assert_eq!(field(form("tomorrow", None)), "due");
        assert_eq!(
            field(form("9999-12-31T23:00", None)),
            "due",
            "too far ahead"
        );
        assert_eq!(
            field(form("2027-07-01T10:30", Some("2027-08-15T10:30"))),
            "expires"
        );
        assert_eq!(
            field(form("2027-07-01T10:30", Some("2027-07-01T10:00"))),
            "expires"
        );
        let mut nul = form("2027-07-01T10:30", None);
        nul.list = "Renewals\u{0}".into();
        assert_eq!(field(nul), "list");
        let mut no_contact = form("2027-07-01T10:30", None);
        no_contact.contact_id = " ".into();
        assert_eq!(field(no_contact), "contact_id");
        let mut zone = form("2027-07-01T10:30", None);
        zone.time_zone = "Mars/Olympus".into();
        assert_eq!(field(zone), "time_zone");
        let mut phone = form("2027-07-01T10:30", None);
        phone.address = Some("call me".into());
        assert_eq!(field(phone), "address");
        let mut attribute = form("2027-07-01T10:30", None);
        attribute.phone_attribute = Some("email".into());
        assert_eq!(field(attribute), "phone_attribute");
        // Hostile lengths are refused by count, before anything is sent or stored.
        let mut notes = form("2027-07-01T10:30", None);
        notes.notes = "n".repeat(1_001);
        assert_eq!(field(notes), "notes");
        let mut contact = form("2027-07-01T10:30", None);
        contact.contact_id = "c".repeat(100_000);
        assert_eq!(field(contact), "contact_id");
    }
}

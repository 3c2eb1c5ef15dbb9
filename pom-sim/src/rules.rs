//! How the simulated POM behaves: organization scoping, job states, DNC rules, deletes of contacts
//! being dialled, asynchronous list emptying, scheduling — with POM's own return codes and message
//! texts (seed 004 digest §2.3 and §5).

/// Job states (only ACTIVE and COMPLETED are confirmed names; docs/pom.md).
pub const JOB_STATES: [&str; 6] = [
    "JOB_QUEUED",
    "JOB_ACTIVE",
    "JOB_PAUSED",
    "JOB_STOPPING",
    "JOB_STOPPED",
    "JOB_COMPLETED",
];
/// Sim milliseconds a queued job waits before it becomes active.
pub const QUEUE_DELAY_MS: i64 = 1_500;
/// Sim milliseconds a stopping job takes to stop.
pub const STOP_DELAY_MS: i64 = 1_500;
/// Contacts deleted per sim second while a list is being emptied.
pub const EMPTY_RATE_PER_SEC: i64 = 5_000;

/// A POM refusal: the SOAP return code and message text (REST maps it to a status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: i32,
    pub message: String,
}

/// The fault with POM's documented text for `code`; `suffix` is appended where POM appends a value.
pub fn fault(code: i32, suffix: &str) -> Fault {
    let text = match code {
        -1 => "Job record not found.",
        -2 => "Contact record not found.",
        -5 => "Attribute record not found. AttributeName is case-sensitive.",
        -9 => "Address already there in DNC list.",
        -12 => "Data Source record not found.",
        -14 => "Contact list not found.",
        -17 => "Cannot remove address — not in the DNC list.",
        -18 => "Address cannot be null.",
        -19 => "Invalid address for DNC ",
        -21 => "Access denied.",
        -26 => "Campaign record not found.",
        -27 => "No running job found for campaign",
        -28 => "Access Denied - Not a valid contact list for your organization.",
        -29 => "Access Denied - Not a valid attribute for your organization.",
        -30 => "Access Denied - Not a valid campaign for your organization.",
        -32 => "No custom completion codes defined for this campaign.",
        -33 => "Cannot delete contact. It is being used.",
        -35 => "Cannot add contact list to job. It already exists.",
        -39 => "Failed to schedule the callback.",
        -40 => "DNC list not found.",
        -45 => "Failed to update attribute value.",
        -51 => "Infinite campaign job already running.",
        -53 => "Invalid input for job state.",
        -55 => "Job state is not active.",
        -56 => "Job state is not paused.",
        -57 => "Job state is not in paused or active state.",
        -59 => "Failed to add schedule.",
        -60 => "Access Denied - Not a valid data import for your organization.",
        -61 => "Failed to empty contact list",
        -68 => "Infinite campaign without associated contact list.",
        _ => "Request failed.",
    };
    Fault {
        code,
        message: format!("{text}{suffix}"),
    }
}

/// Who is calling: a global user (no organization) or an organization user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user: String,
    pub organization: Option<String>,
}

impl Caller {
    /// Whether the caller may see records of `organization`.
    pub fn sees(&self, organization: &str) -> bool {
        self.organization
            .as_deref()
            .is_none_or(|own| own == organization)
    }
}

/// Parses `yyyy/MM/dd HH:mm:ss` (POM's schedule format) into Unix milliseconds, reading the wall
/// time as UTC (the simulator treats time-zone names as opaque labels).
pub fn parse_schedule_time(value: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
    let parsed = time::PrimitiveDateTime::parse(value.trim(), format).ok()?;
    Some((parsed.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64)
}

/// A schedule's start: POM's `yyyy/MM/dd HH:mm:ss` as wall time in `zone` (a name the simulator
/// knows, see `zones.rs`, or `UTC±hh:mm`); `-59` for either being wrong.
pub fn zoned_schedule_time(start: &str, zone: &str) -> Result<i64, Fault> {
    let wall = parse_schedule_time(start).ok_or_else(|| fault(-59, ""))?;
    let offset = pom::zones::offset_minutes(zone)
        .ok_or_else(|| fault(-59, &format!(" Unknown time zone {zone}.")))?;
    Ok(wall - i64::from(offset) * 60_000)
}

/// A REST start time: POM's `yyyy/MM/dd HH:mm:ss`, or ISO 8601 as .NET clients write it
/// (`2030-01-02T03:04:05`, with or without offset); returned in POM's format. The REST format of
/// real POM is unknown, so the simulator accepts both (docs/pom.md).
pub fn rest_schedule_time(value: &str) -> Option<String> {
    if parse_schedule_time(value).is_some() {
        return Some(value.trim().to_string());
    }
    let pom = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
    let iso = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let parsed =
        time::OffsetDateTime::parse(value.trim(), &time::format_description::well_known::Rfc3339)
            .map(|t| time::PrimitiveDateTime::new(t.date(), t.time()))
            .or_else(|_| {
                time::PrimitiveDateTime::parse(value.trim().get(..19).unwrap_or(value), iso)
            })
            .ok()?;
    parsed.format(pom).ok()
}

/// A phone number (optional `+`, 6–15 digits), an e-mail address or a SIP address.
pub fn valid_dnc_address(address: &str) -> bool {
    let phone = address.strip_prefix('+').unwrap_or(address);
    let is_phone = (6..=15).contains(&phone.len()) && phone.bytes().all(|b| b.is_ascii_digit());
    let is_email = address.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.ends_with('.')
    });
    is_phone || is_email || address.starts_with("sip:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_times_use_pom_format() {
        assert_eq!(parse_schedule_time("1970/01/01 00:00:01"), Some(1000));
        assert_eq!(parse_schedule_time("1970-01-01 00:00:01"), None);
    }

    #[test]
    fn dnc_addresses_are_phones_emails_or_sip() {
        for good in [
            "+441632960001",
            "07700900123",
            "jo@example.com",
            "sip:jo@example.com",
        ] {
            assert!(valid_dnc_address(good), "{good}");
        }
        for bad in ["", "12", "phone", "jo@", "+44 1632"] {
            assert!(!valid_dnc_address(bad), "{bad}");
        }
    }

    #[test]
    fn org_users_see_only_their_organization() {
        let org_user = Caller {
            user: "u".into(),
            organization: Some("Sales".into()),
        };
        assert!(org_user.sees("Sales") && !org_user.sees("Collections"));
        assert!(Caller {
            user: "g".into(),
            organization: None
        }
        .sees("Collections"));
    }
}

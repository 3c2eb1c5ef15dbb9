//! `ScheduleCallBack` (Agent API, seed 004 L2866): a callback arranged through the web service
//! for a contact of a campaign's list, on the campaign's first running job. It joins the
//! callbacks agents arrange (offered when due, expiring at its end time) and reaches the feed as
//! a `callback` record without a session (no call arranged it) and its `created` event. Faults as
//! the guide lists them: -2, -19, -26, -28, -30, -39.

use super::super::feed::{iso, Callback, FeedRecord};
use super::super::world::World;
use super::callbacks::{Detail, OpenCallback};
use crate::list_rules::ListRef;
use crate::rules::{fault, valid_dnc_address, Caller, Fault};

/// Job states in which a job takes callbacks ("running": active or paused).
const RUNNING: [&str; 2] = ["JOB_ACTIVE", "JOB_PAUSED"];

/// The phone attributes a callback may name.
const PHONE_ATTRIBUTES: [&str; 2] = ["phoneNumber1", "phoneNumber2"];

/// A `ScheduleCallBack` request, its times already read as instants.
pub struct CallbackRequest<'a> {
    pub campaign: &'a str,
    pub list: &'a str,
    pub contact: &'a str,
    pub due_ms: i64,
    pub expires_ms: i64,
    pub time_zone: Option<&'a str>,
    pub phone_attribute: Option<&'a str>,
    pub address: Option<&'a str>,
    pub notes: &'a str,
}

/// A callback time: `yyyy/MM/dd HH:mm` (the guide's format for `ScheduleCallBack`) as wall
/// time in `zone` (a name the simulator knows, or `UTC±hh:mm`), in Unix milliseconds.
pub fn callback_time(value: &str, zone: &str) -> Result<i64, Fault> {
    let format = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]");
    let wall = time::PrimitiveDateTime::parse(value.trim(), format)
        .map_err(|_| failed(&format!("{value} is not yyyy/MM/dd HH:mm.")))?;
    let offset = pom::zones::offset_minutes(zone)
        .ok_or_else(|| failed(&format!("Unknown time zone {zone}.")))?;
    let utc_ms = (wall.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    Ok(utc_ms - i64::from(offset) * 60_000)
}

/// -19 in `ScheduleCallBack`'s words (the DNC methods word it differently).
fn invalid_address(address: &str) -> Fault {
    Fault {
        code: -19,
        message: format!("Invalid address for customer. + {address}"),
    }
}

/// "Failed to schedule the callback." with the simulator's reason.
fn failed(reason: &str) -> Fault {
    fault(-39, &format!(" {reason}"))
}

impl World {
    /// Schedules the callback; its id is `WS-<n>`.
    pub fn schedule_callback(
        &mut self,
        caller: &Caller,
        request: &CallbackRequest<'_>,
        now: i64,
    ) -> Result<String, Fault> {
        let campaign_id = self.campaign_for(caller, request.campaign)?;
        let campaign = self.campaigns[&campaign_id].clone();
        // The guide lists -28 for a list the caller may not use; an unknown one is the same to
        // the caller (it is not a list of its organization).
        let list = self
            .list_for(caller, ListRef::Name(request.list))
            .map_err(|f| if f.code == -14 { fault(-28, "") } else { f })?;
        if list.organization != campaign.organization {
            return Err(fault(-28, ""));
        }
        let contact = list
            .contacts
            .get(request.contact)
            .ok_or_else(|| fault(-2, ""))?
            .clone();
        let list_name = list.name.clone();
        if !campaign.lists.contains(&list_name) {
            return Err(failed(
                "The contact list is not one of the campaign's lists.",
            ));
        }
        let attribute = request.phone_attribute.unwrap_or(PHONE_ATTRIBUTES[0]);
        if !PHONE_ATTRIBUTES.contains(&attribute) {
            return Err(failed(&format!("{attribute} is not a phone attribute.")));
        }
        let address = match request.address {
            Some(address) if !valid_dnc_address(address) => {
                return Err(invalid_address(address));
            }
            Some(address) => address.to_string(),
            None => match contact.attributes.get(attribute) {
                Some(phone) if !phone.is_empty() => phone.clone(),
                _ => return Err(invalid_address(&format!("({attribute} is empty)"))),
            },
        };
        if request.expires_ms <= request.due_ms {
            return Err(failed("The end time is not after the start time."));
        }
        if request.expires_ms <= now {
            return Err(failed("The end time has passed."));
        }
        let job_id = self
            .jobs
            .values()
            .filter(|j| j.campaign_id == campaign_id && RUNNING.contains(&j.state.as_str()))
            .map(|j| j.id)
            .min()
            .ok_or_else(|| failed("The campaign has no running job."))?;
        let time_zone = request.time_zone.map(str::to_string).or_else(|| {
            contact
                .attributes
                .get(&format!("{attribute}TimeZone"))
                .cloned()
        });
        self.dialer.scheduled_callbacks += 1;
        let id = format!("WS-{}", self.dialer.scheduled_callbacks);
        self.dialer.callbacks.insert(
            id.clone(),
            OpenCallback {
                campaign_id,
                organization: campaign.organization.clone(),
                campaign: campaign.name.clone(),
                list: list_name.clone(),
                contact: request.contact.to_string(),
                kind: "standard".to_string(),
                owner: None,
                due_ms: request.due_ms,
                expires_ms: request.expires_ms,
                offered: false,
                address: request.address.map(|_| address.clone()),
            },
        );
        let record = FeedRecord::Callback(Box::new(Callback {
            callback_id: id.clone(),
            session_id: None,
            organization: campaign.organization,
            job_id,
            campaign: campaign.name,
            list: list_name,
            user_contact_id: request.contact.to_string(),
            address,
            callback_type: "standard".to_string(),
            agent_id: None,
            created_at: iso(now),
            due_at: iso(request.due_ms),
            expires_at: iso(request.expires_ms),
            time_zone,
            notes: request.notes.to_string(),
        }));
        self.dialer.queue([(now, record)]);
        let detail = Detail {
            job_id: Some(job_id),
            due_ms: Some(request.due_ms),
            ..Detail::default()
        };
        self.callback_event(&id, "created", now, detail);
        Ok(id)
    }
}

//! `ScheduleCallBack` (Agent API, seed 004 L2866–2931): a callback for a contact of a campaign's
//! list, taken by the campaign's first running job.

use super::soap::Service;
use super::{PomClient, PomError, Safety};

/// What `ScheduleCallBack` needs. Times are wall times in `time_zone` written as the guide asks
/// for this operation, `yyyy/MM/dd HH:mm` (other operations take seconds).
#[derive(Debug, Clone)]
pub struct CallbackSchedule<'a> {
    pub campaign: &'a str,
    pub list: &'a str,
    pub user_contact_id: &'a str,
    /// When the callback becomes due.
    pub start: &'a str,
    /// When it is no longer dialled.
    pub end: &'a str,
    pub time_zone: Option<&'a str>,
    /// The phone attribute to call (`phoneNumber1` when left out, by the campaign's strategy).
    pub phone_attribute: Option<&'a str>,
    /// A number to call instead of the contact's.
    pub address: Option<&'a str>,
    /// Required by the WSDL, even empty.
    pub notes: &'a str,
}

impl PomClient {
    /// `ScheduleCallBack`. Faults: -2 contact not found, -19 invalid address, -26/-30 campaign
    /// unknown or another organization's, -28 list not the organization's, -39 POM could not
    /// schedule it (no running job, times, …).
    pub async fn schedule_callback(&self, callback: &CallbackSchedule<'_>) -> Result<(), PomError> {
        self.soap_call(
            Service::AgentApi,
            "ScheduleCallBack",
            Safety::Unsafe,
            &|w| {
                w.leaf("UserContactID", callback.user_contact_id)
                    .leaf("ContactListName", callback.list)
                    .leaf("CampaignName", callback.campaign)
                    .leaf("StartTime", callback.start)
                    .leaf("EndTime", callback.end);
                w.optional("TimeZone", callback.time_zone)
                    .optional("ContactAttributeName", callback.phone_attribute)
                    .optional("Address", callback.address)
                    .leaf("Notes", callback.notes);
            },
        )
        .await?;
        Ok(())
    }
}

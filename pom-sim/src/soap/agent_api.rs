//! `VP_POMAgentAPIService`'s operations: emptying contact lists, the DNC list, deleting contacts,
//! adding a list to a running job, scheduling a callback, attributes and completion codes, each answered from the simulated world.

use super::{boolean, job_id, required, Body};
use crate::dialer::{callback_time, CallbackRequest};
use crate::list_rules::ListRef;
use crate::rules::{Caller, Fault};
use crate::Sim;
use pom::xml::{BodyWriter, Element};

/// Answers one Agent API operation.
pub(super) fn agent_api(
    sim: &Sim,
    caller: &Caller,
    operation: &str,
    request: &Element,
) -> Result<Body, Fault> {
    let org = request.text_of("OrgName").filter(|o| !o.is_empty());
    sim.with_world(|w, now| match operation {
        "EmptyContactList" => {
            let total = w.empty_list(caller, required(request, "ContactListName")?, now)?;
            Ok(Box::new(move |b: &mut BodyWriter| {
                b.leaf("TotalContacts", &total.to_string());
            }) as Body)
        }
        "GetContactListEmptyStatus" => {
            let (status, remaining) =
                w.empty_status(caller, required(request, "ContactListName")?)?;
            Ok(Box::new(move |b: &mut BodyWriter| {
                b.open("ContactListEmptyStatus")
                    .leaf("EmptyStatus", status)
                    .leaf("TotalCount", &remaining.to_string());
                b.close("ContactListEmptyStatus");
            }) as Body)
        }
        "IsDNC" => w
            .dnc_contains(caller, request.text_of("Address").unwrap_or(""), org)
            .map(|found| boolean("Result", found)),
        "AddToDNCList" => w
            .dnc_change(
                caller,
                request.text_of("Address").unwrap_or(""),
                org,
                true,
                now,
            )
            .map(|_| boolean("Result", true)),
        "RemoveFromDNCList" => w
            .dnc_change(
                caller,
                request.text_of("Address").unwrap_or(""),
                org,
                false,
                now,
            )
            .map(|_| boolean("Result", true)),
        "DeleteContactFromList" => {
            let list = required(request, "ContactListName")?;
            w.delete_contact(
                caller,
                ListRef::Name(list),
                required(request, "ContactID")?,
                now,
            )
            .map(|_| boolean("Result", true))
        }
        "AddContactListToJob" => {
            w.add_list_to_job(
                caller,
                required(request, "CampaignName")?,
                required(request, "ContactListName")?,
            )?;
            Ok(Box::new(|b: &mut BodyWriter| {
                b.leaf("Result", "0");
            }) as Body)
        }
        "ScheduleCallBack" => {
            let zone = request.text_of("TimeZone").filter(|z| !z.is_empty());
            let at = |name| callback_time(required(request, name)?, zone.unwrap_or("UTC"));
            let optional = |name| request.text_of(name).filter(|v| !v.is_empty());
            let callback = CallbackRequest {
                campaign: required(request, "CampaignName")?,
                list: required(request, "ContactListName")?,
                contact: required(request, "UserContactID")?,
                due_ms: at("StartTime")?,
                expires_ms: at("EndTime")?,
                time_zone: zone,
                phone_attribute: optional("ContactAttributeName"),
                address: optional("Address"),
                notes: request.text_of("Notes").unwrap_or_default(),
            };
            w.schedule_callback(caller, &callback, now)?;
            Ok(Box::new(|b: &mut BodyWriter| {
                b.leaf("Result", "0");
            }) as Body)
        }
        "UpdateContactAttributeValueToList" => w
            .update_attribute(
                caller,
                required(request, "ContactListName")?,
                required(request, "ContactID")?,
                (
                    required(request, "AttributeName")?,
                    request.text_of("AttributeValue").unwrap_or_default(),
                ),
                now,
            )
            .map(|()| {
                Box::new(|b: &mut BodyWriter| {
                    b.leaf("Result", "0");
                }) as Body
            }),
        "GetAttributesList" => {
            let attributes = w.attributes_for(
                caller,
                request.text_of("ContactListName").filter(|l| !l.is_empty()),
            )?;
            Ok(Box::new(move |b: &mut BodyWriter| {
                for a in attributes {
                    b.open("attributes")
                        .leaf("Name", &a.name)
                        .leaf("Value", "")
                        .leaf("Type", &a.kind);
                    b.leaf("DisplayName", &a.display_name).close("attributes");
                }
            }) as Body)
        }
        "GetAllCompletionCodesForCampaign" => {
            let codes = w.completion_codes(caller, job_id(request)?)?;
            Ok(Box::new(move |b: &mut BodyWriter| {
                for code in codes {
                    b.leaf("CompletionCodes", &code);
                }
            }) as Body)
        }
        other => Err(Fault {
            code: 0,
            message: format!("Unsupported operation {other}"),
        }),
    })
}

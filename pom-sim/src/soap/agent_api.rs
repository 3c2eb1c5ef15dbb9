//! `VP_POMAgentAPIService`'s operations: emptying contact lists, the DNC list, deleting contacts,
//! adding a list to a running job, attributes and completion codes, each answered from the simulated world.

use super::{boolean, job_id, required, Body};
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

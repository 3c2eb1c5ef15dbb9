//! The metric dictionary: every figure a call-data report shows, what it means and how it is
//! computed, in one place. Pages show it in their "How is this computed?" panel, `docs/reports.md`
//! repeats it word for word (a test keeps them equal), and files and the API use the same keys.

use crate::report::Metric;

const fn metric(
    key: &'static str,
    name: &'static str,
    definition: &'static str,
    formula: &'static str,
) -> Metric {
    Metric {
        key,
        name,
        definition,
        formula,
    }
}

/// The Call Attempt report.
pub const CALL_ATTEMPT: &[Metric] = &[
    metric("attempt_at", "Attempted", "When POM started dialling the number, in the report time zone.", "the feed's attempt_at"),
    metric("ringback_at", "Ringing", "When the far end started ringing; empty if it never did.", "the feed's ringback_at"),
    metric("connect_at", "Connected", "When the call reached an agent; empty if no agent took it.", "the feed's connect_at"),
    metric("ended_at", "Ended", "When the call ended.", "the feed's end_at"),
    metric("ring_seconds", "Ring s", "Seconds from the first ring to the answer, or to the end when nobody answered.", "(answered_at, else end_at) − ringback_at, whole seconds"),
    metric("attempt_number", "Attempt", "Which attempt at this contact in the job this was (1 is the first).", "the feed's attempt_number"),
    metric("result", "Result", "The network's disposition: answered by a person or a machine, busy, no answer, failed, fax, or a preview the agent cancelled.", "the feed's result"),
    metric("system_code", "System code", "POM's own completion code for the call.", "the feed's sys_completion_code"),
    metric("agent_code", "Agent code", "The completion code the agent chose; empty when no agent handled the call.", "the feed's agent_completion_code"),
    metric("talk_seconds", "Talk s", "Seconds the agent talked with the person.", "the feed's talk_seconds"),
    metric("wrap_up_seconds", "Wrap s", "Seconds the agent spent in wrap-up after the call.", "the feed's wrap_up_seconds"),
    metric("nuisance", "Nuisance", "A person answered and no agent took the call.", "the feed's nuisance"),
];

/// The Outbound Nuisance report.
pub const NUISANCE: &[Metric] = &[
    metric("report_day", "Day", "The calendar day of the attempt's start in the report time zone.", "attempt_at in OCM_REPORT_TIME_ZONE, its date"),
    metric("live_answers", "Human answers", "Attempts answered by a person (the dialer detected a human), whether or not an agent took them.", "count of attempts with result answer_human and an answer time"),
    metric("nuisance_agent_aux", "Agent went AUX", "Human answers dropped because the agent the call was passed to went into AUX as it connected: seed 001's nuisance call.", "count of live answers with nuisance_reason agent_aux"),
    metric("nuisance_no_agent", "No agent free", "Human answers dropped because no agent was free.", "count of live answers with nuisance_reason no_agent"),
    metric("nuisance", "Nuisance calls", "Human answers no agent took, for either reason.", "nuisance_agent_aux + nuisance_no_agent"),
    metric("nuisance_percent", "Nuisance %", "The share of human answers that were nuisance calls; 3 % is the limit both regulators use (days over it are marked).", "100 × nuisance / live_answers (empty when there were no human answers)"),
];

/// The compliance view.
pub const COMPLIANCE: &[Metric] = &[
    metric("answered", "Human answers", "Attempts a person answered, whether or not an agent took them.", "count of attempts with result answer_human and an answer time"),
    metric("live", "Live (agent)", "Human answers an agent took: Live in the formulas.", "answered − abandoned"),
    metric("abandoned", "Abandoned (D)", "Human answers dropped with no agent (both nuisance reasons).", "count of human answers with a nuisance_reason"),
    metric("machine_answers", "Machine answers", "Attempts the dialer classified as an answering machine.", "count of attempts with result answer_machine"),
    metric("amd_false_positives", "AMD false positives (est.)", "The estimated people the dialer took for a machine: the setting's share of machine answers.", "AMfp = machine_answers × OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT / 100"),
    metric("adjusted_abandoned", "Adjusted abandoned (D′)", "Abandoned calls adjusted by the AMD estimate, as Ofcom's rate is worked out by VICIdial and MaxContact.", "D′ = D − D × AMfp / (AMfp + Live) (D when AMfp + Live is 0)"),
    metric("uk_rate", "UK rate %", "Ofcom's abandoned-call rate per campaign per calendar day (midnight to midnight in the report time zone).", "100 × D′ / (D′ + Live) (empty when D′ + Live is 0)"),
    metric("plain_rate", "Abandoned / answered %", "Abandoned calls over all human answers, without the AMD estimate: the FCC's measure, here per day.", "100 × abandoned / answered"),
    metric("within_two_seconds", "Connected < 2 s %", "The share of answers an agent took that reached the agent less than 2 seconds after the person answered (both regulators' 2-second rule).", "100 × live answers with connect_at − answered_at < 2 s / live"),
    metric("breach", "Over 3 %", "The day's UK rate is over the 3 % limit.", "uk_rate > 3"),
    metric("us_period", "US 30-day rate %", "The FCC's rate per campaign over each successive 30-day period from the campaign's first day with a human answer, or the days so far when shorter.", "100 × Σ abandoned / Σ answered over the period's days"),
    metric("rolling_day", "Rolling 24 h rate %", "The rate over the last 24 whole hours up to the end of the chosen range (or now).", "100 × Σ abandoned / Σ answered over the 24 hours"),
];

/// The Predictive and Preview Agent Time Summaries.
pub const AGENT_TIME: &[Metric] = &[
    metric("team", "Team", "The agent's team on that day from the agent → team mappings (Administration → Mappings); \"(no team)\" without one. A team total row adds up its agents' days.", "agent_team where valid_from ≤ day < valid_to"),
    metric("first_login", "First login", "The agent's first login of the day.", "least login_at of the day's sessions (login events while a session is open)"),
    metric("last_logout", "Last logout", "The agent's last logout of sessions that began that day.", "greatest logout of the day's sessions"),
    metric("staffed_seconds", "Staffed s", "Seconds logged in: the day's sessions (by login day) once they end, or, while an agent is still logged in or a session crosses midnight, the time the agent's states that day add up to, whichever is more.", "greatest(Σ session seconds at logout, Σ seconds of every interval of the day)"),
    metric("ready_seconds", "Ready s", "Seconds ready and waiting for a call, on campaigns of the type or not attached to any job.", "Σ seconds of ready intervals"),
    metric("preview_seconds", "Preview s", "Seconds spent reading a preview before dialling or cancelling it (preview campaigns).", "Σ seconds of preview intervals"),
    metric("talk_seconds", "Talk s", "Seconds on calls.", "Σ seconds of talking intervals"),
    metric("wrap_up_seconds", "Wrap s", "Seconds in wrap-up after calls.", "Σ seconds of wrap_up intervals"),
    metric("not_ready_seconds", "Not ready s", "Seconds in AUX (not ready), whatever the reason.", "Σ seconds of not_ready intervals"),
    metric("pending_not_ready_seconds", "Pending not ready s", "Seconds of wrap-up after the agent asked for a break.", "Σ seconds of pending_not_ready intervals"),
    metric("not_ready_reasons", "Not ready by reason", "Not-ready time split by the AUX reason the agent chose, longest first.", "Σ seconds of not_ready intervals per aux_reason"),
    metric("calls", "Calls", "Calls of campaigns of the type the agent took (connected to the agent).", "count of attempts with the agent and a connect time"),
    metric("average_talk_seconds", "Avg talk s", "Talk seconds per call.", "talk_seconds / calls"),
    metric("average_wrap_up_seconds", "Avg wrap s", "Wrap-up seconds per call.", "wrap_up_seconds / calls"),
    metric("average_handle_seconds", "Avg handle s", "Talk and wrap-up seconds per call.", "(talk_seconds + wrap_up_seconds) / calls"),
    metric("occupancy", "Occupancy %", "The share of the time the agent was available that went on calls and wrap-up.", "100 × (talk_seconds + wrap_up_seconds) / (staffed_seconds − not_ready_seconds)"),
    metric("sales", "Sales", "Sales the agent submitted on campaigns of the type.", "count of sale records of the agent"),
    metric("nuisance_caused", "Nuisances caused", "Calls a person answered that were dropped because this agent went AUX as they connected.", "count of attempts of the agent with nuisance_reason agent_aux"),
    metric("previews_cancelled", "Previews cancelled", "Previews the agent cancelled instead of dialling (preview campaigns).", "count of attempts of the agent with result preview_cancelled"),
];

/// The Predictive Job Performance Summary and the Preview Job Summary.
pub const JOB_SUMMARY: &[Metric] = &[
    metric("teams", "Teams", "The teams the campaign → teams mapping gives for the job's campaign; \"(no team)\" without one.", "campaign_team of the campaign"),
    metric("started_at", "Started", "When the job started (its first started event).", "least started job_event"),
    metric("finished_at", "Finished", "When the job ended; empty while it runs.", "greatest stopped or completed job_event"),
    metric("duration_seconds", "Duration s", "How long the job ran.", "finished_at − started_at"),
    metric("finish_reason", "Finish reason", "Why the job ended, as POM said.", "the finishing job_event's finish_reason"),
    metric("list_contacts", "List size", "Contacts in the job's lists when it started.", "Σ list_sizes of the started event"),
    metric("dialled", "Records dialled", "Contacts dialled at least once in the job.", "count of attempts with attempt_number 1"),
    metric("penetration", "Penetration %", "The share of the list dialled.", "100 × dialled / list_contacts"),
    metric("not_attempted", "Not attempted", "Contacts the job passed over (DNC, outside the calling window, not callable, …).", "count of contact_skip records of the job"),
    metric("attempts", "Attempts", "Calls the job placed.", "count of attempts of the job"),
    metric("retries", "Retries", "Attempts after a contact's first.", "attempts − dialled"),
    metric("answer_human", "Human", "Attempts answered by a person.", "count of attempts with result answer_human"),
    metric("answer_machine", "Machine", "Attempts answered by a machine.", "count of attempts with result answer_machine"),
    metric("busy", "Busy", "Attempts that found the line busy.", "count of attempts with result busy"),
    metric("no_answer", "No answer", "Attempts nobody answered.", "count of attempts with result no_answer"),
    metric("failed", "Failed", "Attempts the network failed (the preview report's dial failures).", "count of attempts with result failed"),
    metric("fax", "Fax", "Attempts answered by a fax machine.", "count of attempts with result fax"),
    metric("connects", "Connects", "Attempts that reached an agent.", "count of attempts with a connect time"),
    metric("nuisance", "Nuisance", "Live answers no agent took.", "count of attempts with nuisance true"),
    metric("nuisance_percent", "Nuisance %", "The share of live answers that were nuisance calls.", "100 × nuisance / answer_human"),
    metric("sales", "Sales", "Sales submitted on the job's calls.", "count of sale records of the job"),
    metric("conversion", "Conversion %", "Sales per connect.", "100 × sales / connects"),
    metric("callbacks", "Callbacks dialled", "Attempts that dialled a callback.", "count of attempts with a callback_id"),
    metric("nsp", "NSP", "Attempts closed with an NSP code.", "count of attempts whose completion_code is in OCM_REPORT_NSP_CODES (default NSP)"),
    metric("ntc", "NTC", "Attempts closed with an NTC code.", "count of attempts whose completion_code is in OCM_REPORT_NTC_CODES (default CM_NTC)"),
    metric("dnc_requests", "DNCREQ", "Attempts closed because the customer asked not to be called.", "count of attempts whose completion_code is in OCM_REPORT_DNC_REQUEST_CODES (default DNCREQ)"),
    metric("average_talk_seconds", "Avg talk s", "Talk seconds per connect.", "Σ talk_seconds / connects"),
    metric("average_wrap_up_seconds", "Avg wrap s", "Wrap-up seconds per connect.", "Σ wrap_up_seconds / connects"),
    metric("agent_hours", "Agent hours", "Hours agents spent attached to the job, in any state.", "Σ seconds of agent intervals with the job / 3600"),
    metric("attempts_per_agent_hour", "Attempts per agent hour", "How many calls the job placed per hour of agent time.", "attempts / agent_hours"),
    metric("previews", "Previews", "Previews agents were shown (preview jobs).", "count of preview intervals of the job"),
    metric("preview_cancelled", "Previews cancelled", "Previews the agent cancelled instead of dialling.", "count of attempts with result preview_cancelled"),
    metric("average_preview_seconds", "Avg preview s", "Seconds an agent spent on a preview.", "Σ seconds of preview intervals / previews"),
];

/// The Secured/Unsecured Performance report.
pub const SALES: &[Metric] = &[
    metric(
        "connects",
        "Connects",
        "Calls of the campaign the agent took that day.",
        "count of attempts of the agent and campaign with a connect time",
    ),
    metric(
        "secured_sales",
        "Secured sales",
        "Sales submitted with the payment taken on the call.",
        "count of sale records with category secured",
    ),
    metric(
        "secured_amount",
        "Secured amount",
        "Their value, in the currency shown.",
        "Σ amount of secured sales",
    ),
    metric(
        "secured_conversion",
        "Secured conversion %",
        "Secured sales per connect.",
        "100 × secured_sales / connects",
    ),
    metric(
        "unsecured_sales",
        "Unsecured sales",
        "Sales submitted to be confirmed later.",
        "count of sale records with category unsecured",
    ),
    metric(
        "unsecured_amount",
        "Unsecured amount",
        "Their value, in the currency shown.",
        "Σ amount of unsecured sales",
    ),
    metric(
        "unsecured_conversion",
        "Unsecured conversion %",
        "Unsecured sales per connect.",
        "100 × unsecured_sales / connects",
    ),
    metric(
        "agent_hours",
        "Agent hours",
        "Hours the agent spent attached to the campaign's jobs that day, in any state.",
        "Σ seconds of the agent's intervals with the campaign / 3600",
    ),
    metric(
        "sales_per_agent_hour",
        "Sales per agent hour",
        "Sales of both categories per agent hour.",
        "(secured_sales + unsecured_sales) / agent_hours",
    ),
];

/// The NSP List and NTC reports.
pub const CODE_LISTS: &[Metric] = &[
    metric("attempt_at", "Time", "When POM started dialling, in the report time zone.", "the feed's attempt_at"),
    metric("code", "Code", "The call's final completion code: one of the list's codes.", "completion_code in OCM_REPORT_NSP_CODES (default NSP) or OCM_REPORT_NTC_CODES (default CM_NTC)"),
    metric("contact", "Contact record at call time", "The contact's attributes as POM dialled them, as a JSON object.", "the feed's contact"),
];

/// The Agent Owned Recalls report.
pub const RECALLS: &[Metric] = &[
    metric("owner", "Owner", "The agent who arranged the callback for themselves.", "the callback's agent_id (callback_type agent_owned)"),
    metric("due_at", "Due", "When the callback was due when it was first dialled (a reschedule before that moves it), else its latest due time.", "the latest due_at of its created and rescheduled events up to the first dial"),
    metric("expires_at", "Expires", "After this POM no longer dials it.", "the callback's expires_at"),
    metric("state", "State", "What became of it last: scheduled, offered, dialled, rescheduled, completed, cancelled or expired.", "its latest callback_event"),
    metric("fulfilled_by", "Fulfilled by", "The agent who completed it: the owner, or another agent it was handed to.", "agent_id of the completed event"),
    metric("handed_over", "Handed over", "The owner was not ready within 5 minutes of the due time, so POM gave it to another agent.", "handed_over of its events"),
    metric("dialled_at", "Dialled", "When it was first dialled.", "least dialled event"),
    metric("lateness_seconds", "Late by s", "How long after its due time it was first dialled (negative: early).", "dialled_at − due_at"),
    metric("on_time", "On time", "Dialled no later than 15 minutes after its due time; the chart gives each owner's share of their dialled callbacks.", "lateness_seconds ≤ 900"),
];

/// The Inbound Abandoned report.
pub const INBOUND_ABANDONED: &[Metric] = &[
    metric("arrived_at", "Arrived", "When the call reached the queue.", "the feed's arrived_at"),
    metric("abandoned_at", "Abandoned", "When the caller hung up.", "the feed's abandoned_at"),
    metric("wait_seconds", "Wait s", "Seconds the caller waited before hanging up.", "the feed's wait_seconds"),
    metric("matched_contact", "Contact", "The contact OCM's call data knows at the caller's number: the organization's latest attempt to it (its list, contact and account).", "latest call_attempt of the organization with address = caller"),
    metric("called_back_at", "Called back", "The organization's first call to that number after the abandon; empty: not yet.", "least attempt_at of its attempts to the number at or after abandoned_at"),
    metric("called_back_result", "Call-back result", "That call's result.", "its result"),
];

/// The List Accounts Not Attempted report.
pub const NOT_ATTEMPTED: &[Metric] = &[
    metric("as_of", "Passed over", "When the job passed the contact over: on its first pass through its lists, or at its end for contacts it never reached.", "the feed's contact_skip at"),
    metric("reason", "Reason", "Why: on a DNC list, outside its calling window, not callable, no phone number, finished earlier, an attempt in progress, the job ended first, added after the job started.", "the feed's contact_skip reason"),
    metric("phone", "Phone", "The contact's first phone number then.", "phoneNumber1 (else phoneNumber2) of the contact's attributes"),
    metric("last_attempt_at", "Last attempt", "The contact's latest attempt (any job) before it was passed over.", "greatest attempt_at of the contact's attempts up to then"),
    metric("last_result", "Last result", "That attempt's result.", "its result"),
];

/// The Account Not in Listing report.
pub const NOT_LISTED: &[Metric] = &[
    metric("recorded_at", "Recorded", "When OCM learnt the row would not be dialled: the end of its upload's import, or when an external step reported it.", "the import's end; the report's time for external rows"),
    metric("stage", "Stage", "Where the row stopped: OCM's pre-flight refused it, POM's import rejected it, it was absent from the list after the import, or an external pre-processing step left it out.", "preflight, pom_import, absent or external"),
    metric("category", "Category", "The kind of reason: the pre-flight's problem, POM's counter (when the import's counters name one category for every missing row), or the external step's own.", "the pre-flight's problem kind; the one POM counter that accounts for every missing row; else not_in_list"),
    metric("row_number", "Row", "The row of the uploaded file (its line or sheet row), when known.", "the pre-flight's row number; blank for rows POM's import left out"),
    metric("contact_id", "Account", "The row's account: its user contact id.", "the userContactId column as read"),
    metric("phone", "Phone", "The row's first phone number as read.", "the first column mapped to a phone attribute; in POM's file, phoneNumber1"),
];

/// Every report's dictionary, by the name `docs/reports.md` gives it.
pub const ALL: &[(&str, &[Metric])] = &[
    ("Call Attempt", CALL_ATTEMPT),
    ("Outbound Nuisance", NUISANCE),
    ("Compliance", COMPLIANCE),
    ("Agent Time Summary", AGENT_TIME),
    ("Job Performance Summary", JOB_SUMMARY),
    ("Secured/Unsecured Performance", SALES),
    ("NSP List and NTC", CODE_LISTS),
    ("Agent Owned Recalls", RECALLS),
    ("Inbound Abandoned", INBOUND_ABANDONED),
    ("List Accounts Not Attempted", NOT_ATTEMPTED),
    ("Account Not in Listing", NOT_LISTED),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/reports.md` holds every entry word for word, so the document cannot drift from the
    /// pages.
    #[test]
    fn the_document_repeats_the_dictionary() {
        let document = include_str!("../../docs/reports.md");
        for (report, metrics) in ALL {
            assert!(document.contains(&format!("## {report}")), "{report}");
            for m in *metrics {
                let line = format!(
                    "| `{}` | {} | {} | {} |",
                    m.key, m.name, m.definition, m.formula
                );
                assert!(document.contains(&line), "docs/reports.md lacks:\n{line}");
            }
        }
    }
}

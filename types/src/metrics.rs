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
    metric("live_answers", "Live answers", "Attempts answered by a person (the dialer detected a human), whether or not an agent took them.", "count of attempts with result answer_human and an answer time"),
    metric("nuisance_agent_aux", "Agent went AUX", "Live answers dropped because the agent the call was passed to went into AUX as it connected: seed 001's nuisance call.", "count of live answers with nuisance_reason agent_aux"),
    metric("nuisance_no_agent", "No agent free", "Live answers dropped because no agent was free.", "count of live answers with nuisance_reason no_agent"),
    metric("nuisance", "Nuisance calls", "Live answers no agent took, for either reason.", "nuisance_agent_aux + nuisance_no_agent"),
    metric("nuisance_percent", "Nuisance %", "The share of live answers that were nuisance calls; 3 % is the limit both regulators use.", "100 × nuisance / live_answers (empty when there were no live answers)"),
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
    metric("within_two_seconds", "Connected ≤ 2 s %", "The share of live answers an agent took within 2 seconds of the answer (both regulators' 2-second rule).", "100 × live answers with connect_at − answered_at < 2 s / live"),
    metric("breach", "Over 3 %", "The day's UK rate is over the 3 % limit.", "uk_rate > 3"),
    metric("us_period", "US 30-day rate %", "The FCC's rate per campaign over each successive 30-day period from the campaign's first day with a human answer, or the days so far when shorter.", "100 × Σ abandoned / Σ answered over the period's days"),
    metric("rolling_day", "Rolling 24 h rate %", "The rate over the last 24 whole hours up to the end of the chosen range (or now).", "100 × Σ abandoned / Σ answered over the 24 hours"),
];

/// Every report's dictionary, by the name `docs/reports.md` gives it.
pub const ALL: &[(&str, &[Metric])] = &[
    ("Call Attempt", CALL_ATTEMPT),
    ("Outbound Nuisance", NUISANCE),
    ("Compliance", COMPLIANCE),
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

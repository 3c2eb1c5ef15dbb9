//! `ocm dnc audit-formats`: lists the registry's DNC numbers written in a form the organization's
//! contacts do not use (`domain::dnc::format_audit`), with the form they should have.

use anyhow::Context;
use clap::Subcommand;
use domain::dnc::format_audit::{self, OrganizationAudit};
use domain::settings::PomEndpoint;

use crate::config::Config;
use crate::startup;

/// DNC commands.
#[derive(Debug, Subcommand)]
pub enum DncCommand {
    /// List DNC entries whose phone number is written in a form none of the organization's
    /// contacts use (e.g. `+5551234567` made of an American `555 123 4567`), with the form today's
    /// rules give it. Contacts are sampled from POM; without POM, OCM_POM_PHONE_FORMAT is the
    /// expected form. Changes nothing.
    AuditFormats,
}

/// Runs the audit and prints it.
pub async fn audit_formats(config: &Config) -> anyhow::Result<()> {
    let pool = startup::connect(config).await?;
    startup::migrate(&pool).await?;
    // Demo mode's POM is the simulator of a running `ocm serve`, if there is one.
    let endpoint = match &config.pom {
        Some(pom) => PomEndpoint {
            base_url: pom.base_url.clone(),
            verify_tls: pom.verify_tls,
            simulated: false,
        },
        None => PomEndpoint {
            base_url: format!("http://{}/VP_POM_Service/v1", config.simulator_listen),
            verify_tls: true,
            simulated: true,
        },
    };
    let client = crate::pom_setup::client(config, Some(&endpoint))?;
    let audits = format_audit::audit(&pool, client.as_ref(), &config.phone)
        .await
        .context("reading the DNC registry")?;
    print!("{}", render(&audits, &config.phone.describe()));
    Ok(())
}

/// The audit as text: per organization, what was expected and every entry that does not match.
pub fn render(audits: &[OrganizationAudit], rules: &str) -> String {
    let mut out = format!("{rules}\n");
    if audits.is_empty() {
        out.push_str("No phone numbers in the DNC registry.\n");
    }
    for audit in audits {
        out.push_str(&format!(
            "\n{}: {} numbers checked against {} ({})\n",
            audit.organization, audit.entries, audit.expected, audit.basis
        ));
        if audit.findings.is_empty() {
            out.push_str("  every entry matches\n");
            continue;
        }
        for finding in &audit.findings {
            out.push_str(&format!(
                "  entry {} {} ({}, {}): {}; {}\n",
                finding.entry_id,
                finding.address,
                finding.state,
                finding.requested_at,
                finding.problem,
                match &finding.suggested {
                    Some(form) => format!("should be {form}"),
                    None => "no form of it matches: check it by hand".into(),
                }
            ));
        }
        out.push_str(&format!(
            "  {} of {} entries to correct\n",
            audit.findings.len(),
            audit.entries
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::dnc::format_audit::Finding;

    #[test]
    fn findings_name_the_entry_and_the_form_it_should_have() {
        let audit = OrganizationAudit {
            organization: "Sales".into(),
            basis: "3 contacts' numbers read from POM".into(),
            expected: "E.164 +1…".into(),
            entries: 2,
            findings: vec![Finding {
                entry_id: 7,
                address: "+5551234567".into(),
                state: "confirmed".into(),
                requested_at: "2026-11-01T10:00:00Z".into(),
                problem: "written E.164 +55…; the contacts' numbers are E.164 +1…".into(),
                suggested: Some("+15551234567".into()),
            }],
        };
        let text = render(&[audit], "rules");
        assert!(
            text.contains("Sales: 2 numbers checked against E.164 +1…"),
            "{text}"
        );
        assert!(
            text.contains("entry 7 +5551234567 (confirmed, 2026-11-01T10:00:00Z): written E.164 +55…; the contacts' numbers are E.164 +1…; should be +15551234567"),
            "{text}"
        );
        assert!(text.contains("1 of 2 entries to correct"), "{text}");
        assert!(render(&[], "rules").contains("No phone numbers"));
    }
}

//! `PomError`: what can go wrong talking to POM, and the plain message a user sees for each.

/// A failed POM call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PomError {
    /// Connection refused, DNS, TLS handshake (including an untrusted certificate).
    #[error("POM could not be reached: {0}")]
    Transport(String),
    /// No answer within the configured timeout.
    #[error("POM did not answer within {0} seconds")]
    Timeout(u64),
    /// POM rejected OCM's user name or password.
    #[error("POM refused OCM's credentials (HTTP 401)")]
    Unauthorized,
    /// A non-success HTTP status, with POM's error body when it sent one.
    #[error("POM answered HTTP {status}: {message}")]
    Status {
        status: u16,
        code: Option<String>,
        message: String,
        display: Option<String>,
    },
    /// A SOAP fault with POM's return code.
    #[error("POM refused {operation} (code {code}): {message}")]
    Fault {
        operation: String,
        code: i32,
        message: String,
    },
    /// An answer that is not what the contract says.
    #[error("POM's answer to {what} could not be read: {excerpt}")]
    Decode { what: String, excerpt: String },
}

/// The message POM sends when a contact cannot be deleted because it is being dialled.
pub const ATTEMPT_IN_PROGRESS: &str = "Cannot delete contact as the attempt is in progress";

/// Plain words for POM's documented SOAP return codes (seed 004, digest §2.3).
pub fn fault_message(code: i32) -> Option<&'static str> {
    Some(match code {
        -1 => "The job was not found in POM.",
        -2 => "The contact was not found in the list.",
        -5 => "POM has no such contact attribute (attribute names are case-sensitive).",
        -9 => "This address is already on the DNC list.",
        -12 => "The data source was not found in POM.",
        -14 => "The contact list was not found in POM.",
        -17 => "This address is not on the DNC list.",
        -18 => "No address was given.",
        -19 => "This is not a valid phone number or e-mail address for the DNC list.",
        -21 => {
            "Only global POM users may change DNC lists; OCM's POM account is an organization user."
        }
        -26 => "The campaign was not found in POM.",
        -27 => "The campaign has no running job to add the list to.",
        -28 => "This contact list belongs to another organization.",
        -29 => "This contact attribute is private to another organization.",
        -30 => "This campaign belongs to another organization.",
        -33 => "The contact is being dialled or is queued for dialling; try again shortly.",
        -35 => "This contact list is already part of the running job.",
        -39 => "POM could not schedule the callback.",
        -40 => "The DNC list was not found in POM.",
        -45 => {
            "POM could not store the attribute's value (check that it suits the attribute's type)."
        }
        -51 => "This infinite campaign already has a running job.",
        -52 => "POM could not start the campaign job.",
        -53 => "POM did not accept the job state filter.",
        -55 => "This job is not active, so it cannot be paused.",
        -56 => "This job is not paused, so it cannot be resumed.",
        -57 => "This job is neither active nor paused, so it cannot be stopped.",
        -59 => "POM could not add the schedule.",
        -60 => "This data import belongs to another organization.",
        -61 => "POM could not empty the contact list; an active job may be using it.",
        -63 => "POM could not read the import job details.",
        -68 => "This infinite campaign has no contact list.",
        _ => return None,
    })
}

impl PomError {
    /// What may be logged: POM's own texts can name the number or contact a call was about
    /// (-19 "Invalid address for customer. + …"), so refusals are logged by their codes only.
    pub fn for_log(&self) -> String {
        match self {
            PomError::Status { status, code, .. } => {
                format!(
                    "POM answered HTTP {status} (code {})",
                    code.as_deref().unwrap_or("-")
                )
            }
            PomError::Fault {
                operation, code, ..
            } => {
                format!("POM refused {operation} (code {code})")
            }
            // The answer's shape is what a reader of the log needs; its digits may be a number.
            PomError::Decode { what, excerpt } => {
                let shape: String = excerpt
                    .chars()
                    .map(|c| if c.is_ascii_digit() { '#' } else { c })
                    .collect();
                format!("POM's answer to {what} could not be read: {shape}")
            }
            other => other.to_string(),
        }
    }

    /// Worth retrying: the call may succeed if made again (safe calls only).
    pub fn is_transient(&self) -> bool {
        match self {
            PomError::Transport(_) | PomError::Timeout(_) => true,
            PomError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// The SOAP return code, if this is a fault.
    pub fn fault_code(&self) -> Option<i32> {
        match self {
            PomError::Fault { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The contact is being dialled (REST message or SOAP -33): retry later, it is not a failure.
    pub fn is_attempt_in_progress(&self) -> bool {
        match self {
            PomError::Fault { code, .. } => *code == -33,
            PomError::Status {
                message, display, ..
            } => {
                message.contains(ATTEMPT_IN_PROGRESS)
                    || display
                        .as_deref()
                        .is_some_and(|d| d.contains(ATTEMPT_IN_PROGRESS))
            }
            _ => false,
        }
    }

    /// What to show a user: plain words, never a stack of protocol details.
    pub fn user_message(&self) -> String {
        match self {
            PomError::Transport(_) => "POM could not be reached. Check that the dialer is up and OCM's POM address.".into(),
            PomError::Timeout(secs) => format!("POM did not answer within {secs} seconds. Try again; if it persists, check the dialer."),
            PomError::Unauthorized => "POM refused OCM's credentials. An admin must check OCM's POM user and password.".into(),
            PomError::Status { display: Some(display), .. } if !display.is_empty() => display.clone(),
            PomError::Status { status: 404, .. } => "POM does not know this item (it may have been deleted).".into(),
            PomError::Status { status: 403, .. } => "POM refused: the item belongs to another organization.".into(),
            PomError::Status { message, .. } if !message.is_empty() => format!("POM refused the request: {message}"),
            PomError::Status { status, .. } => format!("POM failed with HTTP {status}."),
            PomError::Fault { code, message, .. } => fault_message(*code)
                .map(str::to_string)
                .unwrap_or_else(|| format!("POM refused the request: {message} (code {code})")),
            PomError::Decode { .. } => "POM sent an answer OCM could not read. The details are logged.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_refusals_carry_codes_not_pom_texts() {
        let fault = PomError::Fault {
            operation: "ScheduleCallBack".into(),
            code: -19,
            message: "Invalid address for customer. + 07700900123".into(),
        };
        assert_eq!(fault.for_log(), "POM refused ScheduleCallBack (code -19)");
        let status = PomError::Status {
            status: 400,
            code: Some("CONTACT_INVALID".into()),
            message: "contact 07700900123 is invalid".into(),
            display: None,
        };
        assert!(!status.for_log().contains("0770"), "{}", status.for_log());
        let decode = PomError::Decode {
            what: "GetContact".into(),
            excerpt: "<phone>07700900123</phone>".into(),
        };
        assert_eq!(
            decode.for_log(),
            "POM's answer to GetContact could not be read: <phone>###########</phone>"
        );
        assert_eq!(
            PomError::Timeout(10).for_log(),
            "POM did not answer within 10 seconds"
        );
    }

    fn fault(code: i32) -> PomError {
        PomError::Fault {
            operation: "PauseActiveJob".into(),
            code,
            message: "Job state is not active.".into(),
        }
    }

    #[test]
    fn documented_codes_become_plain_messages() {
        assert_eq!(
            fault(-55).user_message(),
            "This job is not active, so it cannot be paused."
        );
        assert!(fault(-999).user_message().contains("code -999"));
    }

    #[test]
    fn in_progress_is_recognised_in_both_protocols() {
        assert!(fault(-33).is_attempt_in_progress());
        let rest = PomError::Status {
            status: 417,
            code: Some("POM-417".into()),
            message: ATTEMPT_IN_PROGRESS.into(),
            display: None,
        };
        assert!(rest.is_attempt_in_progress());
        assert!(!rest.is_transient());
        assert!(PomError::Status {
            status: 503,
            code: None,
            message: String::new(),
            display: None
        }
        .is_transient());
    }
}

//! `by_report_key!`: the one table from a report's key (`call-attempts`, as in its page's and
//! the API's addresses) to its [`crate::report::Report`] type, for code generic over reports
//! that is given a key at run time (the API's report routes, scheduled exports).

/// `by_report_key!(key, call(args…), unknown)` awaits `call::<R>(args…)` for the report whose
/// key is `key`, or evaluates `unknown` for a key naming no report.
#[macro_export]
macro_rules! by_report_key {
    ($key:expr, $call:ident ( $($arg:expr),* ), $unknown:expr) => {
        match $key {
            "call-attempts" => $call::<$crate::reports::call_attempts::CallAttempts>($($arg),*).await,
            "nuisance" => $call::<$crate::reports::nuisance::Nuisance>($($arg),*).await,
            "compliance" => $call::<$crate::reports::compliance::Compliance>($($arg),*).await,
            "agent-time" => $call::<$crate::reports::agent_time::AgentTime>($($arg),*).await,
            "job-summary" => $call::<$crate::reports::job_summary::JobSummary>($($arg),*).await,
            "sales" => $call::<$crate::reports::sales::Sales>($($arg),*).await,
            "codes" => $call::<$crate::reports::code_lists::CodeLists>($($arg),*).await,
            "recalls" => $call::<$crate::reports::recalls::Recalls>($($arg),*).await,
            "callbacks" => $call::<$crate::callbacks::board::CallbackBoard>($($arg),*).await,
            "inbound-abandoned" => {
                $call::<$crate::reports::inbound_abandoned::InboundAbandoned>($($arg),*).await
            }
            "not-attempted" => $call::<$crate::reports::not_attempted::NotAttempted>($($arg),*).await,
            "not-in-listing" => $call::<$crate::reports::not_listed::NotListed>($($arg),*).await,
            "dnc" => $call::<$crate::dnc::report::DncReport>($($arg),*).await,
            "purge-history" => $call::<$crate::purge::history::PurgeHistory>($($arg),*).await,
            "upload-history" => $call::<$crate::uploads::history::UploadHistory>($($arg),*).await,
            "audit" => $call::<$crate::audit_log::AuditLog>($($arg),*).await,
            _ => $unknown,
        }
    };
}

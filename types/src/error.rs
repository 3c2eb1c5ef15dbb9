//! `AppError`: the one error type server functions return. Its messages are safe to show to users;
//! internal details are logged on the server and never cross the wire.

use serde::{Deserialize, Serialize};

/// Said by a failure after which POM may have carried out a change anyway (it took the request
/// and never answered): the API keeps such an answer under its `Idempotency-Key` rather than let
/// a retry act twice.
pub const MAY_HAVE_ACTED: &str = "POM may have acted anyway";

/// The `Retry-After` of a [`AppError::DatabaseUnavailable`] answer: a restart of Postgres takes
/// seconds, not minutes.
pub const DATABASE_RETRY_AFTER_SECS: u64 = 10;

/// What went wrong, in terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No signed-in session.
    #[error("Please sign in.")]
    Unauthorized,
    /// The user name and password do not match an active user.
    #[error("Wrong user name or password.")]
    InvalidCredentials,
    /// The session ended through inactivity or was ended on the server.
    #[error("Your session has ended. Please sign in again.")]
    SessionExpired,
    /// Signed in, but the role or organization does not allow this.
    #[error("You do not have permission to do this.")]
    Forbidden,
    /// Signed in with a one-time password: nothing but choosing a new one is allowed yet.
    #[error("Choose a new password first (Account → Password).")]
    PasswordChangeRequired,
    /// The role must sign in with a second factor: nothing but setting it up is allowed yet.
    #[error("Set up two-factor sign-in first (your name → Two-factor sign-in).")]
    TwoFactorRequired,
    /// The thing asked for does not exist (or is not visible to this user).
    #[error("{0} was not found.")]
    NotFound(String),
    /// An address whose id is not a number (`/lists/abc`): nothing can be there.
    #[error("“{text}” is not {what} id: ids are whole numbers.")]
    BadId { what: String, text: String },
    /// A value the user gave is not acceptable; `field` names it.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Sign-in refused because of too many failures; `minutes` until it may be tried again.
    #[error("{}", crate::model::throttled_message(*.minutes))]
    Throttled { minutes: u64 },
    /// A system OCM depends on (POM, SFTP) failed; the message says which and what to do.
    #[error("{0}")]
    ExternalService(String),
    /// POM answered and said no (the job is not in a state that allows it, the campaign is not
    /// known, …); `fault` is POM's return code when it gave one.
    #[error("{message}")]
    PomRefused { message: String, fault: Option<i32> },
    /// Emergency mode is in force: starts, resumes and schedules are refused until an admin
    /// lifts it; the message says since when, by whom and why.
    #[error("{0}")]
    EmergencyMode(String),
    /// The request could not be decoded or the server could not be reached.
    #[error("The request failed: {0}")]
    Request(String),
    /// OCM cannot take this on right now (too many files being read, or shutting down); the
    /// message says so and when to try again.
    #[error("{message}")]
    Busy {
        message: String,
        retry_after_secs: u64,
    },
    /// OCM's database cannot be reached (stopped, restarting, no connection in time): what was
    /// saved stays saved, and running jobs go on by themselves once it is back.
    #[error("Database unavailable: OCM cannot reach its database just now. What was saved is safe, and running jobs carry on by themselves when it is back; try again in a few seconds.")]
    DatabaseUnavailable,
    /// A fault inside OCM. The details are in the server log under this request id.
    #[error("Something went wrong inside OCM. The details are logged (reference {0}).")]
    Internal(String),
}

impl AppError {
    /// Convenience constructor for validation errors.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status that goes with the error.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Unauthorized | Self::SessionExpired | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::PasswordChangeRequired | Self::TwoFactorRequired => 403,
            Self::NotFound(_) | Self::BadId { .. } => 404,
            Self::Validation { .. } | Self::Request(_) => 400,
            Self::Throttled { .. } => 429,
            Self::ExternalService(_) => 502,
            Self::PomRefused { .. } | Self::EmergencyMode(_) => 409,
            Self::Busy { .. } | Self::DatabaseUnavailable => 503,
            Self::Internal(_) => 500,
        }
    }

    /// How many seconds a client should wait before trying again, for the errors that pass.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::Busy {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            Self::DatabaseUnavailable => Some(DATABASE_RETRY_AFTER_SECS),
            _ => None,
        }
    }

    /// True when the browser should go back to the sign-in page.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, Self::Unauthorized | Self::SessionExpired)
    }
}

#[cfg(feature = "server-fn")]
impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        Self::Request(value.to_string())
    }
}

/// A POM failure as the user sees it; the log gets its codes, never POM's texts (they can name
/// the number a call was about).
#[cfg(feature = "ssr")]
impl From<pom::client::PomError> for AppError {
    fn from(error: pom::client::PomError) -> Self {
        tracing::warn!(error = %error.for_log(), "POM call failed");
        AppError::ExternalService(error.user_message())
    }
}

/// A database that is away is not a fault inside OCM: it answers 503 and is logged as a warning
/// (every request meanwhile says the same, so no reference to quote); any other failure is one.
#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if database_unavailable(&error) {
            tracing::warn!(error = %error, "the database is unavailable");
            AppError::DatabaseUnavailable
        } else {
            internal(&error)
        }
    }
}

/// Whether `error` says the database cannot be reached, rather than that a statement failed: no
/// connection within the pool's acquire timeout (Postgres refuses connections while stopped),
/// a connection that broke, or Postgres ending connections as it shuts down or starts
/// (SQLSTATE class 08 but 08P01, 57P01–57P03).
#[cfg(feature = "ssr")]
pub fn database_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08P01 (a protocol violation) fails the same way every time: not an outage.
            (code.starts_with("08") && &*code != "08P01")
                || matches!(&*code, "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

/// Logs an internal error once, with its chain, and returns the opaque variant with a reference
/// the user can quote.
#[cfg(feature = "ssr")]
pub fn internal(error: &dyn std::error::Error) -> AppError {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    tracing::error!(reference = %reference, error = %chain, "internal error");
    AppError::Internal(reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_errors_map_to_401_and_403() {
        assert_eq!(AppError::Unauthorized.status_code(), 401);
        assert_eq!(AppError::SessionExpired.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert!(AppError::SessionExpired.needs_sign_in());
        assert!(!AppError::Forbidden.needs_sign_in());
    }

    #[test]
    fn an_unreachable_database_answers_503_with_a_wait() {
        let error = AppError::DatabaseUnavailable;
        assert_eq!(error.status_code(), 503);
        assert_eq!(error.retry_after_secs(), Some(DATABASE_RETRY_AFTER_SECS));
        assert!(error
            .to_string()
            .to_lowercase()
            .contains("database unavailable"));
        assert_eq!(AppError::Forbidden.retry_after_secs(), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn pool_timeouts_and_broken_connections_mean_the_database_is_away() {
        assert!(database_unavailable(&sqlx::Error::PoolTimedOut));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(database_unavailable(&sqlx::Error::Io(refused)));
        assert!(!database_unavailable(&sqlx::Error::RowNotFound));
        assert!(!database_unavailable(&sqlx::Error::PoolClosed));
        assert_eq!(
            AppError::from(sqlx::Error::PoolTimedOut),
            AppError::DatabaseUnavailable
        );
        assert!(matches!(
            AppError::from(sqlx::Error::RowNotFound),
            AppError::Internal(_)
        ));
    }

    #[cfg(feature = "server-fn")]
    #[test]
    fn error_round_trips_through_its_wire_encoding() {
        use server_fn::error::FromServerFnError;
        let error = AppError::validation("from", "not a date");
        let bytes = error.ser();
        assert_eq!(AppError::de(bytes), error);
    }
}

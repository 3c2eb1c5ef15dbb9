//! The one POM client as services see it: there, or a plain message when OCM has none. Below
//! `state`, so services holding their own client (the campaign monitor) answer the same way.

use pom::client::PomClient;

use crate::error::AppError;

/// `pom`, or the error every use case shows when no POM is configured.
pub fn required(pom: Option<&PomClient>) -> Result<&PomClient, AppError> {
    pom.ok_or_else(|| AppError::ExternalService("No POM is configured for OCM.".into()))
}

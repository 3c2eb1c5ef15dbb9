//! POM integration: the typed client OCM uses (REST and SOAP), the XML helpers both sides share,
//! and the POM simulator used by tests, benchmarks and demo mode (docs/pom.md).

pub mod client;
pub mod sim;
pub mod xml;

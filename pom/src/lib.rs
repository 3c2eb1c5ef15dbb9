//! POM integration: the typed client OCM uses (REST and SOAP), the SFTP client that uploads into
//! POM's drop folder, the XML helpers both sides share, and the POM simulator used by tests,
//! benchmarks and demo mode (docs/pom.md).

pub mod client;
pub mod sftp;
pub mod xml;
pub mod zones;

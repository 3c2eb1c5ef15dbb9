//! POM client and simulator: filled by the POM integration issue (see docs/architecture.md).

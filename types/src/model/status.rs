//! System status as shown on the dashboard and served by `/readyz`.

use serde::{Deserialize, Serialize};

/// Health of one dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentState {
    Up,
    Down,
    NotConfigured,
}

/// One dependency's state with a plain-language detail and, when measured, its latency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentStatus {
    pub state: ComponentState,
    pub detail: String,
    pub latency_ms: Option<u64>,
}

/// Everything the status block shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemStatus {
    pub database: ComponentStatus,
    pub pom: ComponentStatus,
    pub version: String,
    pub demo_mode: bool,
    /// How phone numbers are read and sent (the region, and whether it is demo mode's).
    pub phone_rules: String,
}

/// One setting as `ocm check-config` prints it (secrets hidden).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigLine {
    pub name: String,
    pub value: String,
}

/// The admins' settings page: the effective configuration and the systems' health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub lines: Vec<ConfigLine>,
    pub status: SystemStatus,
}

//! Simulated POM rules for data sources and attributes: scheduling a data source's import, its
//! import jobs, and a list's attributes.

use super::ListRef;
use crate::rules::{fault, zoned_schedule_time, Caller, Fault};
use crate::world::{AttributeDef, ImportJobRec, World};

impl World {
    /// `ScheduleDataSource`: creates an import job that starts at `start`, wall time in `zone`
    /// (`-12`, `-60`, `-59`).
    pub fn schedule_data_source(
        &mut self,
        caller: &Caller,
        name: &str,
        start: &str,
        zone: &str,
    ) -> Result<i64, Fault> {
        let source = self.data_sources.get(name).ok_or_else(|| fault(-12, ""))?;
        if !caller.sees(&source.organization) {
            return Err(fault(-60, ""));
        }
        let list_name = source.list_name.clone();
        let start_ms = zoned_schedule_time(start, zone)?;
        let id = self.new_id();
        self.import_jobs.insert(
            id,
            ImportJobRec {
                id,
                data_source: name.to_string(),
                list_name,
                state: "QUEUED".into(),
                start_ms,
                ..Default::default()
            },
        );
        Ok(id)
    }

    /// `GetImportJobStatus`: the data source's import jobs in `states` (POM's default: RUNNING).
    pub fn import_jobs(
        &self,
        caller: &Caller,
        name: &str,
        states: &[String],
    ) -> Result<Vec<&ImportJobRec>, Fault> {
        let source = self.data_sources.get(name).ok_or_else(|| fault(-12, ""))?;
        if !caller.sees(&source.organization) {
            return Err(fault(-60, ""));
        }
        let default = ["RUNNING".to_string()];
        let states = if states.is_empty() {
            &default[..]
        } else {
            states
        };
        Ok(self
            .import_jobs
            .values()
            .filter(|j| j.data_source == name && states.contains(&j.state))
            .collect())
    }

    /// `GetAttributesList`: the catalogue, or the attributes a list's contacts use.
    pub fn attributes_for(
        &self,
        caller: &Caller,
        list: Option<&str>,
    ) -> Result<Vec<AttributeDef>, Fault> {
        let Some(name) = list else {
            return Ok(self.attributes.clone());
        };
        let list = self.list_for(caller, ListRef::Name(name))?;
        let used: std::collections::BTreeSet<&String> = list
            .contacts
            .values()
            .flat_map(|c| c.attributes.keys())
            .collect();
        Ok(self
            .attributes
            .iter()
            .filter(|a| a.system || used.contains(&a.name))
            .cloned()
            .collect())
    }
}

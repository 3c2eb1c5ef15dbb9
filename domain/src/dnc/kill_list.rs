//! Dialer kill-list entries: addresses POM added to an organization's DNC list because a
//! customer asked during a call (`DNCREQ`) reach OCM in the call-data feed (`call_data`, one
//! consumer of its ingestion) and are registered with source "Dialer Kill List", once each, so
//! the DNC List report shows every suppression and where it came from.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::{PgConnection, PgPool};

use crate::erasure::ocm_stores::ERASED;
use crate::erasure::tombstone::{self, ErasureKey, Suppression};
use crate::phone::PhoneRules;

/// A kill-list entry as the call-data feed carries it (`dialer_kill`).
pub struct KillEntry<'a> {
    pub session_id: &'a str,
    pub organization: &'a str,
    pub dnc_list: &'a str,
    pub address: &'a str,
    pub campaign: &'a str,
    pub added_at: time::OffsetDateTime,
}

/// Registers kill-list entries, knowing who was erased (tombstones loaded once per organization).
pub struct Registrar<'a> {
    pool: &'a PgPool,
    key: &'a Arc<ErasureKey>,
    rules: &'a PhoneRules,
    erased: HashMap<String, Suppression>,
}

impl<'a> Registrar<'a> {
    pub fn new(pool: &'a PgPool, key: &'a Arc<ErasureKey>, rules: &'a PhoneRules) -> Self {
        Registrar {
            pool,
            key,
            rules,
            erased: HashMap::new(),
        }
    }

    /// The phone rules the tombstones are matched with.
    pub fn rules(&self) -> &'a PhoneRules {
        self.rules
    }

    /// Who was erased on request in `organization` (tombstones loaded once per run).
    pub async fn suppression(&mut self, organization: &str) -> Result<&Suppression, sqlx::Error> {
        if !self.erased.contains_key(organization) {
            let loaded = tombstone::load(self.pool, self.key, organization).await?;
            self.erased.insert(organization.to_string(), loaded);
        }
        Ok(&self.erased[organization])
    }

    /// Registers `entry` once (by dialer session and address); returns 1 when it is new.
    pub async fn register(
        &mut self,
        tx: &mut PgConnection,
        entry: &KillEntry<'_>,
    ) -> Result<u64, sqlx::Error> {
        // A person erased on request is registered without their address.
        let rules = self.rules;
        let erasure = self
            .suppression(entry.organization)
            .await?
            .address(entry.address, rules);
        let (address, external_ref) = match erasure {
            Some(erasure_id) => (
                ERASED.to_string(),
                format!("{}:erased:{erasure_id}", entry.session_id),
            ),
            None => (
                entry.address.to_string(),
                format!("{}:{}", entry.session_id, entry.address),
            ),
        };
        Ok(sqlx::query!(
            r#"insert into dnc_entry (organization, address, action, source, list_name, requested_by_name,
                   requested_at, state, confirmed_at, outcome, external_ref, erased_by)
               values ($1, $2, 'add', 'dialer_kill', $3, $4, $5, 'confirmed',
                       $5, 'added by the dialer (DNCREQ)', $6, $7)
               on conflict (source, external_ref) do nothing"#,
            entry.organization,
            address,
            entry.dnc_list,
            format!("dialer ({})", entry.campaign),
            entry.added_at,
            external_ref,
            erasure,
        )
        .execute(&mut *tx)
        .await?
        .rows_affected())
    }
}

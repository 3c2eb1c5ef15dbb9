//! The demo's rules, so the rules page, the applications report and contacts' pages mean
//! something minutes after `make run`: Collections marks a promise-to-pay contact "legal" on NSP,
//! plans a follow-up 14 days after an arrears no-sale and takes a wrong number out of dialling;
//! Sales plans a renewal follow-up 90 days after a no-sale and puts a wrong number on its DNC
//! list. Saved as three days old (the longest demo history), so they act on the dialling the
//! demo already did as its call data arrives. Made once: a database with any rule keeps its own.

use sqlx::PgPool;

use crate::error::AppError;

/// One demo rule.
struct Demo {
    organization: &'static str,
    campaign: &'static str,
    code: &'static str,
    action: &'static str,
    attribute: Option<&'static str>,
    fixed: Option<&'static str>,
    days: Option<i32>,
}

/// Creates the demo rules unless any rule exists.
pub async fn seed(pool: &PgPool) -> Result<(), AppError> {
    let rules = [
        Demo {
            organization: "Collections",
            campaign: "Coll_Promises_Preview",
            code: "NSP",
            action: "set_attribute",
            attribute: Some("NEXT_ACTION"),
            fixed: Some("legal"),
            days: None,
        },
        Demo {
            organization: "Collections",
            campaign: "Coll_Arrears_Predictive",
            code: "NO_SALE",
            action: "set_attribute",
            attribute: Some("NEXT_ACTION_DATE"),
            fixed: None,
            days: Some(14),
        },
        Demo {
            organization: "Collections",
            campaign: "Coll_Promises_Preview",
            code: "WRONG_NUMBER",
            action: "mark_uncallable",
            attribute: None,
            fixed: None,
            days: None,
        },
        Demo {
            organization: "Sales",
            campaign: "Sales_Renewals_Preview",
            code: "NO_SALE",
            action: "set_attribute",
            attribute: Some("NEXT_ACTION_DATE"),
            fixed: None,
            days: Some(90),
        },
        Demo {
            organization: "Sales",
            campaign: "Sales_Predictive",
            code: "WRONG_NUMBER",
            action: "add_dnc",
            attribute: None,
            fixed: None,
            days: None,
        },
    ];
    let mut tx = pool.begin().await?;
    let any = sqlx::query_scalar!("select exists (select 1 from completion_rule) as \"any!\"")
        .fetch_one(&mut *tx)
        .await?;
    if any {
        return Ok(());
    }
    for rule in rules {
        sqlx::query!(
            "insert into completion_rule (organization, campaign, completion_code, action,
                    attribute, fixed_value, days_after, created_by_name, created_at, enabled_at)
             values ($1, $2, $3, $4, $5, $6, $7, 'demo', now() - interval '3 days',
                     now() - interval '3 days')",
            rule.organization,
            rule.campaign,
            rule.code,
            rule.action,
            rule.attribute,
            rule.fixed,
            rule.days,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

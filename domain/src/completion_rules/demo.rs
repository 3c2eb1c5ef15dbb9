//! The demo's rules, so the rules page, the applications report and contacts' pages mean
//! something minutes after `make run`: Collections marks arrears "legal" on NSP and takes a
//! wrong number out of dialling; Sales plans a follow-up 90 days after a no-sale and puts a
//! wrong number on its DNC list. Made once: a database with any rule keeps its own.

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
            campaign: "Coll_Arrears_Predictive",
            code: "NSP",
            action: "set_attribute",
            attribute: Some("NEXT_ACTION"),
            fixed: Some("legal"),
            days: None,
        },
        Demo {
            organization: "Collections",
            campaign: "Coll_Arrears_Predictive",
            code: "WRONG_NUMBER",
            action: "mark_uncallable",
            attribute: None,
            fixed: None,
            days: None,
        },
        Demo {
            organization: "Sales",
            campaign: "Sales_Predictive",
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
                    attribute, fixed_value, days_after, created_by_name)
             values ($1, $2, $3, $4, $5, $6, $7, 'demo')",
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

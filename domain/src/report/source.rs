//! Where a report statement reads the rows: the report's own `select`, or a table an answer
//! copied them to.

use sqlx::postgres::Postgres;
use sqlx::QueryBuilder;

use super::Report;

/// Where a statement reads the report's rows: its `select`, or a table they were copied to.
#[derive(Clone, Copy)]
pub(super) enum Source {
    Select,
    Table(&'static str),
}

impl Source {
    pub(super) fn push<R: Report>(
        self,
        scoped: &R::Scoped,
        sql: &mut QueryBuilder<'static, Postgres>,
    ) {
        match self {
            Source::Select => R::select(scoped, sql),
            Source::Table(table) => {
                sql.push(format_args!("select * from {table}"));
            }
        }
    }
}

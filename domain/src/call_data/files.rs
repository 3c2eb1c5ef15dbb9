//! The feed's kinds as CSV files (the simulator's export shape: a header row, `cursor` first, one
//! kind per file named after it, e.g. `attempt-2026-12-05.csv`), read into the same records as the
//! JSON lines, pure. Cells are text; the contract's numbers, booleans and nested values are read
//! back by field name, an empty cell is "none".

use serde_json::{Map, Value};

use super::parse::{read_value, Item, Problem};

/// Fields the contract writes as whole numbers.
const NUMBERS: [&str; 9] = [
    "job_id",
    "attempt_number",
    "talk_seconds",
    "wrap_up_seconds",
    "seconds",
    "aux_code",
    "wait_seconds",
    "cursor",
    "contacts",
];
/// Fields the contract writes as true/false.
const BOOLEANS: [&str; 2] = ["nuisance", "handed_over"];
/// Fields whose cell holds JSON (objects and arrays).
const NESTED: [&str; 3] = ["contact", "list_sizes", "counters"];

/// The kind a file holds, from its name: the part before the first `-` or `.`.
pub fn kind_of(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".csv")?;
    let kind = stem.split(['-', '.']).next()?;
    (!kind.is_empty()).then_some(kind)
}

fn cell(field: &str, text: &str) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    if NUMBERS.contains(&field) {
        if let Ok(number) = text.parse::<i64>() {
            return number.into();
        }
    }
    if BOOLEANS.contains(&field) {
        match text {
            "true" => return true.into(),
            "false" => return false.into(),
            _ => {}
        }
    }
    if NESTED.contains(&field) {
        if let Ok(value) = serde_json::from_str(text) {
            return value;
        }
    }
    Value::String(text.to_string())
}

/// One CSV row of `kind` under `header` as a record; `line` numbers rows without a cursor.
pub fn row_item(
    kind: &str,
    header: &csv::StringRecord,
    row: &csv::StringRecord,
    line: u64,
) -> Result<Item, Problem> {
    let mut object = Map::new();
    object.insert("kind".into(), kind.into());
    for (field, text) in header.iter().zip(row.iter()) {
        object.insert(field.to_string(), cell(field, text));
    }
    if !object.get("cursor").is_some_and(Value::is_i64) {
        object.insert("cursor".into(), line.into());
    }
    read_value(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_file_names() {
        assert_eq!(kind_of("attempt.csv"), Some("attempt"));
        assert_eq!(
            kind_of("agent_interval-2026-12-05.csv"),
            Some("agent_interval")
        );
        assert_eq!(kind_of("sale.2026.csv"), Some("sale"));
        assert_eq!(kind_of("notes.txt"), None);
        assert_eq!(kind_of("-x.csv"), None);
    }

    #[test]
    fn cells_are_read_back_by_field() {
        let header = csv::StringRecord::from(vec![
            "cursor",
            "agent_id",
            "aux_code",
            "aux_reason",
            "campaign",
            "campaign_type",
            "direction",
            "end_at",
            "job_id",
            "organization",
            "seconds",
            "session_id",
            "start_at",
            "state",
            "team",
        ]);
        let row = csv::StringRecord::from(vec![
            "",
            "007",
            "1",
            "Break",
            "",
            "",
            "",
            "2026-12-05T10:05:00Z",
            "",
            "Sales",
            "300",
            "",
            "2026-12-05T10:00:00Z",
            "not_ready",
            "Team A",
        ]);
        let Item::Known {
            cursor,
            record,
            unknown_fields,
        } = row_item("agent_interval", &header, &row, 9).unwrap()
        else {
            panic!("not read");
        };
        assert_eq!((cursor, unknown_fields), (9, 0));
        let super::super::parse::Record::AgentInterval(interval) = *record else {
            panic!("another kind");
        };
        assert_eq!(interval.agent_id, "007", "ids stay text");
        assert_eq!(
            (interval.aux_code, interval.seconds, interval.job_id),
            (Some(1), 300, None)
        );
    }
}

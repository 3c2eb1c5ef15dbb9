//! The mappings as CSV, pure: what is written (spreadsheet-safe, through `export`) and what is
//! read back, bounded before anything is allocated for rows, every refusal naming its row and
//! column. Exports re-import as they are (the `'` a risky cell got is taken off again).

use crate::export;

/// Files larger than this are refused unread.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Rows beyond this are refused.
pub const MAX_ROWS: usize = 20_000;

pub const CAMPAIGN_HEADER: [&str; 3] = ["organization", "campaign", "team"];
pub const AGENT_HEADER: [&str; 4] = ["agent_id", "team", "valid_from", "valid_to"];

/// One campaign-team row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRow {
    pub line: usize,
    pub organization: String,
    pub campaign: String,
    pub team: String,
}

/// One agent-team row (`valid_to` empty: still in the team).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRow {
    pub line: usize,
    pub agent_id: String,
    pub team: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

/// A cell as typed, without the `'` OCM's own exports put before a risky cell.
fn cell(raw: &str) -> String {
    let value = raw.trim();
    match value.strip_prefix('\'') {
        Some(rest) if export::risky(rest) => rest.to_string(),
        _ => value.to_string(),
    }
}

/// Reads a CSV with exactly `header` (any case, any order is refused: the columns must be these),
/// handing each data row's cells, in header order, to `row`.
fn read(
    text: &str,
    header: &[&str],
    mut row: impl FnMut(usize, Vec<String>) -> Result<(), String>,
) -> Result<usize, Vec<String>> {
    if text.len() > MAX_BYTES {
        return Err(vec![format!(
            "the file is larger than {} KiB",
            MAX_BYTES / 1024
        )]);
    }
    let text = text.strip_prefix(export::UTF8_BOM).unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let found: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| cell(c).to_lowercase()).collect(),
        Err(e) => return Err(vec![format!("row 1: {e}")]),
    };
    if found != header {
        return Err(vec![format!(
            "row 1: the columns must be {}; found {}",
            header.join(","),
            found.join(",")
        )]);
    }
    let mut problems = Vec::new();
    let mut rows = 0;
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        rows += 1;
        if rows > MAX_ROWS {
            return Err(vec![format!("row {line}: more than {MAX_ROWS} rows")]);
        }
        match record {
            Err(e) => problems.push(format!("row {line}: {e}")),
            Ok(record) if record.len() != header.len() => problems.push(format!(
                "row {line}: {} cells; the header has {}",
                record.len(),
                header.len()
            )),
            Ok(record) => {
                if let Err(problem) = row(line, record.iter().map(cell).collect()) {
                    problems.push(format!("row {line}, {problem}"));
                }
            }
        }
        if problems.len() >= 100 {
            problems.push("… and more; fix these first".into());
            break;
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn required(column: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("column {column}: empty"));
    }
    Ok(())
}

/// Reads a campaign-teams file.
pub fn parse_campaigns(text: &str) -> Result<Vec<CampaignRow>, Vec<String>> {
    let mut rows = Vec::new();
    read(text, &CAMPAIGN_HEADER, |line, cells| {
        for (column, value) in CAMPAIGN_HEADER.iter().zip(&cells) {
            required(column, value)?;
        }
        let [organization, campaign, team]: [String; 3] =
            cells.try_into().map_err(|_| "cells".to_string())?;
        rows.push(CampaignRow {
            line,
            organization,
            campaign,
            team,
        });
        Ok(())
    })?;
    Ok(rows)
}

/// Reads an agent-teams file.
pub fn parse_agents(text: &str) -> Result<Vec<AgentRow>, Vec<String>> {
    let mut rows = Vec::new();
    read(text, &AGENT_HEADER, |line, cells| {
        for (column, value) in AGENT_HEADER.iter().zip(&cells).take(3) {
            required(column, value)?;
        }
        let [agent_id, team, valid_from, valid_to]: [String; 4] =
            cells.try_into().map_err(|_| "cells".to_string())?;
        let valid_to = (!valid_to.is_empty()).then_some(valid_to);
        rows.push(AgentRow {
            line,
            agent_id,
            team,
            valid_from,
            valid_to,
        });
        Ok(())
    })?;
    Ok(rows)
}

/// Writes rows under `header`, every cell spreadsheet-safe.
pub fn write(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = export::UTF8_BOM.as_bytes().to_vec();
    let _ = export::write_record(&mut out, header.iter().copied());
    for row in rows {
        let _ = export::write_record(&mut out, row.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_reads_back_as_it_was_written() {
        let bytes = write(
            &CAMPAIGN_HEADER,
            [vec![
                "Sales".into(),
                "=Winback".into(),
                "Sales Floor".into(),
            ]],
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains("'=Winback"),
            "a risky cell is neutralised: {text}"
        );
        let rows = parse_campaigns(&text).unwrap();
        assert_eq!(rows[0].campaign, "=Winback");
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn refusals_name_the_row_and_column() {
        let problems =
            parse_agents("agent_id,team,valid_from,valid_to\nA1,,2026-01-01,\nA2,Floor\n")
                .unwrap_err();
        assert_eq!(problems[0], "row 2, column team: empty");
        assert_eq!(problems[1], "row 3: 2 cells; the header has 4");
        let problems = parse_campaigns("campaign,organization,team\n").unwrap_err();
        assert!(problems[0].starts_with("row 1: the columns must be organization,campaign,team"));
        let big = "x".repeat(MAX_BYTES + 1);
        assert!(parse_campaigns(&big).unwrap_err()[0].contains("larger than"));
        let many = format!(
            "organization,campaign,team\n{}",
            "S,C,T\n".repeat(MAX_ROWS + 1)
        );
        assert!(parse_campaigns(&many).unwrap_err()[0].contains("more than 20000 rows"));
    }
}

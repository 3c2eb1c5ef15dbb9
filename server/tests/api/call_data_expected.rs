//! The summaries as they must be, computed here from the raw feed alone (days and hours with
//! jiff in the report time zone), and compared with the summary tables row by row.

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::PgPool;

/// The report time zone of the call-data tests (daylight saving included).
pub const TZ: &str = "Europe/London";

type Sums = BTreeMap<String, Vec<i64>>;

fn zoned(at: &Value) -> jiff::Zoned {
    let stamp: jiff::Timestamp = at.as_str().unwrap().parse().unwrap();
    stamp.to_zoned(jiff::tz::TimeZone::get(TZ).unwrap())
}

fn day(at: &Value) -> String {
    zoned(at).date().to_string()
}

fn hour(at: &Value) -> i64 {
    i64::from(zoned(at).hour())
}

fn millis(at: &Value) -> i64 {
    zoned(at).timestamp().as_millisecond()
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

fn add(sums: &mut Sums, key: String, values: &[i64]) {
    let row = sums.entry(key).or_insert_with(|| vec![0; values.len()]);
    for (total, value) in row.iter_mut().zip(values) {
        *total += value;
    }
}

async fn table(pool: &PgPool, sql: &str) -> Sums {
    sqlx::query_as::<_, (String, Vec<i64>)>(sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Compares every summary table with the figures of `records` (the feed up to the cursor
/// ingested).
pub async fn check_summaries(pool: &PgPool, records: &[Value]) {
    let (mut campaign_day, mut nuisance, mut agent_day, mut sales) =
        (Sums::new(), Sums::new(), Sums::new(), Sums::new());
    let (mut inbound, mut jobs, mut skips, mut logins) =
        (Sums::new(), Sums::new(), Sums::new(), Sums::new());
    let mut quarters = Sums::new();
    let mut callbacks: BTreeMap<String, (i64, usize, String)> = BTreeMap::new();
    let ranks = [
        "created",
        "pending",
        "dialled",
        "rescheduled",
        "completed",
        "cancelled",
        "expired",
    ];
    for r in records {
        let org = text(&r["organization"]);
        let flag = |b: bool| i64::from(b);
        match text(&r["kind"]) {
            "attempt" => {
                let result = text(&r["result"]);
                let at = &r["attempt_at"];
                let connected = !r["connect_at"].is_null();
                // The quarter hour's start in UTC seconds, as `date_bin('15 minutes', …)` has it.
                let quarter = millis(at).div_euclid(900_000) * 900;
                add(
                    &mut quarters,
                    format!("{org}|{quarter}|{}", text(&r["campaign"])),
                    &[1, flag(connected)],
                );
                let key = format!(
                    "{org}|{}|{}|{}",
                    day(at),
                    text(&r["campaign"]),
                    text(&r["campaign_type"])
                );
                add(
                    &mut campaign_day,
                    key,
                    &[
                        1,
                        flag(int(&r["attempt_number"]) == 1),
                        flag(result == "answer_human"),
                        flag(result == "answer_machine"),
                        flag(result == "busy"),
                        flag(result == "no_answer"),
                        flag(result == "failed"),
                        flag(result == "fax"),
                        flag(result == "preview_cancelled"),
                        flag(connected),
                        flag(r["nuisance"] == true),
                        flag(!r["callback_id"].is_null()),
                        int(&r["talk_seconds"]),
                        int(&r["wrap_up_seconds"]),
                    ],
                );
                if result == "answer_human" && !r["answered_at"].is_null() {
                    let reason = text(&r["nuisance_reason"]);
                    let key = format!("{org}|{}|{}|{}", day(at), hour(at), text(&r["campaign"]));
                    add(
                        &mut nuisance,
                        key,
                        &[1, flag(reason == "no_agent"), flag(reason == "agent_aux")],
                    );
                }
                let key = format!("{org}|{}", int(&r["job_id"]));
                add(
                    &mut jobs,
                    key,
                    &[1, flag(connected), flag(r["nuisance"] == true), 0, 0],
                );
            }
            "agent_interval" => {
                let state = text(&r["state"]);
                let seconds = int(&r["seconds"]);
                let talking = state == "talking";
                let key = format!(
                    "{org}|{}|{}|{}",
                    day(&r["start_at"]),
                    text(&r["agent_id"]),
                    text(&r["campaign_type"])
                );
                let in_state = |s: &str| if state == s { seconds } else { 0 };
                add(
                    &mut agent_day,
                    key,
                    &[
                        in_state("ready"),
                        in_state("preview"),
                        in_state("talking"),
                        in_state("wrap_up"),
                        in_state("pending_not_ready"),
                        in_state("not_ready"),
                        flag(talking && r["direction"] == "outbound"),
                        flag(talking && r["direction"] == "inbound"),
                    ],
                );
            }
            "agent_session" if r["event"] == "logout" => {
                let key = format!("{org}|{}|{}", day(&r["login_at"]), text(&r["agent_id"]));
                let (login, out) = (millis(&r["login_at"]), millis(&r["at"]));
                let row = logins.entry(key).or_insert_with(|| vec![login, out, 0, 0]);
                row[0] = row[0].min(login);
                row[1] = row[1].max(out);
                row[2] += 1;
                row[3] += int(&r["seconds"]);
            }
            "sale" => {
                let amount: f64 = text(&r["amount"]).parse().unwrap();
                let key = format!(
                    "{org}|{}|{}|{}|{}|{}",
                    day(&r["submitted_at"]),
                    text(&r["campaign"]),
                    text(&r["agent_id"]),
                    text(&r["category"]),
                    text(&r["currency"])
                );
                add(&mut sales, key, &[1, (amount * 100.0).round() as i64]);
            }
            kind @ ("inbound_call" | "inbound_abandon") => {
                let answered = kind == "inbound_call";
                let at = &r["arrived_at"];
                let key = format!("{org}|{}|{}|{}", day(at), hour(at), text(&r["queue"]));
                add(
                    &mut inbound,
                    key,
                    &[
                        1,
                        flag(answered),
                        flag(!answered),
                        int(&r["wait_seconds"]),
                        int(&r["talk_seconds"]),
                    ],
                );
            }
            "contact_skip" => {
                let job = int(&r["job_id"]);
                add(&mut jobs, format!("{org}|{job}"), &[0, 0, 0, 1, 0]);
                add(
                    &mut skips,
                    format!("{org}|{job}|{}", text(&r["reason"])),
                    &[1],
                );
            }
            "job_event" if r["event"] == "started" => {
                let contacts: i64 = r["list_sizes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| int(&s["contacts"]))
                    .sum();
                add(
                    &mut jobs,
                    format!("{org}|{}", int(&r["job_id"])),
                    &[0, 0, 0, 0, contacts],
                );
            }
            "callback_event" => {
                let event = text(&r["event"]);
                let rank = ranks.iter().position(|e| *e == event).unwrap();
                let at = millis(&r["at"]);
                let latest = callbacks
                    .entry(text(&r["callback_id"]).to_string())
                    .or_insert((at, rank, event.to_string()));
                if (at, rank) > (latest.0, latest.1) {
                    *latest = (at, rank, event.to_string());
                }
            }
            _ => {}
        }
    }
    let checks = [
        ("campaign days", campaign_day, "select organization||'|'||report_day||'|'||campaign||'|'||campaign_type, array[attempts, first_attempts, answer_human, answer_machine, busy, no_answer, failed, fax, preview_cancelled, connects, nuisance, callbacks_dialled, talk_seconds, wrap_up_seconds] from report_campaign_day"),
        ("nuisance hours", nuisance, "select organization||'|'||report_day||'|'||hour||'|'||campaign, array[answered, nuisance_no_agent, nuisance_agent_aux] from report_nuisance_hour"),
        ("agent days", agent_day, "select organization||'|'||report_day||'|'||agent_id||'|'||campaign_type, array[ready_seconds, preview_seconds, talking_seconds, wrap_up_seconds, pending_not_ready_seconds, not_ready_seconds, outbound_calls, inbound_calls] from report_agent_day"),
        ("agent logins", logins, "select organization||'|'||report_day||'|'||agent_id, array[(extract(epoch from first_login) * 1000)::bigint, (extract(epoch from last_logout) * 1000)::bigint, sessions, staffed_seconds] from report_agent_login_day"),
        ("sales", sales, "select organization||'|'||report_day||'|'||campaign||'|'||agent_id||'|'||category||'|'||currency, array[sales, amount_minor] from report_sales_day"),
        ("inbound hours", inbound, "select organization||'|'||report_day||'|'||hour||'|'||queue, array[offered, answered, abandoned, wait_seconds, talk_seconds] from report_inbound_hour"),
        ("jobs", jobs, "select organization||'|'||job_id, array[attempts, connects, nuisance, skipped, list_contacts] from report_job"),
        ("quarter hours", quarters, "select organization||'|'||extract(epoch from quarter)::bigint||'|'||campaign, array[attempts, connects] from report_attempt_quarter"),
        ("skips", skips, "select organization||'|'||job_id||'|'||reason, array[contacts] from report_job_skip"),
    ];
    for (name, expected, sql) in checks {
        assert!(!expected.is_empty(), "{name}: the feed has data for it");
        let actual = table(pool, sql).await;
        let differing: Vec<_> = expected
            .iter()
            .filter(|(k, v)| actual.get(*k) != Some(*v))
            .take(3)
            .map(|(k, v)| format!("{k}: expected {v:?}, stored {:?}", actual.get(k)))
            .collect();
        assert!(differing.is_empty(), "{name}: {differing:#?}");
        assert_eq!(actual.len(), expected.len(), "{name}: rows");
    }
    let states: BTreeMap<String, String> =
        sqlx::query_as::<_, (String, String)>("select callback_id, state from report_callback")
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let expected: BTreeMap<String, String> = callbacks
        .into_iter()
        .map(|(id, (_, _, state))| (id, state))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(states, expected, "each callback's latest state");
}

//! Every SOAP request the client sends uses exactly the element names, order and namespace that
//! the WSDLs from seed 004 (pom/wsdl/) declare, and the matching SOAPAction.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use pom::client::{PomClient, PomConfig};

type Captured = Arc<Mutex<Vec<(String, String, String)>>>;

async fn capture(
    State(store): State<Captured>,
    Path(service): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> &'static str {
    let action = headers
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    store
        .lock()
        .unwrap()
        .push((service, action, String::from_utf8_lossy(&body).into_owned()));
    "captured"
}

/// The child element names the WSDL declares for the request element `operation`, in order.
fn declared(wsdl: &str, operation: &str) -> Vec<String> {
    let start = wsdl
        .find(&format!("name=\"{operation}\""))
        .unwrap_or_else(|| panic!("{operation} not in WSDL"));
    let rest = &wsdl[start..];
    let sequence = &rest[..rest
        .find("</xsd:sequence>")
        .or(rest.find("</xsd:complexType>"))
        .unwrap()];
    sequence
        .match_indices("name=\"")
        .skip(1)
        .map(|(i, _)| {
            let value = &sequence[i + 6..];
            value[..value.find('"').unwrap()].to_string()
        })
        .collect()
}

fn target_namespace(wsdl: &str) -> String {
    let start = wsdl.find("targetNamespace=\"").unwrap() + 17;
    wsdl[start..start + wsdl[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn soap_requests_match_the_wsdl() {
    let store: Captured = Arc::default();
    let app = Router::new()
        .route("/axis2/services/{service}", post(capture))
        .with_state(store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config = PomConfig::for_origin(&origin, "u", "p");
    config.retries = 0;
    let client = PomClient::new(config).unwrap();

    // Every call fails to decode "captured"; only the requests matter here.
    let _ = client
        .get_campaign_details(&["JOB_ACTIVE", "JOB_PAUSED"])
        .await;
    let _ = client.get_campaign_jobs("C", &["JOB_ACTIVE"]).await;
    let _ = client.run_campaign("C").await;
    let _ = client.pause_active_job(1).await;
    let _ = client.resume_paused_job(1).await;
    let _ = client.stop_job(1).await;
    let _ = client
        .schedule_campaign("C", "2030/01/01 00:00:00", "UTC")
        .await;
    let _ = client.get_import_job_status("D", &["RUNNING"]).await;
    let _ = client
        .schedule_data_source("D", "2030/01/01 00:00:00", "UTC")
        .await;
    let _ = client.get_contact_list_names("C").await;
    let _ = client.empty_contact_list("L").await;
    let _ = client.get_contact_list_empty_status("L").await;
    let _ = client.is_dnc("+441632960001", Some("Sales")).await;
    let _ = client.add_to_dnc_list("+441632960001", Some("Sales")).await;
    let _ = client.remove_from_dnc_list("+441632960001", None).await;
    let _ = client.delete_contact_from_list("42", "L").await;
    let _ = client.get_attributes_list(Some("L")).await;
    let _ = client.get_all_completion_codes_for_campaign(1).await;
    let _ = client
        .add_contact_list_to_job("C", "L", "MEDIUM", true)
        .await;
    let callback = pom::client::CallbackSchedule {
        campaign: "C",
        list: "L",
        user_contact_id: "42",
        start: "2030/01/01 10:00",
        end: "2030/01/01 12:00",
        time_zone: Some("UTC"),
        phone_attribute: Some("phoneNumber1"),
        address: Some("+441632960001"),
        notes: "n",
    };
    let _ = client.schedule_callback(&callback).await;
    let _ = client
        .update_contact_attribute("42", "L", "NEXT_ACTION", "legal")
        .await;

    let captured = store.lock().unwrap().clone();
    assert_eq!(captured.len(), 21, "one request per operation");
    for (service, action, body) in captured {
        let wsdl = std::fs::read_to_string(format!(
            "{}/wsdl/{service}.wsdl",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let namespace = target_namespace(&wsdl);
        let root = pom::xml::parse(&body).unwrap();
        let request = root.find("Body").unwrap().children.first().unwrap().clone();
        assert_eq!(
            action,
            format!("\"{namespace}{}\"", request.name),
            "SOAPAction of {}",
            request.name
        );
        assert!(
            body.contains(&format!("xmlns:ns=\"{namespace}\"")),
            "{service} namespace in {body}"
        );
        assert!(
            body.contains(&format!("<ns:{}>", request.name)),
            "qualified element in {body}"
        );
        let allowed = declared(&wsdl, &request.name);
        let mut position = 0;
        for child in &request.children {
            let found = allowed[position..]
                .iter()
                .position(|name| *name == child.name);
            let offset = found.unwrap_or_else(|| {
                panic!(
                    "{}: <{}> not declared (in order) in {allowed:?}",
                    request.name, child.name
                )
            });
            // Repeated elements (maxOccurs=unbounded) stay at the same position.
            position += offset;
        }
    }
}

//! The little XML both sides of SOAP need: a writer that escapes everything (quick-xml), and a
//! parser into a tree addressed by local element names, so namespace prefixes and element order
//! never matter to a reader.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// A parse failure, with where it happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed XML at byte {position}: {message}")]
pub struct XmlError {
    pub position: u64,
    pub message: String,
}

/// An element: local name, text content and child elements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child with this local name.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// Depth-first search for the first descendant with this local name.
    pub fn find(&self, name: &str) -> Option<&Element> {
        self.children.iter().find_map(|c| {
            if c.name == name {
                Some(c)
            } else {
                c.find(name)
            }
        })
    }
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => name.into_owned(),
    }
}

/// Deepest element nesting accepted: SOAP documents are shallow, and a limit keeps hostile input
/// from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// Parses a document into its root element.
pub fn parse(xml: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let error = |reader: &Reader<&[u8]>, message: String| XmlError {
        position: reader.buffer_position(),
        message,
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(
                        &reader,
                        format!("nesting deeper than {MAX_DEPTH} elements"),
                    ));
                }
                stack.push(Element {
                    name: local(start.name().as_ref()),
                    ..Element::default()
                })
            }
            Ok(Event::Empty(start)) => {
                let element = Element {
                    name: local(start.name().as_ref()),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Ok(Event::Text(text)) => {
                let value = text.unescape().map_err(|e| error(&reader, e.to_string()))?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&value);
                }
            }
            Ok(Event::CData(data)) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Ok(Event::End(_)) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| error(&reader, "unbalanced end tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Ok(Event::Eof) => return Err(error(&reader, "the document ended early".into())),
            Ok(_) => {}
            Err(e) => return Err(error(&reader, e.to_string())),
        }
    }
}

/// Builds a SOAP body with every element qualified in one namespace (prefix `ns`).
pub struct BodyWriter {
    writer: Writer<Vec<u8>>,
}

impl BodyWriter {
    fn write(&mut self, event: Event<'_>) {
        // Writing into a Vec cannot fail.
        let _ = self.writer.write_event(event);
    }

    /// Opens `<ns:name>`.
    pub fn open(&mut self, name: &str) -> &mut Self {
        self.write(Event::Start(BytesStart::new(format!("ns:{name}"))));
        self
    }

    /// Closes `</ns:name>`.
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.write(Event::End(BytesEnd::new(format!("ns:{name}"))));
        self
    }

    /// Writes `<ns:name>value</ns:name>` with the value escaped.
    pub fn leaf(&mut self, name: &str, value: &str) -> &mut Self {
        self.open(name);
        self.write(Event::Text(BytesText::new(value)));
        self.close(name)
    }

    /// Writes a leaf when the value is present.
    pub fn optional(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.leaf(name, value);
        }
        self
    }
}

/// Writes the envelope around whatever `body` puts inside `<soapenv:Body>`.
fn in_envelope(namespace: &str, body: impl FnOnce(&mut BodyWriter)) -> String {
    let mut w = BodyWriter {
        writer: Writer::new(Vec::new()),
    };
    w.write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut env = BytesStart::new("soapenv:Envelope");
    env.push_attribute(("xmlns:soapenv", SOAP_ENV));
    env.push_attribute(("xmlns:ns", namespace));
    w.write(Event::Start(env));
    w.write(Event::Start(BytesStart::new("soapenv:Body")));
    body(&mut w);
    w.write(Event::End(BytesEnd::new("soapenv:Body")));
    w.write(Event::End(BytesEnd::new("soapenv:Envelope")));
    String::from_utf8(w.writer.into_inner()).unwrap_or_default()
}

/// A complete SOAP 1.1 envelope whose body holds `<ns:element xmlns:ns="namespace">…</ns:element>`.
pub fn envelope(namespace: &str, element: &str, body: impl FnOnce(&mut BodyWriter)) -> String {
    in_envelope(namespace, |w| {
        w.open(element);
        body(w);
        w.close(element);
    })
}

/// A SOAP 1.1 fault (`faultcode` is `soapenv:Server` or `soapenv:Client`); its detail, when an
/// operation is given, is `<ns:{op}FaultInfo>` with RetCode and FaultMsg in the order the
/// operation's WSDL declares.
pub fn fault(
    namespace: &str,
    fault_code: &str,
    detail: Option<(&str, i32, bool)>,
    message: &str,
) -> String {
    in_envelope(namespace, |w| {
        w.write(Event::Start(BytesStart::new("soapenv:Fault")));
        for (name, value) in [("faultcode", fault_code), ("faultstring", message)] {
            w.write(Event::Start(BytesStart::new(name)));
            w.write(Event::Text(BytesText::new(value)));
            w.write(Event::End(BytesEnd::new(name)));
        }
        if let Some((operation, code, message_first)) = detail {
            w.write(Event::Start(BytesStart::new("detail")));
            let info = format!("{operation}FaultInfo");
            w.open(&info);
            let code = code.to_string();
            if message_first {
                w.leaf("FaultMsg", message).leaf("RetCode", &code);
            } else {
                w.leaf("RetCode", &code).leaf("FaultMsg", message);
            }
            w.close(&info);
            w.write(Event::End(BytesEnd::new("detail")));
        }
        w.write(Event::End(BytesEnd::new("soapenv:Fault")));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_escape_values_and_parse_back_by_local_name() {
        let xml = envelope("urn:x", "RunCampaign", |w| {
            w.leaf("CampaignName", "Sales <A&B> \"Q4\"");
        });
        assert!(xml.contains("Sales &lt;A&amp;B&gt;"), "{xml}");
        let root = parse(&xml).unwrap();
        let op = root.find("RunCampaign").unwrap();
        assert_eq!(op.text_of("CampaignName"), Some("Sales <A&B> \"Q4\""));
    }

    #[test]
    fn faults_keep_the_declared_element_order() {
        let xml = fault(
            "urn:x",
            "soapenv:Server",
            Some(("AddToDNCList", -9, true)),
            "Address already there in DNC list.",
        );
        let info = parse(&xml)
            .unwrap()
            .find("AddToDNCListFaultInfo")
            .cloned()
            .unwrap();
        assert_eq!(info.children[0].name, "FaultMsg");
        assert_eq!(info.text_of("RetCode"), Some("-9"));
    }

    #[test]
    fn hostile_nesting_is_refused() {
        let deep = "<a>".repeat(10_000);
        assert!(parse(&deep).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn malformed_documents_are_errors_not_panics() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("not xml at all").is_err());
    }
}

//! Scheduled exports by e-mail through lettre (SMTP with STARTTLS or TLS required, and
//! authentication when configured): a run's file attached, or above the attachment limit a link
//! that needs sign-in; and the notice that a delivery failed for good. The text says what the
//! file holds (report, days, rows, SHA-256), never the rows themselves.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::settings::{SmtpSecurity, SmtpSettings};

/// A message to send: its subject and text, and the file to attach, if any.
pub struct Outgoing {
    /// The recipients, in `Bcc` only: none of them learns who else receives the file.
    pub to: Vec<String>,
    /// The same for every attempt of one delivery, so a receiver can drop a repeated message.
    pub message_id: String,
    pub subject: String,
    pub text: String,
    pub attachment: Option<(String, &'static str, Vec<u8>)>,
}

fn transport(smtp: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let tls = || -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(smtp.host.clone());
        if let Some(path) = &smtp.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                format!(
                    "the certificate file {} cannot be read: {e}",
                    path.display()
                )
            })?;
            let certificate = Certificate::from_pem(&pem)
                .map_err(|e| format!("the certificate file {} is not PEM: {e}", path.display()))?;
            builder = builder.add_root_certificate(certificate);
        }
        builder
            .build_rustls()
            .map_err(|e| format!("TLS cannot be set up: {e}"))
    };
    let security = match smtp.security {
        SmtpSecurity::StartTls => Tls::Required(tls()?),
        SmtpSecurity::Tls => Tls::Wrapper(tls()?),
        SmtpSecurity::None => Tls::None,
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.clone())
        .port(smtp.port)
        .tls(security)
        .timeout(Some(smtp.timeout));
    if let Some((user, password)) = &smtp.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// The message as lettre builds it.
fn message(smtp: &SmtpSettings, outgoing: Outgoing) -> Result<Message, String> {
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e| format!("the sender {} is not an address: {e}", smtp.from))?;
    let domain = from.email.domain().to_string();
    let mut builder = Message::builder()
        .from(from)
        .subject(outgoing.subject)
        .message_id(Some(format!("<{}@{domain}>", outgoing.message_id)));
    for to in &outgoing.to {
        let mailbox: Mailbox = to
            .parse()
            .map_err(|e| format!("{to} is not an address: {e}"))?;
        builder = builder.bcc(mailbox);
    }
    let text = SinglePart::plain(outgoing.text);
    let built = match outgoing.attachment {
        None => builder.singlepart(text),
        Some((name, content_type, bytes)) => {
            let content_type = ContentType::parse(content_type).map_err(|e| e.to_string())?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(text)
                    .singlepart(Attachment::new(name).body(bytes, content_type)),
            )
        }
    };
    built.map_err(|e| format!("the message cannot be built: {e}"))
}

/// Sends one message; the error says what went wrong in words (never the password).
pub async fn send(smtp: &SmtpSettings, outgoing: Outgoing) -> Result<String, String> {
    let id = outgoing.message_id.clone();
    let message = message(smtp, outgoing)?;
    let transport = transport(smtp)?;
    transport.send(message).await.map_err(|e| {
        let what = if e.is_permanent() {
            "the mail server refused the message"
        } else if e.is_transient() {
            "the mail server could not take the message now"
        } else {
            "the mail server could not be reached"
        };
        format!("{what} ({}:{}): {e}", smtp.host, smtp.port)
    })?;
    Ok(id)
}

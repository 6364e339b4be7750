//! An SMTP receiver: enough of RFC 5321 for a client to deliver to it
//! (`EHLO`, `AUTH PLAIN` and `LOGIN`, `MAIL`, `RCPT`, `DATA`, `RSET`,
//! `QUIT`), in clear text, each message recorded; or a server that
//! misbehaves as the test says.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::mime;

/// How long a hanging server holds a connection: longer than any test.
const HANG: Duration = Duration::from_secs(3600);
/// A line longer than this ends the session (RFC 5321 allows 1000).
const LINE_BYTES_MAX: usize = 64 * 1024;

/// How the server behaves with each connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpBehaviour {
    /// Delivers every message.
    Accept,
    /// Closes the connection before its greeting.
    CloseAtConnect,
    /// Accepts the connection and never says a word.
    Hang,
    /// Refuses every recipient with `550`.
    RefuseRecipients,
    /// Refuses every login with `535`.
    RefuseLogin,
}

/// A message as the server got it.
#[derive(Clone, Debug, Default)]
pub struct ReceivedMail {
    /// The name the client gave in `EHLO`.
    pub hello: String,
    /// The user and password of `AUTH`, when the client logged in.
    pub login: Option<(String, String)>,
    /// The envelope: `MAIL FROM` and each `RCPT TO`.
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent, dot-stuffing undone, `\r\n` line ends.
    pub data: String,
}

impl ReceivedMail {
    /// A header's value (any case), unfolded, its encoded words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        let (headers, _) = mime::split(&self.data);
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| mime::decode_words(v))
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The body as a person reads it: decoded, with `\n` line ends.
    pub fn text(&self) -> String {
        let (_, body) = mime::split(&self.data);
        mime::decode_body(self.header("Content-Transfer-Encoding").as_deref(), &body)
    }
}

#[derive(Default)]
struct Shared {
    behaviour: Mutex<Option<SmtpBehaviour>>,
    received: Mutex<Vec<ReceivedMail>>,
    /// Every login tried, accepted or not.
    logins: Mutex<Vec<(String, String)>>,
    arrived: Notify,
}

/// An SMTP server on 127.0.0.1, without TLS (`tls: "none"` in a channel).
pub struct SmtpReceiver {
    address: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl SmtpReceiver {
    /// A server on a free port that delivers every message.
    pub async fn start() -> SmtpReceiver {
        SmtpReceiver::start_with(SmtpBehaviour::Accept).await
    }

    pub async fn start_with(behaviour: SmtpBehaviour) -> SmtpReceiver {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let address = listener.local_addr().expect("its address");
        let shared = Arc::new(Shared::default());
        *shared.behaviour.lock().expect("lock") = Some(behaviour);
        let accepting = shared.clone();
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, accepting.clone()));
            }
        });
        SmtpReceiver {
            address,
            shared,
            server,
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn set_behaviour(&self, behaviour: SmtpBehaviour) {
        *self.shared.behaviour.lock().expect("lock") = Some(behaviour);
    }

    /// Every message delivered so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.shared.received.lock().expect("lock").clone()
    }

    /// Every login tried so far, accepted or not.
    pub fn logins(&self) -> Vec<(String, String)> {
        self.shared.logins.lock().expect("lock").clone()
    }

    /// The messages once there are at least `count`, or all there are
    /// after `within`.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let arrived = self.shared.arrived.notified();
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.received();
            }
        }
    }

    /// Closes the port: new connections are refused.
    pub async fn stop(mut self) {
        self.server.abort();
        let _ = (&mut self.server).await;
    }
}

impl Drop for SmtpReceiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let behaviour = shared
        .behaviour
        .lock()
        .expect("lock")
        .unwrap_or(SmtpBehaviour::Accept);
    match behaviour {
        SmtpBehaviour::CloseAtConnect => return,
        SmtpBehaviour::Hang => {
            tokio::time::sleep(HANG).await;
            drop(stream);
            return;
        }
        _ => {}
    }
    let (read, mut write) = stream.into_split();
    let mut lines = Lines(BufReader::new(read));
    let mut mail = ReceivedMail::default();
    if write
        .write_all(b"220 receiver.test ESMTP\r\n")
        .await
        .is_err()
    {
        return;
    }
    while let Some(line) = lines.next().await {
        let upper = line.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            mail.hello = line[4..].trim().to_owned();
            "250-receiver.test\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 OK"
                .into()
        } else if upper.starts_with("AUTH PLAIN") {
            let initial = line[10..].trim().to_owned();
            let encoded = if initial.is_empty() {
                if write.write_all(b"334 \r\n").await.is_err() {
                    return;
                }
                lines.next().await.unwrap_or_default()
            } else {
                initial
            };
            let decoded = decode(&encoded);
            let mut parts = decoded.split('\0').skip(1);
            let login = (
                parts.next().unwrap_or_default().to_owned(),
                parts.next().unwrap_or_default().to_owned(),
            );
            login_reply(&shared, behaviour, login, &mut mail)
        } else if upper.starts_with("AUTH LOGIN") {
            let mut asked = Vec::new();
            for prompt in [b"334 VXNlcm5hbWU6\r\n", b"334 UGFzc3dvcmQ6\r\n"] {
                if write.write_all(prompt).await.is_err() {
                    return;
                }
                asked.push(decode(&lines.next().await.unwrap_or_default()));
            }
            let login = (asked[0].clone(), asked[1].clone());
            login_reply(&shared, behaviour, login, &mut mail)
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = path(&line[10..]);
            mail.to.clear();
            "250 2.1.0 OK".into()
        } else if upper.starts_with("RCPT TO:") {
            if behaviour == SmtpBehaviour::RefuseRecipients {
                "550 5.1.1 Mailbox unavailable".into()
            } else {
                mail.to.push(path(&line[8..]));
                "250 2.1.5 OK".into()
            }
        } else if upper == "DATA" {
            if write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await
                .is_err()
            {
                return;
            }
            let mut data: Vec<String> = Vec::new();
            while let Some(line) = lines.next().await {
                if line == "." {
                    break;
                }
                // A line the client began with a dot had one added (RFC 5321, 4.5.2).
                data.push(line.strip_prefix('.').unwrap_or(&line).to_owned());
            }
            // The line break before the final dot belongs to the terminator.
            mail.data = data.join("\r\n");
            shared.received.lock().expect("lock").push(mail.clone());
            shared.arrived.notify_waiters();
            "250 2.0.0 Queued".into()
        } else if upper == "RSET" || upper == "NOOP" {
            "250 OK".into()
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
            return;
        } else {
            "502 5.5.2 Command not recognised".into()
        };
        if write
            .write_all(format!("{reply}\r\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}

fn login_reply(
    shared: &Shared,
    behaviour: SmtpBehaviour,
    login: (String, String),
    mail: &mut ReceivedMail,
) -> String {
    shared.logins.lock().expect("lock").push(login.clone());
    if behaviour == SmtpBehaviour::RefuseLogin {
        "535 5.7.8 Authentication credentials invalid".into()
    } else {
        mail.login = Some(login);
        "235 2.7.0 Authentication successful".into()
    }
}

fn decode(base64: &str) -> String {
    String::from_utf8_lossy(&STANDARD.decode(base64.trim()).unwrap_or_default()).into_owned()
}

/// `<awa@example.ci> SIZE=123` → `awa@example.ci`.
fn path(argument: &str) -> String {
    let argument = argument.trim();
    let end = argument.find('>').map_or(argument.len(), |i| i + 1);
    argument[..end]
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}

/// Lines without their `\r\n`, `None` at the end of the connection.
struct Lines(BufReader<tokio::net::tcp::OwnedReadHalf>);

impl Lines {
    async fn next(&mut self) -> Option<String> {
        let mut line = Vec::new();
        let read = (&mut self.0)
            .take(LINE_BYTES_MAX as u64)
            .read_until(b'\n', &mut line)
            .await
            .ok()?;
        if read == 0 {
            return None;
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        Some(String::from_utf8_lossy(&line).into_owned())
    }
}

//! Just enough of MIME to read back the French text of a message sent as
//! a mail client sends it: headers unfolded, RFC 2047 encoded words
//! (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded, and a body in base64 or
//! quoted-printable decoded.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A message's headers, unfolded, and its body, as they were sent.
pub fn split(message: &str) -> (Vec<(String, String)>, String) {
    let normalised = message.replace("\r\n", "\n");
    let (head, body) = normalised.split_once("\n\n").unwrap_or((&normalised, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    (headers, body.to_owned())
}

/// A header's value with its encoded words decoded; the spaces between
/// two encoded words are dropped, as RFC 2047 says.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        if !(after_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let word = &rest[start + 2..];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let Some(end) = parts.get(2).and_then(|p| p.find("?=")) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let (encoding, text) = (parts[1], &parts[2][..end]);
        let bytes = if encoding.eq_ignore_ascii_case("b") {
            STANDARD.decode(text).unwrap_or_default()
        } else {
            quoted_printable(&text.replace('_', " "))
        };
        out.push_str(&String::from_utf8_lossy(&bytes));
        let consumed = start + 2 + parts[0].len() + 1 + parts[1].len() + 1 + end + 2;
        rest = &rest[consumed..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

/// A body as its `Content-Transfer-Encoding` says, with `\n` line ends.
pub fn decode_body(encoding: Option<&str>, body: &str) -> String {
    let bytes = match encoding.map(str::to_ascii_lowercase).as_deref() {
        Some("base64") => STANDARD
            .decode(
                body.chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            )
            .unwrap_or_default(),
        Some("quoted-printable") => quoted_printable(body),
        _ => body.as_bytes().to_vec(),
    };
    String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

//! Which stored encoding of a file a client takes, read from its
//! `Accept-Encoding` (RFC 9110 §12.5.3, weights included).

/// The encodings each text file is stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` value; none for the file as it is.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }

    /// The encodings the client takes, the one it weighs most first,
    /// brotli (the smaller) before gzip when it weighs them alike; the file
    /// as it is always last, whatever the header says (RFC 9110 allows it
    /// when nothing else is acceptable).
    pub fn preferred(accept_encoding: Option<&str>) -> Vec<Encoding> {
        let accept = accept_encoding.unwrap_or_default();
        let mut taken: Vec<(f32, Encoding)> = [Encoding::Brotli, Encoding::Gzip]
            .into_iter()
            .filter_map(|e| {
                let q = weight(accept, e.header().unwrap_or_default());
                (q > 0.0).then_some((q, e))
            })
            .collect();
        // Stable: brotli stays first on equal weights.
        taken.sort_by(|a, b| b.0.total_cmp(&a.0));
        taken
            .into_iter()
            .map(|(_, e)| e)
            .chain([Encoding::Identity])
            .collect()
    }

    /// The one the client weighs most.
    #[cfg(test)]
    fn chosen(accept_encoding: Option<&str>) -> Encoding {
        Encoding::preferred(accept_encoding)[0]
    }
}

/// The weight the header gives `coding`: its own entry's, else `*`'s, else 0.
fn weight(accept: &str, coding: &str) -> f32 {
    let mut any = None;
    for entry in accept.split(',') {
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| p.trim().split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(Some(1.0), |(_, value)| value.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q))
            .unwrap_or(0.0);
        if name.eq_ignore_ascii_case(coding) {
            return q;
        }
        if name == "*" {
            any = Some(q);
        }
    }
    any.unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_gets_brotli_and_an_older_client_gzip() {
        assert_eq!(
            Encoding::chosen(Some("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::chosen(Some("gzip, deflate")), Encoding::Gzip);
        assert_eq!(Encoding::chosen(Some("GZIP")), Encoding::Gzip);
    }

    #[test]
    fn no_header_or_no_known_coding_gets_the_file_as_it_is() {
        assert_eq!(Encoding::chosen(None), Encoding::Identity);
        assert_eq!(Encoding::chosen(Some("")), Encoding::Identity);
        assert_eq!(Encoding::chosen(Some("identity")), Encoding::Identity);
        assert_eq!(Encoding::chosen(Some("deflate, zstd")), Encoding::Identity);
    }

    #[test]
    fn the_file_as_it_is_comes_last_in_every_order() {
        assert_eq!(
            Encoding::preferred(Some("gzip;q=0.5, br")),
            [Encoding::Brotli, Encoding::Gzip, Encoding::Identity]
        );
        assert_eq!(
            Encoding::preferred(Some("gzip, br;q=0.1")),
            [Encoding::Gzip, Encoding::Brotli, Encoding::Identity]
        );
        assert_eq!(Encoding::preferred(None), [Encoding::Identity]);
    }

    #[test]
    fn weights_are_read_and_zero_refuses() {
        assert_eq!(Encoding::chosen(Some("br;q=0, gzip;q=0.8")), Encoding::Gzip);
        assert_eq!(
            Encoding::chosen(Some("br;q=0.5, gzip;q=0.9")),
            Encoding::Gzip
        );
        assert_eq!(
            Encoding::chosen(Some("br;q=0, gzip;q=0")),
            Encoding::Identity
        );
        assert_eq!(Encoding::chosen(Some("*")), Encoding::Brotli);
        assert_eq!(Encoding::chosen(Some("*;q=0.5, br;q=0")), Encoding::Gzip);
        assert_eq!(
            Encoding::chosen(Some("br;q=nonsense, gzip")),
            Encoding::Gzip,
            "an unreadable weight counts as refused"
        );
    }
}

//! The rules every CSV of stockroom follows, written once: headers in French
//! (or English with `?lang=en`), UTF-8 with `,`, or with `?excel=1` a
//! byte-order mark and `;` (what French Excel opens); text cells a
//! spreadsheet could run as a formula neutralised with a leading `'`, but
//! never a number stockroom wrote nor an E.164 phone; and, to read a file
//! back, the same rules undone: either language, `,` or `;`, with or
//! without a byte-order mark, the `'` an export added taken off.

use std::borrow::Cow;

use super::Lang;

/// The byte-order mark an Excel file starts with.
pub const BOM: &str = "\u{feff}";

/// How a CSV is written: the language of its headers (and of the words in
/// its cells, like statuses), and whether it is made for Excel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvStyle {
    pub lang: Lang,
    /// A byte-order mark first and `;` between cells.
    pub excel: bool,
}

impl CsvStyle {
    pub fn delimiter(self) -> u8 {
        if self.excel { b';' } else { b',' }
    }
}

/// A column: its header in each language. The English one is also the
/// name the API gives the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub en: &'static str,
    pub fr: &'static str,
}

impl Column {
    pub const fn new(en: &'static str, fr: &'static str) -> Column {
        Column { en, fr }
    }

    pub fn header(self, lang: Lang) -> &'static str {
        lang.pick(self.fr, self.en)
    }

    /// Whether a file's header names this column, in either language;
    /// case and surrounding spaces do not matter.
    pub fn is_named(self, header: &str) -> bool {
        let header = header.trim();
        header.eq_ignore_ascii_case(self.en) || header.to_lowercase() == self.fr.to_lowercase()
    }
}

/// One cell as stockroom writes it.
#[derive(Clone, Copy, Debug)]
pub enum Cell<'a> {
    /// Text from a person or the catalog: neutralised if a spreadsheet
    /// could run it.
    Text(&'a str),
    /// A number stockroom computed (a signed quantity, a difference): as is.
    Number(i64),
    /// A phone: as is when in E.164 form (`+` then digits), else as text.
    Phone(&'a str),
}

/// The characters a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` starts, after any `'`, with a formula's first character.
/// An export prefixes exactly these with one `'`, and an import takes one
/// `'` off exactly these, so export → import gives every text back (a text
/// that already started with `'=` is written `''=` and read `'=`).
fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// `text` as written in a cell: `'` first when a spreadsheet could run it.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as read back: the `'` that `neutralised` added taken off.
pub fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// Whether `text` is a phone in E.164 form: `+` then 1 to 15 digits.
pub fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (1..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A CSV being written in memory, with the style's mark, separator and
/// header, and `\r\n` after every row (RFC 4180, what Excel writes).
pub struct CsvOut {
    writer: csv::Writer<Vec<u8>>,
    /// Every row has as many cells as the header has columns.
    columns: usize,
}

impl CsvOut {
    /// A new file whose first row is the headers of `columns` in the style's language.
    pub fn new(style: CsvStyle, columns: &[Column]) -> CsvOut {
        let start = if style.excel {
            BOM.as_bytes().to_vec()
        } else {
            Vec::new()
        };
        let writer = csv::WriterBuilder::new()
            .delimiter(style.delimiter())
            .terminator(csv::Terminator::CRLF)
            .from_writer(start);
        let mut out = CsvOut {
            writer,
            columns: columns.len(),
        };
        let headers: Vec<Cell<'_>> = columns
            .iter()
            .map(|c| Cell::Text(c.header(style.lang)))
            .collect();
        out.row(&headers);
        out
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[Cell<'_>]) {
        debug_assert_eq!(cells.len(), self.columns, "a row as wide as its header");
        let fields = cells.iter().map(|cell| match *cell {
            Cell::Text(text) => neutralised(text),
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Phone(phone) if is_e164(phone) => Cow::Borrowed(phone),
            Cell::Phone(text) => neutralised(text),
        });
        // Writing to memory cannot fail: the writer's only errors are its
        // sink's, and a `Vec` takes every byte.
        let _ = self.writer.write_record(fields.map(|f| f.into_owned()));
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.writer
            .into_inner()
            .unwrap_or_else(|e| e.into_inner().get_ref().clone())
    }
}

/// A CSV to read: its byte-order mark taken off and its separator found
/// from its header line (`;` when it has more of them than of `,`); with
/// the count of its lines, to name the line of a record.
pub fn reader(data: &[u8]) -> (csv::Reader<&[u8]>, Lines<'_>) {
    let data = data.strip_prefix(BOM.as_bytes()).unwrap_or(data);
    let reader = csv::ReaderBuilder::new()
        .delimiter(separator(data))
        .trim(csv::Trim::All)
        .from_reader(data);
    (
        reader,
        Lines {
            data,
            at: 0,
            line: 1,
        },
    )
}

/// The line numbers of a file read in order. The reader's own count is one
/// short after a `\r\n` (it places a record at the `\n` that ends the line
/// before); this one counts the line a record's first character is on.
pub struct Lines<'d> {
    data: &'d [u8],
    /// How far the count has gone, and the line there.
    at: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line of the record the reader placed at `position`.
    pub fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return self.line;
        };
        let mut start = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.data.len());
        // Blank lines and the end of the line before are not the record.
        while start < self.data.len() && matches!(self.data[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            let newlines = self.data[self.at..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line += newlines as u64;
            self.at = start;
        }
        self.line
    }
}

/// `;` or `,`, whichever the first line has more of outside quotes.
fn separator(data: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for &byte in data {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 3] = [
        Column::new("sku", "Référence"),
        Column::new("title", "Produit"),
        Column::new("difference", "Écart"),
    ];

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).expect("UTF-8")
    }

    #[test]
    fn headers_are_french_by_default_and_english_when_asked() {
        let fr = CsvOut::new(CsvStyle::default(), &COLUMNS).finish();
        assert_eq!(text(fr), "Référence,Produit,Écart\r\n");
        let en = CsvStyle {
            lang: Lang::En,
            excel: false,
        };
        assert_eq!(
            text(CsvOut::new(en, &COLUMNS).finish()),
            "sku,title,difference\r\n"
        );
    }

    #[test]
    fn an_excel_file_starts_with_a_byte_order_mark_and_uses_semicolons() {
        let excel = CsvStyle {
            lang: Lang::Fr,
            excel: true,
        };
        let mut out = CsvOut::new(excel, &COLUMNS);
        out.row(&[
            Cell::Text("A;B"),
            Cell::Text("Robe d'été"),
            Cell::Number(-3),
        ]);
        assert_eq!(
            text(out.finish()),
            "\u{feff}Référence;Produit;Écart\r\n\"A;B\";Robe d'été;-3\r\n"
        );
    }

    #[test]
    fn text_a_spreadsheet_could_run_is_neutralised_but_numbers_and_phones_are_not() {
        let mut out = CsvOut::new(CsvStyle::default(), &COLUMNS);
        out.row(&[Cell::Text("=1+1"), Cell::Text("-x"), Cell::Number(-2)]);
        out.row(&[
            Cell::Text("@a"),
            Cell::Text("\tt"),
            Cell::Phone("+2250701020304"),
        ]);
        out.row(&[Cell::Phone("+225 07"), Cell::Text("+"), Cell::Text("'=x")]);
        let file = text(out.finish());
        let rows: Vec<&str> = file.split("\r\n").skip(1).collect();
        assert_eq!(rows[0], "'=1+1,'-x,-2");
        assert_eq!(rows[1], "'@a,'\tt,+2250701020304");
        assert_eq!(rows[2], "'+225 07,'+,''=x");
    }

    #[test]
    fn reading_takes_off_only_the_quote_an_export_added() {
        for text in [
            "=1+1", "-x", "'=x", "''@", "l'été", "'hello", "+", "plain", "",
        ] {
            assert_eq!(unneutralised(&neutralised(text)), text, "{text:?}");
        }
        assert_eq!(unneutralised("'hello"), "'hello");
    }

    #[test]
    fn the_separator_is_found_from_the_header_line() {
        assert_eq!(separator(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(separator(b"a,b,c\n1;2;3"), b',');
        assert_eq!(separator(b"\"a;b\",c\n"), b',');
        let (mut rows, _) =
            reader("\u{feff}Référence;Produit\r\nA;\"Robe \"\"été\"\"\"\r\n".as_bytes());
        assert_eq!(rows.headers().expect("headers").get(0), Some("Référence"));
        let record = rows.records().next().expect("a row").expect("readable");
        assert_eq!(record.get(1), Some("Robe \"été\""));
    }

    #[test]
    fn a_column_is_named_in_either_language_whatever_the_case() {
        assert!(COLUMNS[0].is_named(" SKU "));
        assert!(COLUMNS[0].is_named("référence"));
        assert!(COLUMNS[2].is_named("ÉCART"));
        assert!(!COLUMNS[0].is_named("ref"));
    }

    #[test]
    fn only_plus_and_digits_are_an_e164_phone() {
        assert!(is_e164("+2250701020304"));
        assert!(!is_e164("+"));
        assert!(!is_e164("+225 0701"));
        assert!(!is_e164("2250701"));
        assert!(!is_e164("+1234567890123456"));
    }
}

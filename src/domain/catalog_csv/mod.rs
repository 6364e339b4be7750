//! The catalog as CSV, one line per variant: what `stockroom import` and
//! `POST /api/v1/admin/import/catalog` read, and what `stockroom export`
//! and `GET /api/v1/admin/export/catalog.csv` write, by the rules of
//! `csv_rules` (headers in either language, `,` or `;`, a byte-order mark
//! or not, neutralised cells read back).
//!
//! Product fields repeat on every line of the product and must agree. An
//! empty `stock` leaves a variant's stock as it is (0 for a new one); an
//! empty `sku` is made from slug, colour and size as the API does; an
//! empty `status` leaves a product's status as it is (active for a new one).

mod layout;
mod row;
mod write;

use std::collections::HashMap;

use super::csv_rules::{self, Column};
use super::invalid::FieldError;
use super::product::ProductFields;
use super::{Lang, ValidationError};
use layout::{Layout, layout};
use row::check_row;
pub use row::status_word;
pub use write::write;

/// The columns, in the order an export writes them.
pub const COLUMNS: [Column; 12] = [
    Column::new("slug", "Identifiant"),
    Column::new("title", "Produit"),
    Column::new("category", "Catégorie"),
    Column::new("description", "Description"),
    Column::new("price", "Prix"),
    Column::new("old_price", "Ancien prix"),
    Column::new("image_url", "Image"),
    Column::new("status", "Statut"),
    Column::new("size", "Taille"),
    Column::new("color", "Couleur"),
    Column::new("sku", "Référence"),
    Column::new("stock", "Stock"),
];
const REQUIRED: [&str; 3] = ["title", "price", "size"];

/// One product of an import, in the file's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProduct {
    /// `status` is the file's, or active when the file leaves it empty.
    pub fields: ProductFields,
    /// Whether the file gave a status; if not, a stored product keeps its own.
    pub status_given: bool,
    pub variants: Vec<ImportVariant>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportVariant {
    /// The file's line, for errors found against the database.
    pub line: u64,
    pub sku: String,
    pub size: String,
    pub color: Option<String>,
    /// `None` leaves the stock as it is (0 for a new variant).
    pub stock: Option<i64>,
}

/// A refused line of a file, the column at fault if one is, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    /// The column as the file's header names it (English when the header
    /// lacks it).
    pub field: Option<String>,
    pub fr: String,
    pub en: String,
}

impl LineError {
    pub fn new(line: u64, field: Option<&str>, fr: String, en: String) -> LineError {
        let field = field.map(str::to_owned);
        LineError {
            line,
            field,
            fr,
            en,
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.fr, &self.en)
    }

    /// The refusals as a validation error, each named `line N` (or
    /// `line N: column`), for callers that show fields.
    pub fn as_validation(errors: &[LineError]) -> ValidationError {
        let named = errors.iter().map(|e| {
            let field = match &e.field {
                Some(column) => format!("line {}: {column}", e.line),
                None => format!("line {}", e.line),
            };
            FieldError::new(field, e.fr.clone(), e.en.clone())
        });
        ValidationError(named.collect())
    }
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "line {}: {field}: {}", self.line, self.en),
            None => write!(f, "line {}: {}", self.line, self.en),
        }
    }
}

/// A file read: its products, and what its header calls each column.
#[derive(Debug)]
pub struct CatalogFile {
    pub products: Vec<ImportProduct>,
    names: Vec<(&'static str, String)>,
}

impl CatalogFile {
    /// Errors found later, against the database, name columns in English:
    /// this names them as the file's header does.
    pub fn rename_columns(&self, errors: &mut [LineError]) {
        for error in errors {
            let named = self
                .names
                .iter()
                .find(|(en, _)| Some(*en) == error.field.as_deref());
            if let Some((_, header)) = named {
                error.field = Some(header.clone());
            }
        }
    }
}

/// Reads and checks the whole file; every bad line is reported, and nothing
/// is returned to apply unless every line is good.
pub fn parse(data: &[u8]) -> Result<CatalogFile, Vec<LineError>> {
    let (mut reader, mut lines_of) = csv_rules::reader(data);
    let headers = match reader.headers() {
        Ok(headers) if headers.iter().any(|h| !h.is_empty()) => headers.clone(),
        Ok(_) => return Err(vec![empty_file()]),
        Err(error) => return Err(vec![unreadable(1, &error)]),
    };
    let layout = layout(&headers)?;
    let mut file = FileProducts::default();
    let mut lines = 0;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = lines_of.of(error.position());
                file.errors.push(unreadable(line, &error));
                continue;
            }
        };
        // A spreadsheet leaves rows of empty cells after the last one.
        if record.iter().all(str::is_empty) {
            continue;
        }
        lines += 1;
        let line = lines_of.of(record.position());
        match check_row(line, &layout, &record) {
            Ok((fields, status_given, variant)) => file.add(&layout, fields, status_given, variant),
            Err(reasons) => file.errors.extend(reasons),
        }
    }
    if lines == 0 && file.errors.is_empty() {
        return Err(vec![LineError::new(
            2,
            None,
            "Le fichier n'a aucune ligne après l'en-tête.".into(),
            "The file has no line after its header.".into(),
        )]);
    }
    let products = file.finish()?;
    let names = COLUMNS.iter().zip(&layout.found);
    let names = names.filter_map(|(c, found)| Some((c.en, found.as_ref()?.1.clone())));
    Ok(CatalogFile {
        products,
        names: names.collect(),
    })
}

fn empty_file() -> LineError {
    LineError::new(
        1,
        None,
        "Le fichier est vide : la première ligne doit nommer les colonnes.".into(),
        "The file is empty: its first line must name the columns.".into(),
    )
}

fn unreadable(line: u64, error: &csv::Error) -> LineError {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => LineError::new(
            line,
            None,
            "Cette ligne n'est pas en UTF-8 : enregistrez le fichier au format « CSV UTF-8 »."
                .into(),
            "This line is not UTF-8: save the file as \"CSV UTF-8\".".into(),
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => LineError::new(
            line,
            None,
            format!(
                "Cette ligne a {len} cellule(s) au lieu de {expected_len} : un séparateur ou un guillemet de trop ?"
            ),
            format!(
                "This line has {len} cell(s) instead of {expected_len}: a separator or a quote too many?"
            ),
        ),
        _ => LineError::new(
            line,
            None,
            format!("Cette ligne est illisible : {error}."),
            format!("This line cannot be read: {error}."),
        ),
    }
}

/// The file's lines gathered into products, with what they contradict.
#[derive(Default)]
struct FileProducts {
    products: Vec<(u64, ImportProduct)>,
    by_slug: HashMap<String, usize>,
    sku_lines: HashMap<String, u64>,
    errors: Vec<LineError>,
}

impl FileProducts {
    fn add(
        &mut self,
        layout: &Layout,
        fields: ProductFields,
        status_given: bool,
        variant: ImportVariant,
    ) {
        let line = variant.line;
        if let Some(first) = self.sku_lines.insert(variant.sku.clone(), line) {
            self.errors.push(LineError::new(
                line,
                Some(&layout.name("sku")),
                format!("La référence {} est déjà à la ligne {first}.", variant.sku),
                format!("sku {} is already on line {first}.", variant.sku),
            ));
            return;
        }
        let Some(&index) = self.by_slug.get(&fields.slug) else {
            self.by_slug
                .insert(fields.slug.clone(), self.products.len());
            let variants = vec![variant];
            self.products.push((
                line,
                ImportProduct {
                    fields,
                    status_given,
                    variants,
                },
            ));
            return;
        };
        let (first, product) = &mut self.products[index];
        if product.fields != fields || product.status_given != status_given {
            self.errors.push(LineError::new(
                line,
                None,
                format!("Les champs du produit « {} » diffèrent de sa ligne {first} : ils doivent être les mêmes sur chaque ligne du produit.", fields.slug),
                format!("The product fields of `{}` differ from its line {first}; they must be the same on every line.", fields.slug),
            ));
        } else if let Some(twin) = product
            .variants
            .iter()
            .find(|v| v.size == variant.size && v.color == variant.color)
        {
            self.errors.push(LineError::new(
                line,
                Some(&layout.name("size")),
                format!("Même taille et même couleur qu'à la ligne {}.", twin.line),
                format!("The same size and colour as line {}.", twin.line),
            ));
        } else {
            product.variants.push(variant);
        }
    }

    fn finish(mut self) -> Result<Vec<ImportProduct>, Vec<LineError>> {
        if self.errors.is_empty() {
            Ok(self.products.into_iter().map(|(_, p)| p).collect())
        } else {
            self.errors.sort_by_key(|e| e.line);
            Err(self.errors)
        }
    }
}

#[cfg(test)]
mod tests;

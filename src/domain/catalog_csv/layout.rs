//! Where a file has each column of the catalog, and what its header calls it.

use super::{COLUMNS, LineError, REQUIRED};
use crate::domain::csv_rules;

/// The file's columns: for each of `COLUMNS`, where the file has it and
/// what its header calls it.
pub(super) struct Layout {
    pub(super) found: [Option<(usize, String)>; COLUMNS.len()],
}

impl Layout {
    pub(super) fn cell<'r>(&self, record: &'r csv::StringRecord, key: &str) -> Option<&'r str> {
        let index = COLUMNS.iter().position(|c| c.en == key)?;
        let (at, _) = self.found[index].as_ref()?;
        let cell = csv_rules::unneutralised(record.get(*at)?);
        Some(cell).filter(|c| !c.is_empty())
    }

    /// The column `key` as the file names it.
    pub(super) fn name(&self, key: &str) -> String {
        let index = COLUMNS.iter().position(|c| c.en == key);
        match index.and_then(|i| self.found[i].as_ref()) {
            Some((_, header)) => header.clone(),
            None => key.to_owned(),
        }
    }
}

/// Where each known column is; every header must name one, once, and the
/// required ones must be there.
pub(super) fn layout(headers: &csv::StringRecord) -> Result<Layout, Vec<LineError>> {
    let mut layout = Layout {
        found: Default::default(),
    };
    let mut errors = Vec::new();
    let mut french = false;
    for (at, header) in headers.iter().enumerate() {
        let Some(index) = COLUMNS.iter().position(|c| c.is_named(header)) else {
            let known: Vec<&str> = COLUMNS.iter().map(|c| c.fr).collect();
            let known_en: Vec<&str> = COLUMNS.iter().map(|c| c.en).collect();
            errors.push(LineError::new(
                1,
                Some(header),
                format!(
                    "Colonne inconnue « {header} » (colonnes connues : {}).",
                    known.join(", ")
                ),
                format!(
                    "Unknown column `{header}` (known: {}).",
                    known_en.join(", ")
                ),
            ));
            continue;
        };
        french |= !COLUMNS[index].en.eq_ignore_ascii_case(header.trim());
        if layout.found[index].is_some() {
            errors.push(LineError::new(
                1,
                Some(header),
                format!("La colonne « {header} » apparaît deux fois."),
                format!("The column `{header}` appears twice."),
            ));
        }
        layout.found[index] = Some((at, header.trim().to_owned()));
    }
    for key in REQUIRED {
        let index = COLUMNS.iter().position(|c| c.en == key).unwrap_or_default();
        if layout.found[index].is_none() {
            let name = if french {
                COLUMNS[index].fr
            } else {
                COLUMNS[index].en
            };
            errors.push(LineError::new(
                1,
                Some(name),
                format!("La colonne « {name} » manque."),
                format!("The column `{name}` is missing."),
            ));
        }
    }
    if errors.is_empty() {
        Ok(layout)
    } else {
        Err(errors)
    }
}

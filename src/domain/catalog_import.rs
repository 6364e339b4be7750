//! The catalog import's decision, written once for both databases: from a
//! file's products and what the database holds of them, what to create,
//! what to update and which stock movements to write.
//!
//! Products are found by slug and variants by sku. What differs is written;
//! what is equal is left alone, so importing the same file twice changes
//! nothing the second time. Stock only moves through the ledger: `initial`
//! for a new variant, an `adjustment` for a level the file changes, both
//! noted [`IMPORT_NOTE`]. The store reads a [`StoredCatalog`] in its
//! transaction, asks [`ImportPlan::new`], and writes the plan in the same
//! transaction: all of it, or nothing when a line is refused. A dry run
//! writes it all the same and rolls it back, so that it answers exactly
//! what the import would do.

use std::collections::{HashMap, HashSet};

use super::catalog_csv::{ImportProduct, LineError};
use super::limits::VARIANTS_PER_PRODUCT_MAX;
use super::product::ProductFields;
use super::stock::MovementKind;

/// The note of every movement an import writes.
pub const IMPORT_NOTE: &str = "import CSV";
/// The admin action recorded for each product an import creates or changes.
pub const IMPORT_ACTION: &str = "product.import";

/// What an import changed; all zeros when it ran twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub products_created: usize,
    pub products_updated: usize,
    pub variants_created: usize,
    pub variants_updated: usize,
    pub stock_changed: usize,
}

/// A product the database holds, found by the slug of one of the file's products.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredProduct {
    pub id: String,
    pub fields: ProductFields,
}

/// A variant the database holds, with its stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredVariant {
    pub sku: String,
    pub product_id: String,
    pub size: String,
    /// As stored: empty for a variant without a colour.
    pub color: String,
    pub position: i64,
    pub available: i64,
}

/// What the database holds of the products and variants a file names.
#[derive(Clone, Debug, Default)]
pub struct StoredCatalog {
    /// The products whose slug is in the file.
    pub products: Vec<StoredProduct>,
    /// Every variant of those products, and every variant whose sku is in
    /// the file, whichever product it belongs to.
    pub variants: Vec<StoredVariant>,
}

/// The slugs and the skus of a file, sorted: what a backend looks up
/// before it plans.
pub fn named_keys(products: &[ImportProduct]) -> (Vec<&str>, Vec<&str>) {
    let mut slugs: Vec<&str> = products.iter().map(|p| p.fields.slug.as_str()).collect();
    let mut skus: Vec<&str> = products
        .iter()
        .flat_map(|p| &p.variants)
        .map(|v| v.sku.as_str())
        .collect();
    slugs.sort_unstable();
    skus.sort_unstable();
    (slugs, skus)
}

/// Everything an import writes, product by product in the file's order.
#[derive(Debug)]
pub struct ImportPlan<'f> {
    pub products: Vec<ProductStep<'f>>,
    pub summary: ImportSummary,
}

/// One product of the file: its row, then its variants.
#[derive(Debug)]
pub struct ProductStep<'f> {
    /// The stored product's id, or a new one.
    pub id: String,
    /// `None` when the database already holds the file's fields.
    pub write: Option<ProductWrite>,
    pub variants: Vec<VariantStep<'f>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ProductWrite {
    Create(ProductFields),
    /// New fields for the stored product, and a new version (its ETag).
    Update(ProductFields),
}

/// One variant of the file.
#[derive(Debug)]
pub struct VariantStep<'f> {
    /// The file's line, for what the database refuses all the same.
    pub line: u64,
    pub sku: &'f str,
    pub size: &'f str,
    /// As stored: empty for a variant without a colour.
    pub color: &'f str,
    /// `None` when the database already holds this size and colour.
    pub write: Option<VariantWrite>,
    /// `None` when the stock stays as it is.
    pub stock: Option<StockStep>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum VariantWrite {
    /// A new variant, shown after the sizes its product already has.
    Create { position: i64 },
    /// A new size or colour for the stored variant.
    Update,
}

/// The variant's stock level becomes `available`, recorded in the ledger
/// as one movement of `kind` that adds `quantity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StockStep {
    pub kind: MovementKind,
    /// Signed: what the movement adds to the stock.
    pub quantity: i64,
    /// The level once written: the movement's `available_after`.
    pub available: i64,
}

impl<'f> ImportPlan<'f> {
    /// Plans the import of `products` over what the database holds; every
    /// line the database contradicts is refused, by its line number.
    pub fn new(
        products: &'f [ImportProduct],
        stored: &StoredCatalog,
    ) -> Result<ImportPlan<'f>, Vec<LineError>> {
        let stored_products: HashMap<&str, &StoredProduct> = stored
            .products
            .iter()
            .map(|p| (p.fields.slug.as_str(), p))
            .collect();
        let stored_variants: HashMap<&str, &StoredVariant> = stored
            .variants
            .iter()
            .map(|v| (v.sku.as_str(), v))
            .collect();
        let mut by_product: HashMap<&str, Vec<&StoredVariant>> = HashMap::new();
        for variant in stored_variants.values() {
            by_product
                .entry(variant.product_id.as_str())
                .or_default()
                .push(variant);
        }
        let mut plan = ImportPlan {
            products: Vec::with_capacity(products.len()),
            summary: ImportSummary::default(),
        };
        let mut errors = Vec::new();
        for product in products {
            let (id, write) = match stored_products.get(product.fields.slug.as_str()) {
                None => {
                    plan.summary.products_created += 1;
                    let id = uuid::Uuid::new_v4().to_string();
                    (id, Some(ProductWrite::Create(product.fields.clone())))
                }
                Some(found) => {
                    let mut fields = product.fields.clone();
                    if !product.status_given {
                        fields.status = found.fields.status;
                    }
                    let changed = found.fields != fields;
                    if changed {
                        plan.summary.products_updated += 1;
                    }
                    let write = changed.then_some(ProductWrite::Update(fields));
                    (found.id.clone(), write)
                }
            };
            let siblings = by_product.get(id.as_str()).map_or(&[][..], Vec::as_slice);
            let mut step = ProductStep {
                id,
                write,
                variants: Vec::with_capacity(product.variants.len()),
            };
            plan_variants(
                product,
                &mut step,
                siblings,
                &stored_variants,
                &mut plan.summary,
                &mut errors,
            );
            plan.products.push(step);
        }
        if errors.is_empty() {
            Ok(plan)
        } else {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

/// Plans the variants of one product; `siblings` are the variants its
/// stored product already has.
fn plan_variants<'f>(
    product: &'f ImportProduct,
    step: &mut ProductStep<'f>,
    siblings: &[&StoredVariant],
    stored_variants: &HashMap<&str, &StoredVariant>,
    summary: &mut ImportSummary,
    errors: &mut Vec<LineError>,
) {
    // The stored variants this file leaves alone keep their size and colour.
    let in_file: HashSet<&str> = product.variants.iter().map(|v| v.sku.as_str()).collect();
    let untouched: Vec<&StoredVariant> = siblings
        .iter()
        .filter(|v| !in_file.contains(v.sku.as_str()))
        .copied()
        .collect();
    let mut next_position = siblings.iter().map(|v| v.position + 1).max().unwrap_or(0);
    let mut count = siblings.len();
    for variant in &product.variants {
        let color = variant.color.as_deref().unwrap_or("");
        if let Some(twin) = untouched
            .iter()
            .find(|v| v.size == variant.size && v.color == color)
        {
            errors.push(size_taken(variant.line, &variant.size, Some(&twin.sku)));
            continue;
        }
        let (write, stock) = match stored_variants.get(variant.sku.as_str()) {
            Some(found) if found.product_id != step.id => {
                errors.push(LineError::new(
                    variant.line,
                    Some("sku"),
                    format!(
                        "La référence {} appartient à un autre produit.",
                        variant.sku
                    ),
                    format!("The sku {} belongs to another product.", variant.sku),
                ));
                continue;
            }
            None if count >= VARIANTS_PER_PRODUCT_MAX => {
                errors.push(LineError::new(
                    variant.line,
                    Some("size"),
                    format!("Un produit a au plus {VARIANTS_PER_PRODUCT_MAX} tailles et couleurs ; celle-ci serait de trop."),
                    format!("A product has at most {VARIANTS_PER_PRODUCT_MAX} sizes and colours; this one would be one too many."),
                ));
                continue;
            }
            None => {
                count += 1;
                summary.variants_created += 1;
                let position = next_position;
                next_position += 1;
                // Every variant has a ledger, even at 0.
                let level = variant.stock.unwrap_or(0);
                let initial = StockStep {
                    kind: MovementKind::Initial,
                    quantity: level,
                    available: level,
                };
                (Some(VariantWrite::Create { position }), Some(initial))
            }
            Some(found) => {
                let write = (found.size != variant.size || found.color != color).then(|| {
                    summary.variants_updated += 1;
                    VariantWrite::Update
                });
                let stock = variant
                    .stock
                    .filter(|level| *level != found.available)
                    .map(|level| {
                        summary.stock_changed += 1;
                        StockStep {
                            kind: MovementKind::Adjustment,
                            quantity: level - found.available,
                            available: level,
                        }
                    });
                (write, stock)
            }
        };
        step.variants.push(VariantStep {
            line: variant.line,
            sku: &variant.sku,
            size: &variant.size,
            color,
            write,
            stock,
        });
    }
}

impl VariantStep<'_> {
    /// The refusal when the database finds this size and colour taken all
    /// the same: when variants of one product swap their sizes, the first
    /// one written still meets the other's.
    pub fn size_taken(&self) -> LineError {
        size_taken(self.line, self.size, None)
    }
}

/// The refusal of a size and colour another variant of the product has.
fn size_taken(line: u64, size: &str, other: Option<&str>) -> LineError {
    let (fr, en) = match other {
        Some(sku) => (format!(" ({sku})"), format!(" ({sku})")),
        None => (String::new(), String::new()),
    };
    LineError::new(
        line,
        Some("size"),
        format!("Une autre taille de ce produit{fr} a déjà la taille {size} et cette couleur."),
        format!("Another variant of this product{en} already has size {size} and this colour."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog_csv;

    const HEADER: &str =
        "slug,title,category,description,price,old_price,image_url,size,color,sku,stock\n";

    fn file(lines: &[&str]) -> Vec<ImportProduct> {
        catalog_csv::parse(format!("{HEADER}{}\n", lines.join("\n")).as_bytes())
            .expect("a good file")
            .products
    }

    fn robe(id: &str) -> StoredProduct {
        StoredProduct {
            id: id.into(),
            fields: file(&["robe,Robe,,,15000,,,M,,,"])[0].fields.clone(),
        }
    }

    fn variant(sku: &str, product_id: &str, size: &str, available: i64) -> StoredVariant {
        StoredVariant {
            sku: sku.into(),
            product_id: product_id.into(),
            size: size.into(),
            color: String::new(),
            position: 0,
            available,
        }
    }

    #[test]
    fn a_new_product_is_created_with_an_initial_movement_per_variant() {
        let products = file(&["robe,Robe,,,15000,,,M,,,5", "robe,Robe,,,15000,,,L,,,"]);
        let plan = ImportPlan::new(&products, &StoredCatalog::default()).expect("a plan");
        let step = &plan.products[0];
        assert!(matches!(step.write, Some(ProductWrite::Create(_))));
        let positions: Vec<_> = step.variants.iter().map(|v| &v.write).collect();
        assert_eq!(
            positions,
            [
                &Some(VariantWrite::Create { position: 0 }),
                &Some(VariantWrite::Create { position: 1 })
            ]
        );
        let stock: Vec<_> = step.variants.iter().map(|v| v.stock).collect();
        assert_eq!(
            stock,
            [
                Some(StockStep {
                    kind: MovementKind::Initial,
                    quantity: 5,
                    available: 5
                }),
                Some(StockStep {
                    kind: MovementKind::Initial,
                    quantity: 0,
                    available: 0
                })
            ]
        );
        assert_eq!(
            plan.summary,
            ImportSummary {
                products_created: 1,
                variants_created: 2,
                ..ImportSummary::default()
            }
        );
    }

    #[test]
    fn what_the_database_already_holds_is_left_alone() {
        let products = file(&["robe,Robe,,,15000,,,M,,,5", "robe,Robe,,,15000,,,L,,,"]);
        let stored = StoredCatalog {
            products: vec![robe("p1")],
            variants: vec![
                variant("ROBE-M", "p1", "M", 5),
                variant("ROBE-L", "p1", "L", 3),
            ],
        };
        let plan = ImportPlan::new(&products, &stored).expect("a plan");
        assert_eq!(plan.summary, ImportSummary::default());
        assert!(plan.products[0].write.is_none());
        assert!(
            plan.products[0]
                .variants
                .iter()
                .all(|v| v.write.is_none() && v.stock.is_none())
        );
    }

    #[test]
    fn a_changed_level_is_an_adjustment_by_the_difference() {
        let products = file(&["robe,Robe d'été,,,15000,,,M,,,2"]);
        let stored = StoredCatalog {
            products: vec![robe("p1")],
            variants: vec![variant("ROBE-M", "p1", "M", 5)],
        };
        let plan = ImportPlan::new(&products, &stored).expect("a plan");
        assert!(matches!(
            plan.products[0].write,
            Some(ProductWrite::Update(_))
        ));
        assert_eq!(
            plan.products[0].variants[0].stock,
            Some(StockStep {
                kind: MovementKind::Adjustment,
                quantity: -3,
                available: 2
            })
        );
        assert_eq!(
            plan.summary,
            ImportSummary {
                products_updated: 1,
                stock_changed: 1,
                ..ImportSummary::default()
            }
        );
    }

    #[test]
    fn a_new_variant_of_a_stored_product_comes_after_its_sizes() {
        let products = file(&["robe,Robe,,,15000,,,XL,,,1"]);
        let mut l = variant("ROBE-L", "p1", "L", 3);
        l.position = 4;
        let stored = StoredCatalog {
            products: vec![robe("p1")],
            variants: vec![variant("ROBE-M", "p1", "M", 5), l],
        };
        let plan = ImportPlan::new(&products, &stored).expect("a plan");
        assert_eq!(
            plan.products[0].variants[0].write,
            Some(VariantWrite::Create { position: 5 })
        );
    }

    #[test]
    fn every_line_the_database_contradicts_is_named() {
        let products = file(&[
            "robe,Robe,,,15000,,,M,,ROBE-M,1",
            "robe,Robe,,,15000,,,L,,JUPE-S,1",
            "robe,Robe,,,15000,,,S,,,1",
        ]);
        let stored = StoredCatalog {
            products: vec![robe("p1")],
            variants: vec![
                variant("ROBE-M", "p1", "M", 5),
                variant("OLD-S", "p1", "S", 0),
                variant("JUPE-S", "p2", "S", 0),
            ],
        };
        let refused = ImportPlan::new(&products, &stored).expect_err("refused lines");
        let lines: Vec<u64> = refused.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4], "{refused:?}");
        assert!(refused[0].en.contains("belongs to another product"));
        assert!(refused[1].en.contains("OLD-S"), "{refused:?}");
    }
}

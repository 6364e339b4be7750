use super::*;
use crate::domain::csv_rules::CsvStyle;
use crate::domain::product::{Product, ProductStatus};

const HEADER: &str =
    "slug,title,category,description,price,old_price,image_url,size,color,sku,stock\n";

#[test]
fn lines_of_one_slug_make_one_product_with_its_variants() {
    let file = format!(
        "{HEADER}robe-ete,Robe d'été,robes,,15000,,,M,,,5\nrobe-ete,Robe d'été,robes,,15000,,,L,,,\n"
    );
    let products = parse(file.as_bytes()).expect("a good file").products;
    assert_eq!(products.len(), 1);
    let variants = &products[0].variants;
    assert_eq!(variants[0].sku, "ROBE-ETE-M");
    assert_eq!((variants[0].stock, variants[1].stock), (Some(5), None));
    assert_eq!((variants[0].line, variants[1].line), (2, 3));
    assert!(!products[0].status_given);
}

#[test]
fn every_bad_line_is_named_with_its_column_and_reason() {
    let file = format!(
        "{HEADER}a,A,,,abc,,,M,,,1\nb,B,,,100,,,,,,1\nc,C,,,100,,,M,,,-4\nd,D,,,100,,,M,,A B,1\ne,E,,,100,,,M,,,1\ne,E2,,,100,,,L,,,1\n"
    );
    let errors = parse(file.as_bytes()).expect_err("bad lines");
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 7], "{errors:?}");
    let fields: Vec<Option<&str>> = errors.iter().map(|e| e.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            Some("price"),
            Some("size"),
            Some("stock"),
            Some("sku"),
            None
        ]
    );
    assert!(errors[0].fr.contains("« abc » n'est pas un nombre entier"));
    assert!(errors[4].en.contains("differ"), "{errors:?}");
}

#[test]
fn an_unknown_missing_or_repeated_column_is_refused_on_line_one() {
    let errors = parse(b"slug,title,cost,slug\n").expect_err("bad header");
    assert!(errors.iter().all(|e| e.line == 1));
    assert!(errors.iter().any(|e| e.en.contains("`cost`")), "{errors:?}");
    assert!(errors.iter().any(|e| e.en.contains("appears twice")));
    assert!(errors.iter().any(|e| e.en.contains("`price` is missing")));
    assert!(errors.iter().any(|e| e.en.contains("`size` is missing")));
}

#[test]
fn a_french_excel_file_with_a_byte_order_mark_and_crlf_reads_the_same() {
    let file = "\u{feff}Identifiant;Produit;Prix;Statut;Taille;Couleur;Référence;Stock\r\n\
        robe-ete;\"Robe \"\"d'été\"\"\";15 000;Brouillon;M;Écru;;'-\r\n;;;;;;;\r\n";
    let errors = parse(file.as_bytes()).expect_err("a neutralised minus is not a number");
    assert_eq!(errors[0].field.as_deref(), Some("Stock"));
    let negative = file.replace(";'-\r", ";-2\r");
    let errors = parse(negative.as_bytes()).expect_err("a negative stock");
    assert!(
        errors[0]
            .fr
            .starts_with("Le champ « Stock » doit être un entier"),
        "{errors:?}"
    );
    let file = file.replace(";'-\r", ";3\r");
    let products = parse(file.as_bytes()).expect("a good file").products;
    let robe = &products[0];
    assert_eq!(robe.fields.title, "Robe \"d'été\"");
    assert_eq!(robe.fields.price, 15_000);
    assert_eq!(robe.fields.status, ProductStatus::Draft);
    assert!(robe.status_given);
    assert_eq!(robe.variants[0].color.as_deref(), Some("Écru"));
    assert_eq!(robe.variants[0].stock, Some(3));
}

#[test]
fn a_missing_french_column_is_named_in_french() {
    let errors = parse("Produit;Prix\r\nRobe;100\r\n".as_bytes()).expect_err("no size");
    assert_eq!(errors[0].field.as_deref(), Some("Taille"));
    assert!(errors[0].fr.contains("« Taille » manque"));
}

#[test]
fn an_empty_file_or_one_without_lines_is_refused() {
    assert_eq!(parse(b"").expect_err("empty")[0].line, 1);
    assert_eq!(parse(HEADER.as_bytes()).expect_err("no line")[0].line, 2);
}

#[test]
fn a_line_with_too_many_cells_or_an_unknown_status_is_named() {
    let file = "title,price,size,status\nRobe,100,M,actif,x\nJupe,100,S,soldé\n";
    let errors = parse(file.as_bytes()).expect_err("bad lines");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].fr.contains("5 cellule(s) au lieu de 4"),
        "{errors:?}"
    );
    assert_eq!(errors[1].field.as_deref(), Some("status"));
}

#[test]
fn what_an_export_writes_reads_back_in_either_language_and_style() {
    let file = format!("{HEADER}=cmd,=Robe,-cat,@desc,100,,,+M,-,,2\n");
    let products = parse(file.as_bytes()).expect_err("a slug must be plain");
    assert_eq!(products[0].field.as_deref(), Some("slug"));
    let file = format!("{HEADER}robe,=Robe,-cat,@desc,100,,,+M,-,,2\n");
    let products = parse(file.as_bytes()).expect("a good file").products;
    let product = Product {
        id: "p1".into(),
        slug: products[0].fields.slug.clone(),
        title: products[0].fields.title.clone(),
        description: products[0].fields.description.clone(),
        category: products[0].fields.category.clone(),
        image_url: None,
        images: Vec::new(),
        price: 100,
        old_price: None,
        currency: "XOF".into(),
        status: ProductStatus::Archived,
        in_stock: true,
        variants: vec![crate::domain::product::Variant {
            sku: products[0].variants[0].sku.clone(),
            size: "+M".into(),
            color: Some("-".into()),
            available: 2,
            retired: false,
            low_stock_threshold: None,
            position: 0,
            low: false,
            received: 2,
            preorder: None,
        }],
        version: 1,
    };
    for lang in [Lang::Fr, Lang::En] {
        for excel in [false, true] {
            let written = write(
                std::slice::from_ref(&product),
                true,
                CsvStyle { lang, excel },
            );
            let read = parse(&written).expect("what an export writes").products;
            assert_eq!(read[0].fields.title, "=Robe");
            assert_eq!(read[0].fields.category, "-cat");
            assert_eq!(read[0].fields.description, "@desc");
            assert_eq!(read[0].fields.status, ProductStatus::Archived);
            assert_eq!(read[0].variants[0].size, "+M");
            assert_eq!(read[0].variants[0].color.as_deref(), Some("-"));
            assert_eq!(read[0].variants[0].stock, Some(2));
        }
    }
}

#[test]
fn lines_are_counted_alike_with_crlf_and_lf() {
    for end in ["\n", "\r\n"] {
        let file = format!("title,price,size{end}A,1,M{end}B,x,M{end}C,y,M{end}");
        let errors = parse(file.as_bytes()).expect_err("bad lines");
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4], "{end:?}");
    }
}

use std::io::Read;

use super::*;

/// Every `/assets/…` address a text names, up to its closing quote.
fn asset_addresses(text: &str) -> Vec<String> {
    text.match_indices("/assets/")
        .map(|(at, _)| {
            let rest = &text[at + 1..];
            let end = rest.find(['"', '\'']).unwrap_or(rest.len());
            rest[..end].to_owned()
        })
        .collect()
}

fn text_of(served: &Served) -> String {
    String::from_utf8(served.identity.clone()).expect("UTF-8")
}

#[test]
fn every_page_names_its_styles_scripts_and_icons_by_their_hashed_names() {
    let site = Site::build();
    for page in PAGES {
        let html = text_of(site.page(page.path).expect("the page"));
        let named = asset_addresses(&html);
        assert!(!named.is_empty(), "{}", page.path);
        for path in named {
            let (_, hashed) = site
                .asset(&path)
                .unwrap_or_else(|| panic!("{} names {path}, which is not served", page.path));
            assert!(hashed, "{} names {path} by its plain name", page.path);
        }
    }
}

#[test]
fn a_module_imports_the_others_by_their_hashed_names() {
    let site = Site::build();
    let shop = site.hashed_path("assets/shop.js").expect("hashed");
    let (served, _) = site.asset(shop).expect("served");
    let text = text_of(served);
    let common = site.hashed_path("assets/common.js").expect("hashed");
    let common = common.rsplit('/').next().expect("a name");
    assert!(text.contains(&format!("from './{common}'")), "{text}");
    assert!(!text.contains("'./common.js'"), "{text}");
    for file in ASSETS.iter().filter(|f| f.content_type == JS) {
        let hashed = site.hashed_path(file.path).expect("hashed");
        let text = text_of(site.asset(hashed).expect("served").0);
        for other in ASSETS.iter().filter(|f| f.content_type == JS) {
            let plain = specifier(file.path, other.path).expect("one folder");
            assert!(!names(&text, &plain), "{} imports {plain}", file.path);
        }
    }
}

#[test]
fn the_storefront_preloads_every_module_it_imports_and_none_of_the_back_office() {
    let site = Site::build();
    let html = text_of(site.page("index.html").expect("the storefront"));
    let preloaded: Vec<&str> = html
        .lines()
        .filter(|l| l.contains("rel=\"modulepreload\""))
        .collect();
    for module in [
        "common.js",
        "i18n.js",
        "shop-cart.js",
        "shop-views.js",
        "shop-checkout.js",
        "shop-identity.js",
        "shop-waitlist.js",
        "shop-drop.js",
        "shop-preorder.js",
    ] {
        let hashed = site
            .hashed_path(&format!("assets/{module}"))
            .expect("hashed");
        assert!(
            preloaded.iter().any(|l| l.contains(hashed)),
            "{module} is not preloaded:\n{html}"
        );
    }
    assert_eq!(preloaded.len(), 9, "{html}");
    assert!(!preloaded.iter().any(|l| l.contains("admin")), "{html}");
    let admin = text_of(site.page("admin.html").expect("the back office"));
    assert!(admin.matches("modulepreload").count() > 10, "{admin}");
}

const CHAIN: &[File] = &[
    File {
        path: "assets/a.js",
        bytes: b"import { b } from './b.js';\n",
        content_type: JS,
    },
    File {
        path: "assets/b.js",
        bytes: b"import { c } from \"./c.js\";\nexport const b = c;\n",
        content_type: JS,
    },
    File {
        path: "assets/c.js",
        bytes: b"export const c = 1;\n",
        content_type: JS,
    },
];

const CHAIN_CHANGED: &[File] = &[
    File {
        path: "assets/a.js",
        bytes: b"import { b } from './b.js';\n",
        content_type: JS,
    },
    File {
        path: "assets/b.js",
        bytes: b"import { c } from \"./c.js\";\nexport const b = c;\n",
        content_type: JS,
    },
    File {
        path: "assets/c.js",
        bytes: b"export const c = 2;\n",
        content_type: JS,
    },
];

#[test]
fn a_change_deep_in_the_imports_renames_every_module_that_leads_to_it() {
    let before = Site::from_files(&[], CHAIN);
    let after = Site::from_files(&[], CHAIN_CHANGED);
    for path in ["assets/a.js", "assets/b.js", "assets/c.js"] {
        assert_ne!(before.hashed_path(path), after.hashed_path(path), "{path}");
    }
    let b = after.hashed_path("assets/b.js").expect("hashed");
    let c = after.hashed_path("assets/c.js").expect("hashed");
    let b_text = text_of(after.asset(b).expect("served").0);
    assert!(
        b_text.contains(&format!("\"./{}\"", &c["assets/".len()..])),
        "{b_text}"
    );
}

const CYCLE: &[File] = &[
    File {
        path: "assets/a.js",
        bytes: b"import './b.js';\n",
        content_type: JS,
    },
    File {
        path: "assets/b.js",
        bytes: b"import './a.js';\n",
        content_type: JS,
    },
];

#[test]
fn modules_in_a_cycle_are_still_served_each_naming_the_other_somehow() {
    let site = Site::from_files(&[], CYCLE);
    for path in ["assets/a.js", "assets/b.js"] {
        let hashed = site.hashed_path(path).expect("hashed");
        assert!(site.asset(hashed).is_some() && site.asset(path).is_some());
    }
}

#[test]
fn each_compressed_copy_decodes_to_the_file_and_is_smaller() {
    let site = Site::build();
    let (style, _) = site.asset("assets/style.css").expect("the style");
    assert!(style.varies());
    let both = [Encoding::Brotli, Encoding::Gzip, Encoding::Identity];
    let (encoding, _, _) = style.body(&both);
    assert_eq!(encoding, Encoding::Gzip, "gzipped until brotli is done");
    site.compress_with_brotli();
    let (encoding, packed, etag) = style.body(&[Encoding::Gzip]);
    assert_eq!(encoding, Encoding::Gzip);
    assert!(etag.ends_with("-gzip\""), "{etag}");
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(packed)
        .read_to_end(&mut unpacked)
        .expect("gzip");
    assert_eq!(unpacked, style.identity);
    let (encoding, packed, _) = style.body(&both);
    assert_eq!(encoding, Encoding::Brotli);
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(packed, 4096)
        .read_to_end(&mut unpacked)
        .expect("brotli");
    assert_eq!(unpacked, style.identity);
    assert!(
        packed.len() * 3 < style.identity.len(),
        "brotli saves two thirds of a style sheet"
    );
}

#[test]
fn an_etag_of_any_encoding_names_the_same_content() {
    let site = Site::build();
    site.compress_with_brotli();
    let (style, _) = site.asset("assets/style.css").expect("the style");
    let (_, _, plain) = style.body(&[Encoding::Identity]);
    let (_, _, packed) = style.body(&[Encoding::Brotli]);
    assert_ne!(plain, packed);
    assert!(style.matches(&plain) && style.matches(&packed));
    assert!(style.matches(&format!("\"other\", W/{packed}")));
    assert!(!style.matches("\"0123456789abcdef0123\""));
}

//! The demo shop of `serve --demo`: a small catalog of the seed's kind, in
//! XOF, with one size already sold out and one product entirely sold out.

use crate::domain::product::{ProductInput, VariantInput};
use crate::domain::shop::{DeliveryZone, ShopPatch};
use crate::store::Store;

struct DemoProduct {
    slug: Option<&'static str>,
    title: &'static str,
    category: &'static str,
    description: &'static str,
    price: i64,
    old_price: Option<i64>,
    /// An illustration served by the binary (`web/assets/img/`).
    image_url: &'static str,
    /// (size, colour, units)
    variants: &'static [(&'static str, Option<&'static str>, i64)],
}

const CATALOG: &[DemoProduct] = &[
    DemoProduct {
        slug: Some("robe-ete"),
        title: "Robe d'été",
        category: "robes",
        description: "Robe légère en coton imprimé, coupe évasée, idéale pour la saison chaude.",
        price: 15000,
        old_price: Some(18000),
        image_url: "/assets/img/robe.svg",
        variants: &[
            ("S", None, 3),
            ("M", None, 5),
            ("L", None, 1),
            ("XL", None, 0),
        ],
    },
    DemoProduct {
        slug: None,
        title: "Chemise en lin",
        category: "chemises",
        description: "Chemise en lin lavé, manches longues, col classique.",
        price: 12000,
        old_price: None,
        image_url: "/assets/img/chemise.svg",
        variants: &[
            ("M", Some("Blanc"), 4),
            ("L", Some("Blanc"), 6),
            ("M", Some("Bleu"), 2),
            ("L", Some("Bleu"), 3),
        ],
    },
    DemoProduct {
        slug: None,
        title: "Jupe plissée",
        category: "jupes",
        description: "Jupe mi-longue plissée, taille élastique.",
        price: 9500,
        old_price: None,
        image_url: "/assets/img/jupe.svg",
        variants: &[("S", None, 2), ("M", None, 3), ("L", None, 2)],
    },
    DemoProduct {
        slug: None,
        title: "Ensemble pagne wax",
        category: "ensembles",
        description: "Haut et pantalon en wax, cousus à Abidjan.",
        price: 22000,
        old_price: Some(25000),
        image_url: "/assets/img/ensemble.svg",
        variants: &[("M", None, 4), ("L", None, 4), ("XL", None, 2)],
    },
    DemoProduct {
        slug: None,
        title: "Boubou brodé",
        category: "boubous",
        description: "Boubou ample brodé main. Nouvelle série bientôt disponible.",
        price: 30000,
        old_price: None,
        image_url: "/assets/img/boubou.svg",
        variants: &[("M", None, 0), ("L", None, 0), ("XL", None, 0)],
    },
    DemoProduct {
        slug: None,
        title: "T-shirt coton bio",
        category: "t-shirts",
        description: "T-shirt col rond en coton biologique.",
        price: 5000,
        old_price: None,
        image_url: "/assets/img/t-shirt.svg",
        variants: &[
            ("S", None, 8),
            ("M", None, 10),
            ("L", None, 10),
            ("XL", None, 6),
        ],
    },
];

/// Fills an empty database with the demo catalog and a `demo` admin, and
/// returns that admin's token.
/// The demo shop's owner: what she changes is recorded under this name.
pub const OWNER: &str = "demo";

/// The demo shop's name, how to reach it, and its delivery zones.
fn demo_shop() -> ShopPatch {
    let zone = |id: &str, name: &str, fee| DeliveryZone {
        id: id.into(),
        name: name.into(),
        fee,
    };
    ShopPatch {
        name: Some("Akwaba Mode".into()),
        tagline: Some("Mode ivoirienne en petites séries".into()),
        welcome: Some(
            "Robes, chemises, wax et boubous cousus à Abidjan. Le stock affiché est le vrai : commandez sans compte, nous vous appelons pour la livraison."
                .into(),
        ),
        logo_url: Some(Some("/assets/favicon.svg".into())),
        phone: Some("+225 07 00 00 00 00".into()),
        whatsapp: Some("+225 07 00 00 00 00".into()),
        address: Some("Cocody Angré, 7e tranche, Abidjan".into()),
        opening_hours: Some("Du lundi au samedi, de 9 h à 19 h".into()),
        delivery_zones: Some(vec![
            zone("boutique", "Retrait en boutique (Cocody)", 0),
            zone("cocody", "Cocody", 1500),
            zone("plateau", "Plateau", 2000),
            zone("yopougon", "Yopougon", 2000),
            zone("bingerville", "Bingerville", 3000),
        ]),
        currency: None,
    }
}

pub async fn seed(store: &Store) -> Result<String, String> {
    if !store
        .list_products(false)
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Err(
            "--demo needs an empty database: leave out --database-url to get a fresh one".into(),
        );
    }
    let admin = store
        .create_admin(OWNER, crate::domain::staff::Role::Owner)
        .await
        .map_err(|e| e.to_string())?;
    // The catalog lists the newest first: seeded backwards, the dress leads.
    for product in CATALOG.iter().rev() {
        let input = ProductInput {
            slug: product.slug.map(Into::into),
            title: Some(product.title.into()),
            category: Some(product.category.into()),
            description: Some(product.description.into()),
            price: Some(product.price),
            old_price: product.old_price,
            image_url: Some(product.image_url.into()),
            variants: Some(
                product
                    .variants
                    .iter()
                    .map(|(size, color, stock)| VariantInput {
                        size: Some((*size).into()),
                        color: color.map(Into::into),
                        stock: Some(*stock),
                        ..Default::default()
                    })
                    .collect(),
            ),
            ..Default::default()
        };
        let product = input.validate().map_err(|e| e.to_string())?;
        store
            .create_product(product, &admin.admin)
            .await
            .map_err(|e| e.to_string())?;
    }
    store
        .update_shop(demo_shop(), &admin.admin)
        .await
        .map_err(|e| e.to_string())?;
    admin
        .token
        .ok_or_else(|| "the demo owner was made without a token".to_owned())
}

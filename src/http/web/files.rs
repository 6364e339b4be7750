//! The files of `web/` compiled into the binary, each with its type: a
//! file missing here is a compile error, not a 404.

/// One embedded file as `web/` holds it.
pub struct File {
    /// Path under `web/`, as the pages name it after `/`.
    pub path: &'static str,
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

macro_rules! embed {
    ($path:literal, $content_type:expr) => {
        File {
            path: $path,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path)),
            content_type: $content_type,
        }
    };
}

pub const HTML: &str = "text/html; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";
pub const JS: &str = "text/javascript; charset=utf-8";
pub const SVG: &str = "image/svg+xml";

pub const STOREFRONT: &str = "index.html";
pub const BACK_OFFICE: &str = "admin.html";
pub const NOT_FOUND: &str = "404.html";

/// The pages, served at their own addresses and never under a hashed name.
pub const PAGES: &[File] = &[
    embed!("index.html", HTML),
    embed!("admin.html", HTML),
    embed!("404.html", HTML),
];

/// Every file under `/assets/`.
pub const ASSETS: &[File] = &[
    embed!("assets/style.css", CSS),
    embed!("assets/admin.css", CSS),
    embed!("assets/admin-desk.css", CSS),
    embed!("assets/common.js", JS),
    embed!("assets/i18n.js", JS),
    embed!("assets/shop.js", JS),
    embed!("assets/shop-cart.js", JS),
    embed!("assets/shop-views.js", JS),
    embed!("assets/shop-checkout.js", JS),
    embed!("assets/shop-identity.js", JS),
    embed!("assets/admin.js", JS),
    embed!("assets/admin-core.js", JS),
    embed!("assets/admin-i18n.js", JS),
    embed!("assets/admin-products.js", JS),
    embed!("assets/admin-variants.js", JS),
    embed!("assets/admin-photos.js", JS),
    embed!("assets/admin-movements.js", JS),
    embed!("assets/admin-receiving.js", JS),
    embed!("assets/admin-count.js", JS),
    embed!("assets/admin-orders.js", JS),
    embed!("assets/admin-orders-i18n.js", JS),
    embed!("assets/admin-order.js", JS),
    embed!("assets/admin-order-payment.js", JS),
    embed!("assets/admin-order-history.js", JS),
    embed!("assets/admin-order-dialogs.js", JS),
    embed!("assets/admin-order-return.js", JS),
    embed!("assets/admin-dialog.js", JS),
    embed!("assets/admin-desk-i18n.js", JS),
    embed!("assets/admin-desk-links.js", JS),
    embed!("assets/admin-customers.js", JS),
    embed!("assets/admin-picking.js", JS),
    embed!("assets/admin-print.js", JS),
    embed!("assets/admin-audit.js", JS),
    embed!("assets/admin-preorders.js", JS),
    embed!("assets/admin-preorders-i18n.js", JS),
    embed!("assets/admin-shop.js", JS),
    embed!("assets/admin-staff.js", JS),
    embed!("assets/admin-csv.js", JS),
    embed!("assets/admin-live.js", JS),
    embed!("assets/admin-live-stream.js", JS),
    embed!("assets/admin-events.js", JS),
    embed!("assets/admin-deliveries.js", JS),
    embed!("assets/admin-reglages.js", JS),
    embed!("assets/admin-settings-tabs.js", JS),
    embed!("assets/admin-journal.js", JS),
    embed!("assets/admin-webhooks.js", JS),
    embed!("assets/admin-notifications.js", JS),
    embed!("assets/admin-notifications-i18n.js", JS),
    embed!("assets/admin-notify-fields.js", JS),
    embed!("assets/admin-notify-email.js", JS),
    embed!("assets/admin-notify-sms.js", JS),
    embed!("assets/shop-waitlist.js", JS),
    embed!("assets/shop-drop.js", JS),
    embed!("assets/admin-drops.js", JS),
    embed!("assets/admin-drop-form.js", JS),
    embed!("assets/admin-drops-i18n.js", JS),
    embed!("assets/shop-preorder.js", JS),
    embed!("assets/favicon.svg", SVG),
    embed!("assets/img/robe.svg", SVG),
    embed!("assets/img/chemise.svg", SVG),
    embed!("assets/img/jupe.svg", SVG),
    embed!("assets/img/ensemble.svg", SVG),
    embed!("assets/img/boubou.svg", SVG),
    embed!("assets/img/t-shirt.svg", SVG),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_unique_path_under_assets() {
        for (i, a) in ASSETS.iter().enumerate() {
            assert!(a.path.starts_with("assets/"), "{}", a.path);
            assert!(
                ASSETS[i + 1..].iter().all(|b| b.path != a.path),
                "{}",
                a.path
            );
        }
    }

    #[test]
    fn every_file_under_web_assets_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
        let mut folders = vec![root.join("assets")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).expect("web/assets reads") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let name = path.strip_prefix(&root).expect("under web/");
                let name = name.to_str().expect("a UTF-8 name").replace('\\', "/");
                assert!(
                    ASSETS.iter().any(|a| a.path == name),
                    "{name} is not in ASSETS"
                );
            }
        }
    }
}

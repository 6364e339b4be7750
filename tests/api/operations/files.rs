//! Files at rest: the database, its `-wal` and `-shm` files, backups and
//! exports hold customers' and the shop's data, so only their owner may
//! read them; a backup never writes through a symbolic link.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use reqwest::StatusCode;

use super::{sqlite_url, stockroom, text};
use crate::helpers::{order_body, phone, spawn_sqlite_app};

/// The permission bits of a file (not of what a link points to).
fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn the_database_and_its_wal_and_shm_files_are_readable_by_their_owner_only() {
    let app = spawn_sqlite_app().await;
    let sku = app.product_with_stock("robe", "M", 3).await;
    let (status, _) = app.place(&order_body(&phone(1), &[(&sku, 1)]), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let wal = app.db_path.with_file_name("test.db-wal");
    let shm = app.db_path.with_file_name("test.db-shm");
    for file in [&app.db_path, &wal, &shm] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
}

#[tokio::test]
async fn a_backup_and_an_export_are_readable_by_their_owner_only() {
    let app = spawn_sqlite_app().await;
    app.product_with_stock("robe", "M", 3).await;
    let url = sqlite_url(&app.db_path);
    let backup = app.db_path.with_file_name("backup.db");
    let output = stockroom(&["backup", &backup.to_string_lossy(), "--database-url", &url]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(mode(&backup), 0o600);
    assert!(
        std::fs::read_dir(app.db_path.parent().expect("a folder"))
            .expect("the folder")
            .all(|e| !e
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .starts_with(".stockroom-backup-")),
        "the private folder of the copy is gone"
    );

    let export = app.db_path.with_file_name("stock.csv");
    let output = stockroom(&[
        "export",
        "--stock",
        "-o",
        &export.to_string_lossy(),
        "--database-url",
        &url,
    ])
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(mode(&export), 0o600);
    assert!(
        std::fs::read_to_string(&export)
            .expect("the export")
            .contains("ROBE-M")
    );
}

// Someone who can write to the backup folder leaves a link named like
// tonight's backup, pointing where they can read (or at a file to
// clobber). The backup must refuse the name and write nothing anywhere.
#[tokio::test]
async fn a_backup_refuses_a_symbolic_link_even_a_dangling_one() {
    let app = spawn_sqlite_app().await;
    app.product_with_stock("robe", "M", 3).await;
    let url = sqlite_url(&app.db_path);
    let folder = app.db_path.parent().expect("a folder");
    let elsewhere = folder.join("where-the-link-points.db");
    let link = folder.join("backup.db");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("a dangling link");

    let output = stockroom(&["backup", &link.to_string_lossy(), "--database-url", &url]).await;
    assert!(!output.status.success(), "{}", text(&output.stdout));
    assert!(
        text(&output.stderr).contains("already exists"),
        "{}",
        text(&output.stderr)
    );
    assert!(!elsewhere.exists(), "nothing was written through the link");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("the link")
            .file_type()
            .is_symlink(),
        "the link is left as it was"
    );

    // A link to an existing file: that file is neither overwritten nor emptied.
    std::fs::write(&elsewhere, b"precious").expect("a file");
    let output = stockroom(&["backup", &link.to_string_lossy(), "--database-url", &url]).await;
    assert!(!output.status.success());
    assert_eq!(std::fs::read(&elsewhere).expect("the file"), b"precious");
}

//! The site as served, made once at start-up from the files of `web/`:
//! each asset under a name that changes with its content
//! (`assets/shop.3f9a1c2b.js`), so a browser may keep it a year; the
//! references between files rewritten to those names (a page's links and
//! scripts, a module's imports), each page told of every module its
//! scripts will import (`modulepreload`), so a phone on a slow network
//! fetches them at once rather than one round trip per level of imports;
//! and every text file compressed once: with gzip at once, and with brotli
//! on a thread of its own right after (its densest setting takes about a
//! second of one core for all the files, which no start should wait for;
//! until a file's brotli copy is ready, it goes out gzipped).

use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::encoding::Encoding;
use super::files::{ASSETS, CSS, File, HTML, JS, PAGES, SVG};

/// Hex digits of the content's hash in a file's name: a new name for every
/// change, short enough to read in a log.
const NAME_HASH_HEX: usize = 8;
/// brotli's densest setting, spent once per start for every visit after:
/// the storefront's files are 8 % smaller than at quality 9, in five times
/// the time (measured on its scripts and style: 28.4 KB against 31.0 KB).
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW_BITS: u32 = 22;

/// One file as it is served.
pub struct Served {
    pub content_type: &'static str,
    /// The ETag of the file as it is; each compressed copy adds a suffix.
    etag: String,
    identity: Vec<u8>,
    /// Whether the file is text, so sent compressed to a client that takes it.
    text: bool,
    gzip: Option<Vec<u8>>,
    /// Filled once, after start-up: the copy, or `None` when it saves nothing.
    brotli: OnceLock<Option<Vec<u8>>>,
}

impl Served {
    fn new(content_type: &'static str, bytes: Vec<u8>) -> Served {
        let etag = hex::encode(Sha256::digest(&bytes))[..20].to_owned();
        let text = [HTML, CSS, JS, SVG].contains(&content_type);
        Served {
            content_type,
            etag,
            gzip: text.then(|| smaller(&bytes, gzip(&bytes))).flatten(),
            identity: bytes,
            text,
            brotli: OnceLock::new(),
        }
    }

    /// Makes the brotli copy, if it is not made yet.
    fn compress_with_brotli(&self) {
        if self.text {
            self.brotli
                .get_or_init(|| smaller(&self.identity, brotli(&self.identity)));
        }
    }

    /// Whether the answer depends on `Accept-Encoding` (`Vary`).
    pub fn varies(&self) -> bool {
        self.text
    }

    /// The bytes to send, in the first of the client's `preferred`
    /// encodings that is stored, with that encoding and its ETag.
    pub fn body(&self, preferred: &[Encoding]) -> (Encoding, &[u8], String) {
        for &encoding in preferred {
            let stored = match encoding {
                Encoding::Brotli => self.brotli.get().and_then(Option::as_deref),
                Encoding::Gzip => self.gzip.as_deref(),
                Encoding::Identity => None,
            };
            if let (Some(bytes), Some(suffix)) = (stored, encoding.header()) {
                return (encoding, bytes, format!("\"{}-{suffix}\"", self.etag));
            }
        }
        (
            Encoding::Identity,
            &self.identity,
            format!("\"{}\"", self.etag),
        )
    }

    /// Whether `If-None-Match` names this content, in any of its encodings:
    /// the copy the client holds is then still right.
    pub fn matches(&self, if_none_match: &str) -> bool {
        if_none_match.split(',').any(|tag| {
            let tag = tag.trim();
            let tag = tag.strip_prefix("W/").unwrap_or(tag).trim_matches('"');
            tag == "*" || tag.split('-').next() == Some(self.etag.as_str())
        })
    }
}

/// Every page and asset, served by path.
pub struct Site {
    pages: HashMap<&'static str, Served>,
    /// By `web/` path and by hashed path; `true` for the hashed one.
    assets: HashMap<String, (usize, bool)>,
    served: Vec<Served>,
    /// `assets/shop.js` → `assets/shop.3f9a1c2b.js`.
    hashed: HashMap<&'static str, String>,
}

impl Site {
    /// The site made from `web/`'s embedded files.
    pub fn build() -> Site {
        Site::from_files(PAGES, ASSETS)
    }

    fn from_files(pages: &[File], assets: &'static [File]) -> Site {
        let graph = Imports::of(assets);
        let rewritten = graph.rewrite_in_order(assets);
        let mut site = Site {
            pages: HashMap::new(),
            assets: HashMap::new(),
            served: Vec::new(),
            hashed: HashMap::new(),
        };
        for (i, (file, bytes)) in assets.iter().zip(rewritten).enumerate() {
            let hashed = hashed_path(file.path, &bytes);
            site.assets.insert(file.path.to_owned(), (i, false));
            site.assets.insert(hashed.clone(), (i, true));
            site.hashed.insert(file.path, hashed);
            site.served.push(Served::new(file.content_type, bytes));
        }
        for page in pages {
            let html = site.page_html(page, &graph, assets);
            site.pages
                .insert(page.path, Served::new(page.content_type, html));
        }
        site
    }

    /// A page, by its `web/` path (`index.html`).
    pub fn page(&self, path: &str) -> Option<&Served> {
        self.pages.get(path)
    }

    /// An asset by its `web/` path or its hashed one, and whether it was
    /// asked for by its hashed name (so kept for good).
    pub fn asset(&self, path: &str) -> Option<(&Served, bool)> {
        let (i, hashed) = self.assets.get(path)?;
        Some((self.served.get(*i)?, *hashed))
    }

    /// Makes every file's brotli copy; files are served gzipped meanwhile.
    pub fn compress_with_brotli(&self) {
        let started = Instant::now();
        for served in self.pages.values().chain(&self.served) {
            served.compress_with_brotli();
        }
        tracing::debug!(
            duration_ms = started.elapsed().as_secs_f64() * 1000.0,
            "the web files are compressed with brotli"
        );
    }

    /// The hashed path of an asset (`assets/shop.js` → `assets/shop.3f9a1c2b.js`).
    pub fn hashed_path(&self, path: &str) -> Option<&str> {
        self.hashed.get(path).map(String::as_str)
    }

    /// The page with every `"/assets/…"` it names turned into the hashed
    /// name, and a `modulepreload` link for each module its scripts import.
    fn page_html(&self, page: &File, graph: &Imports, assets: &[File]) -> Vec<u8> {
        let mut html = String::from_utf8_lossy(page.bytes).into_owned();
        let mut preloads = Vec::new();
        for (i, file) in assets.iter().enumerate() {
            let quoted = format!("\"/{}\"", file.path);
            if !html.contains(&quoted) {
                continue;
            }
            if file.content_type == JS {
                preloads.extend(graph.imported_by(i));
            }
            if let Some(hashed) = self.hashed_path(file.path) {
                html = html.replace(&quoted, &format!("\"/{hashed}\""));
            }
        }
        preloads.sort_unstable();
        preloads.dedup();
        let links: String = preloads
            .iter()
            .filter_map(|&i| self.hashed_path(assets[i].path))
            .map(|path| format!("  <link rel=\"modulepreload\" href=\"/{path}\">\n"))
            .collect();
        if let Some(head_end) = html.find("</head>") {
            html.insert_str(head_end, &links);
        }
        html.into_bytes()
    }
}

/// `assets/shop.js` with `bytes` → `assets/shop.3f9a1c2b.js`.
fn hashed_path(path: &str, bytes: &[u8]) -> String {
    let hash = &hex::encode(Sha256::digest(bytes))[..NAME_HASH_HEX];
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let named = match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
        None => format!("{name}.{hash}"),
    };
    if folder.is_empty() {
        named
    } else {
        format!("{folder}/{named}")
    }
}

/// Which module imports which, by position in the asset list: a module
/// names another of its folder as `'./other.js'`.
struct Imports {
    of: Vec<Vec<usize>>,
}

impl Imports {
    fn of(assets: &[File]) -> Imports {
        let of = assets
            .iter()
            .map(|file| {
                if file.content_type != JS {
                    return Vec::new();
                }
                let text = String::from_utf8_lossy(file.bytes);
                assets
                    .iter()
                    .enumerate()
                    .filter(|(_, other)| other.content_type == JS && other.path != file.path)
                    .filter(|(_, other)| {
                        specifier(file.path, other.path).is_some_and(|s| names(&text, &s))
                    })
                    .map(|(j, _)| j)
                    .collect()
            })
            .collect();
        Imports { of }
    }

    /// Every module `i` imports, directly or not.
    fn imported_by(&self, i: usize) -> Vec<usize> {
        let mut seen = Vec::new();
        let mut next = self.of.get(i).cloned().unwrap_or_default();
        while let Some(j) = next.pop() {
            if j != i && !seen.contains(&j) {
                seen.push(j);
                next.extend(self.of.get(j).into_iter().flatten());
            }
        }
        seen
    }

    /// Each file's bytes with the modules it imports named by their hashed
    /// names: a module is hashed after those it imports, so that a change
    /// in one renames every module that leads to it. Modules that import
    /// each other in a cycle keep plain names among themselves (served
    /// `no-cache`, so never stale).
    fn rewrite_in_order(&self, assets: &[File]) -> Vec<Vec<u8>> {
        let mut done: Vec<Option<Vec<u8>>> = vec![None; assets.len()];
        let mut started = vec![false; assets.len()];
        for i in 0..assets.len() {
            self.rewrite(i, assets, &mut done, &mut started);
        }
        done.into_iter()
            .zip(assets)
            .map(|(bytes, file)| bytes.unwrap_or_else(|| file.bytes.to_vec()))
            .collect()
    }

    fn rewrite(
        &self,
        i: usize,
        assets: &[File],
        done: &mut [Option<Vec<u8>>],
        started: &mut [bool],
    ) {
        if started[i] {
            return;
        }
        started[i] = true;
        let imports = self.of.get(i).cloned().unwrap_or_default();
        for &j in &imports {
            self.rewrite(j, assets, done, started);
        }
        let file = &assets[i];
        let mut text = String::from_utf8_lossy(file.bytes).into_owned();
        for &j in &imports {
            let (Some(bytes), Some(plain)) = (&done[j], specifier(file.path, assets[j].path))
            else {
                continue;
            };
            let hashed = specifier(file.path, &hashed_path(assets[j].path, bytes));
            if let Some(hashed) = hashed {
                for quote in ['\'', '"'] {
                    text = text.replace(
                        &format!("{quote}{plain}{quote}"),
                        &format!("{quote}{hashed}{quote}"),
                    );
                }
            }
        }
        done[i] = Some(if imports.is_empty() {
            file.bytes.to_vec()
        } else {
            text.into_bytes()
        });
    }
}

/// How the module at `from` names the one at `to`: `./to.js`, when both
/// are in one folder.
fn specifier(from: &str, to: &str) -> Option<String> {
    let (from_folder, _) = from.rsplit_once('/')?;
    let (to_folder, name) = to.rsplit_once('/')?;
    (from_folder == to_folder).then(|| format!("./{name}"))
}

/// Whether `text` names `specifier` as a quoted string.
fn names(text: &str, specifier: &str) -> bool {
    ['\'', '"']
        .iter()
        .any(|q| text.contains(&format!("{q}{specifier}{q}")))
}

/// A compressed copy worth keeping: one that saves bytes (an empty one is
/// a compressor's failure).
fn smaller(file: &[u8], packed: Vec<u8>) -> Option<Vec<u8>> {
    (!packed.is_empty() && packed.len() < file.len()).then_some(packed)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a `Vec` cannot fail; an empty result is dropped as larger.
    if encoder.write_all(bytes).is_err() {
        return Vec::new();
    }
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut packed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        lgwin: BROTLI_WINDOW_BITS as i32,
        ..Default::default()
    };
    match brotli::BrotliCompress(&mut &bytes[..], &mut packed, &params) {
        Ok(_) => packed,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests;

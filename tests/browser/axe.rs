//! The accessibility check of every page the browser tests see: axe-core
//! (from npm, pinned in `tests/browser/axe/package-lock.json`) is put into
//! the page and run against WCAG 2.1 A and AA, and any violation fails the
//! test with the rule, its impact, the elements and the help text.
//! Without axe-core installed (`npm ci --prefix tests/browser/axe`) a test
//! says that it runs without the check, except in CI, where it fails.

use std::path::PathBuf;
use std::sync::Arc;

use chromiumoxide::Page;
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use serde::Deserialize;

use crate::skip::skip_check;

/// The rules of WCAG 2.0 and 2.1, levels A and AA, as axe-core tags them.
const WCAG_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// axe-core's script, or `None` after saying plainly that the test runs
/// without the accessibility check; in CI the test fails instead.
/// `STOCKROOM_AXE` names another copy of `axe.min.js`.
pub fn find(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("STOCKROOM_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/axe/node_modules/axe-core/axe.min.js")
        });
    if path.exists() {
        Some(path)
    } else {
        skip_check(
            test,
            "the accessibility check",
            &format!(
                "{} is missing (npm ci --prefix tests/browser/axe)",
                path.display()
            ),
        );
        None
    }
}

/// The script's text, read once per browser.
pub fn read(path: &std::path::Path) -> Arc<str> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("{} cannot be read: {error}", path.display()))
        .into()
}

/// One rule broken, with the elements that break it.
#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    #[serde(rename = "helpUrl")]
    help_url: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Deserialize)]
struct Node {
    target: Vec<String>,
    summary: Option<String>,
}

/// Runs axe-core in the page as it stands: `Err` lists the violations.
pub async fn check(page: &Page, script: &str) -> Result<(), String> {
    // A new document has no axe yet; the same document keeps it.
    let present = evaluate(page, "typeof window.axe === 'object'").await;
    if present != serde_json::Value::Bool(true) {
        evaluate(page, &format!("{script}\n;true")).await;
    }
    // Animations and transitions (a toast fading in) end first, or at most
    // a second later: colours are measured as they settle.
    let run = format!(
        "Promise.race([
            Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))),
            new Promise((done) => setTimeout(done, 1000)),
        ]).then(() => axe.run(document, {{ runOnly: {tags}, resultTypes: ['violations'] }})).then((r) => r.violations.map((v) => ({{
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({{ target: n.target.map(String), summary: n.failureSummary }})),
        }})))",
        tags = serde_json::to_string(&WCAG_TAGS).expect("JSON")
    );
    let found: Vec<Violation> = serde_json::from_value(evaluate(page, &run).await)
        .unwrap_or_else(|error| panic!("axe-core's answer does not read: {error}"));
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} rule(s) of WCAG 2.1 AA broken (axe-core):\n{}",
            found.len(),
            describe(&found)
        ))
    }
}

/// `rule (impact): help <url>` and, under it, each element's selector and what is wrong.
fn describe(found: &[Violation]) -> String {
    let mut text = String::new();
    for v in found {
        let impact = v.impact.as_deref().unwrap_or("unrated");
        text.push_str(&format!(
            "- {} ({impact}): {} <{}>\n",
            v.id, v.help, v.help_url
        ));
        for node in &v.nodes {
            let summary = node.summary.as_deref().unwrap_or("").replace('\n', " ");
            text.push_str(&format!("    {}: {summary}\n", node.target.join(" ")));
        }
    }
    text
}

/// Evaluates `js` (promises awaited); a script error fails the test, since
/// a check that cannot run must not pass.
async fn evaluate(page: &Page, js: &str) -> serde_json::Value {
    let params = EvaluateParams::builder()
        .expression(js)
        .return_by_value(true)
        .await_promise(true)
        .build()
        .expect("evaluate parameters");
    let result = page
        .evaluate(params)
        .await
        .unwrap_or_else(|error| panic!("axe-core did not run: {error}"));
    result.value().cloned().unwrap_or(serde_json::Value::Null)
}

/// The check can fail: a picture without words and pale text on the
/// storefront's home page are both found, with their rules named.
#[tokio::test]
async fn the_check_finds_a_picture_without_words_and_pale_text() {
    let Some(tools) = crate::chrome::browser_tools("the_check_finds") else {
        return;
    };
    let Some(path) = find("the_check_finds") else {
        return;
    };
    let script = read(&path);
    let shop = crate::shop::spawn_shop().await;
    let chrome = crate::chrome::Chrome::launch(&tools).await;
    let page = chrome.session(&shop, 360, 780).await;
    page.open("/", "home").await;
    page.eval(
        "const img = document.createElement('img'); img.src = '/assets/favicon.svg'; \
         const p = document.createElement('p'); p.textContent = 'Livraison offerte'; p.style.color = '#ddd'; \
         document.getElementById('app').append(img, p); true",
    )
    .await;
    let found = check(&page.page, &script)
        .await
        .expect_err("the broken page fails");
    assert!(
        found.starts_with("2 rule(s) of WCAG 2.1 AA broken"),
        "{found}"
    );
    assert!(
        found.contains("- image-alt (critical): Images must have alternative text"),
        "{found}"
    );
    assert!(
        found.contains("#app > img"),
        "the element is named:\n{found}"
    );
    assert!(
        found.contains("- color-contrast (serious)") && found.contains("1.26"),
        "{found}"
    );
    chrome.close().await;
}

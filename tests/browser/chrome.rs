//! The browser side of the tests: Debian's headless Chromium driven over
//! the DevTools protocol, and one `Session` per buyer or admin (its own
//! browser context, so its own localStorage, like a separate phone).

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::browser::{
    BrowserContextId, SetDownloadBehaviorBehavior, SetDownloadBehaviorParams,
};
use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel, LogEntrySource};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams,
};
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EvaluateParams, EventConsoleApiCalled, EventExceptionThrown,
};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use serde_json::Value;
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::task::JoinHandle;

use crate::axe;
use crate::shop::Shop;
use crate::skip::skip;

/// How long any one thing may take to appear on a page before the test fails.
const WAIT_MS_MAX: u64 = 20_000;
/// At most two Chromiums at once: the machine has two cores.
static BROWSERS: Semaphore = Semaphore::const_new(2);

/// What a browser test needs from the machine: Chromium, and axe-core for
/// the accessibility check of every page (`None`: the test runs without it).
pub struct Tools {
    chromium: PathBuf,
    axe: Option<PathBuf>,
}

/// The tools, or `None` without Chromium after saying plainly that the
/// test is skipped. Without axe-core the test says it runs without the
/// accessibility check. In CI either one missing fails the test instead.
pub fn browser_tools(test: &str) -> Option<Tools> {
    let axe = axe::find(test);
    let chromium = chromium(test)?;
    Some(Tools { chromium, axe })
}

/// Debian's Chromium, or `None` after saying plainly that the test is
/// skipped; in CI the test fails instead.
fn chromium(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("STOCKROOM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.exists() {
        Some(path)
    } else {
        skip(
            test,
            &format!(
                "{} is missing (apt-get install -y chromium)",
                path.display()
            ),
        );
        None
    }
}

/// One headless Chromium with a fresh profile, closed by `close`.
pub struct Chrome {
    browser: Browser,
    /// axe-core's script, put into every page that gets checked.
    axe: Option<Arc<str>>,
    handler: JoinHandle<()>,
    _profile: tempfile::TempDir,
    _permit: SemaphorePermit<'static>,
}

impl Chrome {
    pub async fn launch(tools: &Tools) -> Chrome {
        let axe = tools.axe.as_deref().map(axe::read);
        let permit = BROWSERS.acquire().await.expect("the semaphore is open");
        let profile = tempfile::tempdir().expect("a profile folder");
        let config = BrowserConfig::builder()
            .chrome_executable(&tools.chromium)
            .user_data_dir(profile.path())
            .no_sandbox()
            .args([
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .window_size(1280, 900)
            .viewport(None)
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(30))
            .build()
            .expect("a browser configuration");
        let (browser, mut events) = Browser::launch(config).await.expect("Chromium starts");
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Chrome {
            browser,
            axe,
            handler,
            _profile: profile,
            _permit: permit,
        }
    }

    /// A new browser context (its own storage) with one page of this size.
    pub async fn session(&self, shop: &Shop, width: i64, height: i64) -> Session {
        let context = self
            .browser
            .create_browser_context(CreateBrowserContextParams::default())
            .await
            .expect("a browser context");
        self.page_in(shop, context, width, height).await
    }

    /// Another tab of `beside`'s browser context: the same person, the
    /// same cookies and storage, one more page open.
    pub async fn tab(&self, shop: &Shop, beside: &Session, width: i64, height: i64) -> Session {
        self.page_in(shop, beside.context.clone(), width, height)
            .await
    }

    async fn page_in(
        &self,
        shop: &Shop,
        context: BrowserContextId,
        width: i64,
        height: i64,
    ) -> Session {
        let downloads = tempfile::tempdir().expect("a download folder");
        self.browser
            .execute(
                SetDownloadBehaviorParams::builder()
                    .behavior(SetDownloadBehaviorBehavior::Allow)
                    .browser_context_id(context.clone())
                    .download_path(downloads.path().display().to_string())
                    .build()
                    .expect("download parameters"),
            )
            .await
            .expect("downloads allowed");
        let page = self
            .browser
            .new_page(
                CreateTargetParams::builder()
                    .url("about:blank")
                    .browser_context_id(context.clone())
                    .build()
                    .expect("target parameters"),
            )
            .await
            .expect("a page");
        let session = Session {
            page,
            context,
            base: shop.address.clone(),
            errors: Arc::new(Mutex::new(Vec::new())),
            axe: self.axe.clone(),
            visits: AtomicUsize::new(0),
            size: AtomicI64::new(0),
            downloads,
        };
        session.resize(width, height).await;
        session.listen_for_errors().await;
        session
    }

    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
    }
}

/// One person at one browser: a page and what went wrong in it.
pub struct Session {
    pub page: Page,
    /// The browser context: its cookies and storage.
    context: BrowserContextId,
    base: String,
    errors: Arc<Mutex<Vec<String>>>,
    axe: Option<Arc<str>>,
    visits: AtomicUsize,
    /// The emulated width and height, packed as `width << 32 | height`.
    size: AtomicI64,
    pub downloads: tempfile::TempDir,
}

impl Session {
    pub async fn resize(&self, width: i64, height: i64) {
        self.size.store(width << 32 | height, Ordering::Relaxed);
        self.page
            .execute(SetDeviceMetricsOverrideParams::new(
                width,
                height,
                1.0,
                width < 600,
            ))
            .await
            .expect("the viewport is set");
    }

    /// Keeps every script error, console error and browser error (a
    /// blocked resource, a CSP violation); failed HTTP answers are not
    /// errors here, since 409 and 422 are part of the shop's life.
    async fn listen_for_errors(&self) {
        let mut console = self
            .page
            .event_listener::<EventConsoleApiCalled>()
            .await
            .expect("console events");
        let mut exceptions = self
            .page
            .event_listener::<EventExceptionThrown>()
            .await
            .expect("exception events");
        let _ = self
            .page
            .execute(chromiumoxide::cdp::browser_protocol::log::EnableParams::default())
            .await;
        let mut logs = self
            .page
            .event_listener::<EventEntryAdded>()
            .await
            .expect("log events");
        let errors = self.errors.clone();
        tokio::spawn(async move {
            loop {
                let error = tokio::select! {
                    Some(event) = console.next() => (event.r#type == ConsoleApiCalledType::Error)
                        .then(|| format!("console.error: {:?}", event.args.iter().map(|a| a.value.clone()).collect::<Vec<_>>())),
                    Some(event) = exceptions.next() => Some(format!("exception: {}", event.exception_details.text)),
                    Some(event) = logs.next() => (event.entry.level == LogEntryLevel::Error
                        && event.entry.source != LogEntrySource::Network)
                        .then(|| format!("browser: {}", event.entry.text)),
                    else => break,
                };
                if let Some(error) = error {
                    errors.lock().expect("the error list").push(error);
                }
            }
        });
    }

    pub fn assert_no_console_errors(&self) {
        let errors = self.errors.lock().expect("the error list");
        assert!(errors.is_empty(), "the page logged errors: {errors:#?}");
    }

    /// Opens a path of the shop and waits until its view says it is drawn.
    /// A query of its own makes every visit a full page load, even where
    /// only the `#/…` part differs from the page shown.
    pub async fn open(&self, path: &str, ready: &str) {
        let visit = self.visits.fetch_add(1, Ordering::Relaxed);
        let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
        self.page
            .goto(format!("{}{path}?visit={visit}#{fragment}", self.base))
            .await
            .expect("the page opens");
        // Chromium forgets the emulated size when a navigation swaps documents.
        let size = self.size.load(Ordering::Relaxed);
        self.resize(size >> 32, size & 0xffff_ffff).await;
        self.wait_ready(ready).await;
    }

    /// Waits until the current view is drawn (`body[data-ready]`), then
    /// checks its accessibility: every view a test sees is checked.
    pub async fn wait_ready(&self, view: &str) {
        self.wait_for(
            &format!("document.body && document.body.dataset.ready === '{view}'"),
            &format!("the view `{view}`"),
        )
        .await;
        self.check_accessibility(&format!("the view `{view}`"))
            .await;
    }

    /// Fails the test if axe-core finds the page as it stands breaking a
    /// WCAG 2.1 A or AA rule; `what` names it (a view, an open dialog).
    /// Does nothing when the test runs without axe-core.
    pub async fn check_accessibility(&self, what: &str) {
        let Some(script) = &self.axe else {
            return;
        };
        if let Err(violations) = axe::check(&self.page, script).await {
            let size = self.size.load(Ordering::Relaxed);
            let (width, height) = (size >> 32, size & 0xffff_ffff);
            let shot = self.screenshot("accessibility").await;
            panic!(
                "{what} at {width}×{height} px ({}) fails the accessibility check: {violations}",
                shot.display()
            );
        }
    }

    /// Runs JavaScript in the page (promises awaited) and returns its value.
    pub async fn eval(&self, js: &str) -> Value {
        let params = EvaluateParams::builder()
            .expression(js)
            .return_by_value(true)
            .await_promise(true)
            .build()
            .expect("evaluate parameters");
        self.page
            .evaluate(params)
            .await
            .map(|r| r.value().cloned().unwrap_or(Value::Null))
            .unwrap_or(Value::Null)
    }

    /// Polls `js` until it is truthy; fails the test with `what` after a while.
    pub async fn wait_for(&self, js: &str, what: &str) -> Value {
        let start = Instant::now();
        loop {
            let value = self.eval(js).await;
            let truthy = !matches!(&value, Value::Null | Value::Bool(false))
                && value != Value::String(String::new());
            if truthy {
                return value;
            }
            if start.elapsed() > Duration::from_millis(WAIT_MS_MAX) {
                let body = self
                    .eval("document.body ? document.body.innerText.slice(0, 1500) : ''")
                    .await;
                self.screenshot("timeout").await;
                panic!("waited in vain for {what} ({js}); the page shows:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
    }

    /// Waits for a toast whose text contains `text`.
    pub async fn wait_toast(&self, text: &str) {
        let js = format!(
            "[...document.querySelectorAll('#toasts .toast-text')].some(t => t.textContent.replace(/\\s+/g, ' ').includes({}))",
            serde_json::to_string(text).expect("a JS string")
        );
        self.wait_for(&js, &format!("a toast saying “{text}”"))
            .await;
    }

    /// The visible text of the first element matching `selector`, spaces folded.
    pub async fn text(&self, selector: &str) -> String {
        let js = format!(
            "(document.querySelector({}) || {{}}).textContent || ''",
            serde_json::to_string(selector).expect("a JS string")
        );
        self.eval(&js)
            .await
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A real mouse click on the element, once it is there.
    pub async fn click(&self, selector: &str) {
        self.wait_for(
            &format!(
                "!!document.querySelector({})",
                serde_json::to_string(selector).expect("a JS string")
            ),
            &format!("an element `{selector}` to click"),
        )
        .await;
        self.page
            .find_element(selector)
            .await
            .expect("the element")
            .click()
            .await
            .expect("the click");
    }

    /// Empties a field, types `text` with the keyboard, and leaves with Tab
    /// (so `change` fires, as when a person moves on).
    pub async fn fill(&self, selector: &str, text: &str) {
        self.click(selector).await;
        self.eval(&format!(
            "document.querySelector({}).value = ''",
            serde_json::to_string(selector).expect("a JS string")
        ))
        .await;
        let element = self.page.find_element(selector).await.expect("the field");
        if text.is_ascii() {
            element.type_str(text).await.expect("the text is typed");
        } else {
            // Keys like `é` have no key code: typed the way a phone keyboard
            // (an input method) puts text in.
            self.page
                .execute(InsertTextParams::new(text))
                .await
                .expect("the text is inserted");
        }
        element.press_key("Tab").await.expect("Tab");
    }

    /// Chooses `files` in the file input `selector`, as a person picking
    /// them in the file dialog would (its `change` event fires).
    pub async fn set_files(&self, selector: &str, files: &[PathBuf]) {
        self.click_target(selector).await;
        let element = self.page.find_element(selector).await.expect("the input");
        let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        self.page
            .execute(
                SetFileInputFilesParams::builder()
                    .files(files)
                    .backend_node_id(element.backend_node_id)
                    .build()
                    .expect("file parameters"),
            )
            .await
            .expect("the files are chosen");
    }

    /// Waits for an element `selector`, without clicking it.
    async fn click_target(&self, selector: &str) {
        self.wait_for(
            &format!(
                "!!document.querySelector({})",
                serde_json::to_string(selector).expect("a JS string")
            ),
            &format!("an element `{selector}`"),
        )
        .await;
    }

    /// A full-page PNG under `target/browser-screenshots/`; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        self.capture(name, true).await
    }

    /// What the window shows, without scrolling.
    pub async fn screenshot_window(&self, name: &str) -> PathBuf {
        self.capture(name, false).await
    }

    async fn capture(&self, name: &str, full_page: bool) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        let path = dir.join(format!("{name}.png"));
        let png = self
            .page
            .screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .full_page(full_page)
                    .build(),
            )
            .await
            .expect("a screenshot");
        std::fs::write(&path, png).expect("the screenshot is saved");
        if full_page {
            // A full-page capture clears the emulated size afterwards: the
            // page would go on at the window's width, not the phone's.
            let size = self.size.load(Ordering::Relaxed);
            self.resize(size >> 32, size & 0xffff_ffff).await;
        }
        path
    }
}

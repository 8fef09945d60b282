//! End-to-end: the built frontend in headless Chromium against an in-process
//! `milepost serve` on a copy of the example corpus — what the leadership view
//! and the Backstage card show, filters in the URL, where the timeline opens
//! and its hints at the edges, narrow windows, live reload of an edited file,
//! themes, keyboard use and axe-core — with screenshots written to
//! `tests/artifacts/`.
//!
//! Needs Chromium and ChromeDriver (`/usr/bin`, or `MILEPOST_CHROMIUM` and
//! `CHROMEDRIVER`) and axe-core in `.tools/` — `scripts/install-tools.sh
//! --browser` installs all three — and the frontend built into `dist/` before
//! the server crate is compiled (`scripts/build-frontend.sh`).
//! `MILEPOST_SKIP_BROWSER=1` skips these tests, loudly.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::Method;
use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use milepost_server::config::{DEFAULT_MAX_SSE_CLIENTS, FileConfig, Overrides, ServeConfig};
use milepost_server::{AppState, Server};
use milepost_shared::display::by_urgency;
use milepost_shared::{Filter, Milestone, Roadmap, Status};
use serde_json::{Value, json};

use crate::support::{day, examples_dir};

/// The day the example corpus is read for (EXPECTED.md's northwind date).
const TODAY: &str = "2026-01-20";
/// How long a step may wait for the page. A deadline, not a measurement.
const PATIENCE: Duration = Duration::from_secs(20);
/// The northwind entity whose card is tested.
const PAYMENTS: &str = "component:default/payments-gateway";
/// The four milestones of `backstage-mvp.md` (EXPECTED.md).
const BACKSTAGE_MVP_TITLES: [&str; 4] = [
    "Bootstrap script GA",
    "Template publishing",
    "Self-service QA gating",
    "Evidence automation",
];

/// One browser at a time: the machine is small and each test starts its own.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------- the server

/// `milepost serve` in this process, on a loopback port, over a temporary
/// copy of `backstage-mvp.md` and `northwind/` that tests may edit.
struct Site {
    base: String,
    sources: tempfile::TempDir,
    state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Site {
    async fn start() -> Site {
        let sources = tempfile::tempdir().unwrap_or_else(|error| panic!("temp dir: {error}"));
        let mvp = sources.path().join("backstage-mvp.md");
        std::fs::copy(examples_dir().join("backstage-mvp.md"), &mvp)
            .unwrap_or_else(|error| panic!("cannot copy backstage-mvp.md: {error}"));
        let northwind = sources.path().join("northwind");
        copy_tree(&examples_dir().join("northwind"), &northwind);
        let overrides = Overrides {
            sources: vec![path_text(&mvp), path_text(&northwind)],
            today: Some(day(TODAY)),
            ..Overrides::default()
        };
        let config = ServeConfig::resolve(overrides, FileConfig::default(), None)
            .unwrap_or_else(|error| panic!("bad test config: {error}"));
        let server =
            Server::start(&config).unwrap_or_else(|error| panic!("server did not start: {error}"));
        assert!(
            server.state.assets().is_built(),
            "the server was compiled without the frontend: run scripts/build-frontend.sh, then \
             rerun the tests (the server embeds dist/ when it is compiled)"
        );
        let state = server.state.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|error| panic!("cannot bind a loopback port: {error}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|error| panic!("no local address: {error}"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server.run(listener, async move {
            let _ = stopped.await;
        }));
        Site {
            base: format!("http://{address}"),
            sources,
            state,
            stop: Some(stop),
        }
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base)
    }

    /// The roadmap the server currently serves (what `/api/roadmap` returns).
    fn roadmap(&self) -> Roadmap {
        self.state.snapshot().roadmap.clone()
    }

    /// Replaces `from` by `to` in a source file (path under the sources root).
    fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.sources.path().join(relative);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1))
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|error| panic!("mkdir {}: {error}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|error| panic!("list {}: {error}", from.display()));
    for entry in entries.filter_map(Result::ok) {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|error| panic!("copy {}: {error}", entry.path().display()));
        }
    }
}

// ---------------------------------------------------------------- the browser

/// Where Chromium and ChromeDriver are, or `None` when the browser tests are
/// skipped on purpose. Missing tools fail the test with the fix.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    if std::env::var("MILEPOST_SKIP_BROWSER").is_ok_and(|value| value == "1") {
        // Straight to the stderr stream: the test harness hides `eprintln!`
        // of passing tests, and a skip must not pass unnoticed.
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "\n################################################################\n\
                 ## SKIPPED: browser end-to-end tests (MILEPOST_SKIP_BROWSER=1) ##\n\
                 ## Nothing was checked in a real browser.                     ##\n\
                 ################################################################\n"
            );
        });
        return None;
    }
    let chromium = tool_path("MILEPOST_CHROMIUM", "/usr/bin/chromium");
    let driver = tool_path("CHROMEDRIVER", "/usr/bin/chromedriver");
    for (path, name) in [(&chromium, "Chromium"), (&driver, "ChromeDriver")] {
        assert!(
            path.is_file(),
            "{name} not found at {}: run scripts/install-tools.sh --browser \
             (or set MILEPOST_SKIP_BROWSER=1 to skip the browser tests)",
            path.display()
        );
    }
    Some((chromium, driver))
}

fn tool_path(variable: &str, default: &str) -> PathBuf {
    std::env::var_os(variable)
        .filter(|value| !value.is_empty())
        .map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// A ChromeDriver process with one headless Chromium session. Dropping it
/// ends the session and the driver, also when a test panics.
struct Browser {
    client: Client,
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium with a `width`×`height`
    /// window; `None` when the browser tests are skipped.
    async fn open(width: u32, height: u32) -> Option<Browser> {
        let (chromium, driver_path) = browser_tools()?;
        let port = free_port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", driver_path.display()));
        let profile = tempfile::tempdir().unwrap_or_else(|error| panic!("temp dir: {error}"));
        let arguments = [
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--no-first-run".to_string(),
            "--hide-scrollbars".to_string(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let Value::Object(capabilities) = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": path_text(&chromium), "args": arguments },
        }) else {
            unreachable!("a JSON object literal")
        };
        let capabilities: Capabilities = capabilities;
        let webdriver = format!("http://127.0.0.1:{port}/");
        let deadline = Instant::now() + PATIENCE;
        // ChromeDriver takes a moment to listen; until then connecting fails.
        let (client, driver) = {
            let mut driver = driver;
            loop {
                let attempt = ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities.clone())
                    .connect(&webdriver)
                    .await;
                match attempt {
                    Ok(client) => break (client, driver),
                    Err(error) if Instant::now() > deadline => {
                        let _ = driver.kill();
                        let _ = driver.wait();
                        panic!(
                            "no Chromium session from {} with {}: {error}",
                            driver_path.display(),
                            chromium.display()
                        );
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        };
        let session = client.session_id().await.ok().flatten().unwrap_or_default();
        Some(Browser {
            client,
            driver,
            port,
            session,
            _profile: profile,
        })
    }

    async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|error| panic!("cannot open {url}: {error}"));
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page.
    async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|error| panic!("script failed: {error}\n{script}"))
    }

    /// Like [`Browser::js`], for a script that ends by calling its last argument.
    async fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|error| panic!("script failed: {error}\n{script}"))
    }

    /// The trimmed text of every element matching `selector`, in page order.
    async fn texts(&self, selector: &str) -> Vec<String> {
        let value = self
            .js(
                "return [...document.querySelectorAll(arguments[0])]\
                 .map(e => e.textContent.replace(/\\s+/g, ' ').trim());",
                vec![json!(selector)],
            )
            .await;
        serde_json::from_value(value).unwrap_or_default()
    }

    /// Polls `check` until it gives `Ok`, or fails with its last complaint.
    async fn wait_until<T>(
        &self,
        what: &str,
        mut check: impl AsyncFnMut(&Browser) -> Result<T, String>,
    ) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match check(self).await {
                Ok(value) => return value,
                Err(complaint) if Instant::now() > deadline => {
                    let url = self.client.current_url().await.map(|u| u.to_string());
                    panic!(
                        "timed out after {PATIENCE:?} waiting for {what} on {}:\n{complaint}",
                        url.unwrap_or_default()
                    );
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits until the table rows' titles are exactly `expected` (any order).
    async fn wait_for_rows(&self, what: &str, expected: &[String]) {
        let mut expected = expected.to_vec();
        expected.sort();
        self.wait_until(what, async |browser| {
            let mut shown = browser.texts("table.milestones tbody a.title").await;
            shown.sort();
            if shown == expected {
                Ok(())
            } else {
                Err(format!("rows shown: {shown:?}\nexpected:   {expected:?}"))
            }
        })
        .await;
    }

    /// Sends one CDP command through ChromeDriver.
    async fn cdp(&self, command: &'static str, params: Value) {
        self.client
            .issue_cmd(Cdp { command, params })
            .await
            .unwrap_or_else(|error| panic!("CDP {command} failed: {error}"));
    }

    /// Makes the page see `prefers-color-scheme: dark` (or light).
    async fn prefer_color_scheme(&self, scheme: &str) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
    }

    /// Relative luminance (0 black … 1 white) of the page's background and
    /// text colours: the first opaque background from `<body>` up.
    async fn page_luminance(&self) -> (f64, f64) {
        let value = self
            .js(
                "const lum = c => { const m = c.match(/[\\d.]+/g).map(Number);\
                   const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };\
                   return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]); };\
                 let bg = 'rgb(255, 255, 255)';\
                 for (let e = document.body; e; e = e.parentElement) {\
                   const c = getComputedStyle(e).backgroundColor;\
                   if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; } }\
                 return [lum(bg), lum(getComputedStyle(document.body).color)];",
                vec![],
            )
            .await;
        serde_json::from_value(value).unwrap_or((f64::NAN, f64::NAN))
    }

    /// Writes a PNG of the viewport to `tests/artifacts/<name>.png`.
    async fn screenshot(&self, name: &str) {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|error| panic!("screenshot {name}: {error}"));
        let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        std::fs::create_dir_all(&directory)
            .unwrap_or_else(|error| panic!("mkdir {}: {error}", directory.display()));
        let path = directory.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    }

    /// Clicks the element `locator` finds (`what` names it in a failure).
    async fn click(&self, locator: fantoccini::Locator<'_>, what: &str) {
        self.client
            .find(locator)
            .await
            .unwrap_or_else(|error| panic!("no {what}: {error}"))
            .click()
            .await
            .unwrap_or_else(|error| panic!("cannot click {what}: {error}"));
    }

    /// Presses and releases one key in the focused element.
    async fn press(&self, key: Key) {
        let key: char = key.into();
        let actions = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|error| panic!("key press failed: {error}"));
    }

    /// The focused element, described for matching and for messages.
    async fn focused(&self) -> Focused {
        let value = self
            .js(
                "const e = document.activeElement; const s = getComputedStyle(e);\
                 return { tag: e.tagName.toLowerCase(), id: e.id || '',\
                   classes: (typeof e.className === 'string' ? e.className : ''),\
                   text: (e.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 40),\
                   ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)\
                     || s.boxShadow !== 'none' };",
                vec![],
            )
            .await;
        serde_json::from_value(value).unwrap_or_default()
    }

    /// Runs axe-core on the current page; the serious and critical violations.
    async fn axe_violations(&self) -> Vec<String> {
        let axe = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../.tools/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&axe).unwrap_or_else(|error| {
            panic!(
                "axe-core not found at {} ({error}): run scripts/install-tools.sh --browser",
                axe.display()
            )
        });
        self.js(&format!("{source}\nreturn typeof axe;"), vec![])
            .await;
        let value = self
            .js_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { resultTypes: ['violations'] })\
                   .then(r => done(r.violations\
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')\
                     .map(v => `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\\n` + v.nodes\
                       .map(n => `    ${n.target.join(' ')}\\n      ${(n.failureSummary || '').replace(/\\n/g, '\\n      ')}`)\
                       .join('\\n'))))\
                   .catch(e => done([`axe failed: ${e}`]));",
                vec![],
            )
            .await;
        serde_json::from_value(value).unwrap_or_else(|_| vec!["axe gave no result".to_string()])
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A panicking test never reaches an async close: end the session with
        // a plain request so ChromeDriver closes Chromium, then stop it.
        if !self.session.is_empty() {
            end_session(self.port, &self.session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn end_session(port: u16, session: &str) {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    // One read: the answer is small, and ChromeDriver keeps the connection open.
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut answer = [0; 4096];
        let _ = stream.read(&mut answer);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("no free port: {error}"))
}

/// ChromeDriver's `goog/cdp/execute`: one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp {
    command: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (Method::POST, Some(body.to_string()))
    }
}

/// The focused element as [`Browser::focused`] describes it.
#[derive(Debug, Default, serde::Deserialize)]
struct Focused {
    tag: String,
    id: String,
    classes: String,
    text: String,
    /// Whether a focus ring (outline or box shadow) is drawn.
    ring: bool,
}

impl Focused {
    fn has_class(&self, class: &str) -> bool {
        self.classes.split_whitespace().any(|c| c == class)
    }
}

// ---------------------------------------------------------------- expectations

fn titles<'a>(milestones: impl IntoIterator<Item = &'a Milestone>) -> Vec<String> {
    milestones.into_iter().map(|m| m.title.clone()).collect()
}

fn matching(roadmap: &Roadmap, pairs: &[(&str, &str)]) -> Vec<String> {
    let filter = Filter::from_pairs(pairs.iter().copied())
        .unwrap_or_else(|error| panic!("bad test filter {pairs:?}: {error}"));
    titles(
        roadmap
            .milestones
            .iter()
            .filter(|m| filter.matches(m))
            .map(|m| &**m),
    )
}

/// The card's list: the entity's open milestones, most urgent first.
fn card_order<'a>(roadmap: &'a Roadmap, entity: &str) -> Vec<&'a Milestone> {
    let mut open: Vec<&Milestone> = roadmap
        .milestones
        .iter()
        .filter(|m| m.entity.as_deref() == Some(entity))
        .filter(|m| m.status.is_open())
        .map(|m| &**m)
        .collect();
    open.sort_by(|a, b| by_urgency(a, b));
    open
}

fn status_of_label(label: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| s.label() == label)
}

// ---------------------------------------------------------------- tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leadership_view_shows_every_roadmap_and_reads_filters_from_the_url() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1400, 1000).await else {
        return;
    };
    let site = Site::start().await;
    let roadmap = site.roadmap();
    let all = titles(roadmap.milestones.iter().map(|m| &**m));
    for title in BACKSTAGE_MVP_TITLES {
        assert!(all.iter().any(|t| t == title), "the corpus lost {title:?}");
    }
    for title in ["Wallet SDK beta", "PSP contract signed", "Fraud rules v2"] {
        assert!(all.iter().any(|t| t == title), "northwind lost {title:?}");
    }

    browser.prefer_color_scheme("light").await;
    browser.goto(&site.url("/")).await;
    browser
        .wait_for_rows("every milestone in the table", &all)
        .await;
    let counted = browser.texts(".table-panel .section-head .muted").await;
    assert_eq!(counted, vec![format!("{} shown", all.len())]);
    browser.screenshot("leadership-light").await;
    let (background, text) = browser.page_luminance().await;
    assert!(
        background > 0.8 && text < 0.2,
        "light page: background luminance {background}, text {text}"
    );

    // With no theme in the URL the page follows the system preference.
    browser.prefer_color_scheme("dark").await;
    browser
        .wait_until("the dark colour scheme", async |browser| {
            let (background, text) = browser.page_luminance().await;
            if background < 0.1 && text > 0.8 {
                Ok(())
            } else {
                Err(format!("background luminance {background}, text {text}"))
            }
        })
        .await;
    browser.screenshot("leadership-dark").await;
    browser.prefer_color_scheme("light").await;

    let overdue = matching(&roadmap, &[("status", "overdue")]);
    assert!(
        !overdue.is_empty() && overdue.len() < all.len(),
        "the corpus should have some overdue milestones: {overdue:?}"
    );
    browser.goto(&site.url("/?status=overdue")).await;
    browser
        .wait_for_rows("only overdue milestones (?status=overdue)", &overdue)
        .await;
    let chips = browser.texts("table.milestones tbody .chip").await;
    assert!(
        chips.iter().all(|chip| chip == "Overdue"),
        "status chips under ?status=overdue: {chips:?}"
    );
    let pressed = browser
        .texts(".summary button[aria-pressed=true] .count-label")
        .await;
    assert_eq!(
        pressed,
        vec!["Overdue".to_string()],
        "summary strip toggles"
    );

    let security = matching(&roadmap, &[("team", "Security")]);
    assert!(
        !security.is_empty() && security.len() < all.len(),
        "the corpus should have Security milestones: {security:?}"
    );
    browser.goto(&site.url("/?team=Security")).await;
    browser
        .wait_for_rows("only Security's milestones (?team=Security)", &security)
        .await;
    let team = browser
        .js("return document.getElementById('f-team').value;", vec![])
        .await;
    assert_eq!(
        team,
        json!("Security"),
        "the team filter shows the URL's team"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_lists_an_entitys_open_milestones_by_urgency_in_both_themes() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(560, 720).await else {
        return;
    };
    let site = Site::start().await;
    let roadmap = site.roadmap();
    let open = card_order(&roadmap, PAYMENTS);
    assert!(
        open.len() > 3,
        "payments-gateway should have open milestones"
    );
    let others: Vec<&str> = roadmap
        .milestones
        .iter()
        .filter(|m| m.entity.as_deref() != Some(PAYMENTS))
        .map(|m| m.title.as_str())
        .collect();

    // Everything open, in urgency order.
    browser
        .goto(&site.url(&format!("/card?entity={PAYMENTS}&limit=50&theme=light")))
        .await;
    let expected = titles(open.iter().copied());
    browser
        .wait_until("the card's milestones in urgency order", async |browser| {
            let shown = browser.texts(".card-item-title").await;
            if shown == expected {
                Ok(())
            } else {
                Err(format!("card shows {shown:?}\nexpected     {expected:?}"))
            }
        })
        .await;
    let chips: Vec<Status> = browser
        .texts(".card-item .chip")
        .await
        .iter()
        .map(|label| status_of_label(label).unwrap_or_else(|| panic!("chip {label:?}")))
        .collect();
    assert!(
        matches!(chips.first(), Some(Status::Blocked | Status::Overdue)),
        "blocked and overdue come first: {chips:?}"
    );
    assert!(
        chips
            .windows(2)
            .all(|pair| pair[0].urgency() <= pair[1].urgency()),
        "chips not in urgency order: {chips:?}"
    );
    let shown = browser.texts(".card-item-title").await;
    for title in shown {
        assert!(
            !others.contains(&title.as_str()),
            "another entity's {title:?} is on the card"
        );
    }

    // A limit keeps the most urgent and says how many more there are.
    browser
        .goto(&site.url(&format!("/card?entity={PAYMENTS}&limit=2&theme=light")))
        .await;
    let first_two = expected[..2].to_vec();
    let more = format!("{} more open", expected.len() - 2);
    browser
        .wait_until("the two most urgent and a 'more' note", async |browser| {
            let shown = browser.texts(".card-item-title").await;
            let foot = browser.texts(".card-foot").await.join(" ");
            if shown == first_two && foot.contains(&more) {
                Ok(())
            } else {
                Err(format!(
                    "card shows {shown:?} / {foot:?}; expected {first_two:?} and {more:?}"
                ))
            }
        })
        .await;

    for theme in ["light", "dark"] {
        browser
            .goto(&site.url(&format!("/card?entity={PAYMENTS}&theme={theme}")))
            .await;
        browser
            .wait_until("the card's first milestone", async |browser| {
                let shown = browser.texts(".card-item-title").await;
                if shown.first() == expected.first() {
                    Ok(())
                } else {
                    Err(format!("card shows {shown:?}"))
                }
            })
            .await;
        let attribute = browser
            .js(
                "return document.documentElement.getAttribute('data-theme');",
                vec![],
            )
            .await;
        assert_eq!(attribute, json!(theme), "theme={theme} on <html>");
        let (background, text) = browser.page_luminance().await;
        let (dark_page, light_page) = (
            background < 0.1 && text > 0.8,
            background > 0.8 && text < 0.2,
        );
        assert!(
            if theme == "dark" {
                dark_page
            } else {
                light_page
            },
            "card with theme={theme}: background luminance {background}, text {text}"
        );
        browser.screenshot(&format!("card-{theme}")).await;
    }
}

/// What the timeline's scroll box shows: the widths of the label column and
/// of the chart beside it, whether the today line is in view, each mark's
/// title, row (rows are 32 px), side out of view (`null` when some of it
/// shows) and whether its row shows in the box below the axis (40 px), and
/// each edge hint's text, row and whether it shows.
const TIMELINE_VIEW: &str = r#"
const box = document.querySelector('.tl');
const chart = document.querySelector('.tl-chart');
if (!box || !chart) return null;
const labels = document.querySelector('.tl-labels').getBoundingClientRect();
const left = labels.right;
const frame = box.getBoundingClientRect();
const right = frame.left + box.clientLeft + box.clientWidth;
const rowsTop = frame.top + box.clientTop + 40;
const rowsBottom = frame.top + box.clientTop + box.clientHeight;
const top = chart.getBoundingClientRect().top;
const row = r => Math.floor((r.top + r.height / 2 - top) / 32);
const today = chart.querySelector('line.today');
const t = today && today.getBoundingClientRect();
return {
  labels: labels.width,
  chart: right - left,
  today: !!t && t.left >= left && t.right <= right,
  marks: [...chart.querySelectorAll('g.mark')].map(g => {
    const r = g.getBoundingClientRect();
    return { title: g.querySelector('title').textContent.split(' — ')[0], row: row(r),
             out: r.right < left ? 'before' : r.left > right ? 'after' : null,
             row_shows: r.top >= rowsTop - 1 && r.bottom <= rowsBottom + 1 };
  }),
  hints: [...chart.querySelectorAll('.edge-hint')].map(h => {
    const r = h.getBoundingClientRect();
    return { text: h.textContent, row: row(r), shows: r.left >= left - 1 && r.right <= right + 1 };
  }),
};
"#;

/// The timeline as [`TIMELINE_VIEW`] reads it; an error until it is drawn.
async fn look(browser: &Browser) -> Result<TimelineView, String> {
    let value = browser.js(TIMELINE_VIEW, vec![]).await;
    serde_json::from_value(value).map_err(|error| format!("no timeline yet: {error}"))
}

#[derive(Debug, serde::Deserialize)]
struct TimelineView {
    labels: f64,
    chart: f64,
    today: bool,
    marks: Vec<TimelineMark>,
    hints: Vec<TimelineHint>,
}

#[derive(Debug, serde::Deserialize)]
struct TimelineMark {
    title: String,
    row: i64,
    out: Option<String>,
    row_shows: bool,
}

#[derive(Debug, serde::Deserialize)]
struct TimelineHint {
    text: String,
    row: i64,
    shows: bool,
}

impl TimelineView {
    /// `title`'s mark, when it is drawn and shows on the chart (its row in
    /// the box, some of the mark beside the labels), with the hints right.
    fn shows(&self, title: &str) -> Result<(), String> {
        match self.marks.iter().find(|m| m.title == title) {
            Some(mark) if mark.out.is_none() && mark.row_shows => self.hints_match(),
            mark => Err(format!("{title}: {mark:?}")),
        }
    }

    /// Every mark out of view has a hint on its row pointing its way, shown
    /// at the edge, and no mark in view has one.
    fn hints_match(&self) -> Result<(), String> {
        for mark in &self.marks {
            let hints: Vec<&TimelineHint> =
                self.hints.iter().filter(|h| h.row == mark.row).collect();
            let pointing = |arrow: &str| hints.iter().all(|h| h.shows && h.text.contains(arrow));
            let fine = match mark.out.as_deref() {
                None => hints.is_empty(),
                Some("before") => hints.len() == 1 && pointing("◂"),
                Some(_) => hints.len() == 1 && pointing("▸"),
            };
            if !fine {
                return Err(format!("{mark:?} has the hints {hints:?}\n{self:?}"));
            }
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeline_opens_on_today_at_a_zoom_that_fits_points_at_what_is_out_of_view_and_fits_a_phone()
 {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1400, 1000).await else {
        return;
    };
    let site = Site::start().await;
    let all = titles(site.roadmap().milestones.iter().map(|m| &**m));
    browser.goto(&site.url("/")).await;
    browser
        .wait_for_rows("every milestone in the table", &all)
        .await;
    // Read for 2026-01-20, the examples have open milestones from November
    // 2025 to the end of 2026: more than months can show beside today, so
    // the chart opens by quarter, with every one of them in view.
    let roadmap = site.roadmap();
    let open: Vec<&str> = roadmap
        .milestones
        .iter()
        .filter(|m| m.status.is_open() && m.target.is_some())
        .map(|m| m.title.as_str())
        .collect();
    let zoom_pressed = async |browser: &Browser| {
        browser
            .texts(".timeline-panel [aria-label='Zoom'] button[aria-pressed='true']")
            .await
    };
    browser
        .wait_until("the timeline opened by quarter", async |browser| {
            let pressed = zoom_pressed(browser).await;
            if pressed != ["Quarters"] {
                return Err(format!("the zoom pressed is {pressed:?}"));
            }
            let view = look(browser).await?;
            if !view.today {
                return Err(format!("today is not in view: {view:?}"));
            }
            for title in &open {
                match view.marks.iter().find(|m| m.title == *title) {
                    Some(mark) if mark.out.is_none() => {}
                    mark => return Err(format!("{title} is not in view: {mark:?}")),
                }
            }
            view.hints_match()
        })
        .await;
    let url = browser.client.current_url().await.map(|u| u.to_string());
    assert!(
        url.as_ref().is_ok_and(|u| !u.contains("zoom")),
        "the picked zoom is not written into the link: {url:?}"
    );
    browser.screenshot("timeline-by-quarter").await;

    // Months, once chosen, stay chosen: in the link, and over the quarters.
    browser
        .click(
            fantoccini::Locator::XPath(
                "//div[@aria-label='Zoom']/button[normalize-space()='Months']",
            ),
            "the Months button",
        )
        .await;
    browser
        .wait_until("months chosen, and kept in the link", async |browser| {
            let url = browser.client.current_url().await.map(|u| u.to_string());
            let pressed = zoom_pressed(browser).await;
            if url.as_ref().is_ok_and(|u| u.contains("zoom=month")) && pressed == ["Months"] {
                Ok(())
            } else {
                Err(format!("{url:?} with {pressed:?} pressed"))
            }
        })
        .await;
    let opened = browser
        .wait_until(
            "the timeline by month, with hints at its edges",
            async |browser| {
                let view = look(browser).await?;
                if !view.today {
                    return Err(format!("today is not in view: {view:?}"));
                }
                view.hints_match()?;
                Ok(view)
            },
        )
        .await;
    // "Cost dashboards per team" is due in the second half of 2026, at least
    // five months after the day the examples are read for: past the right
    // edge.
    let later = opened
        .marks
        .iter()
        .find(|m| m.title == "Cost dashboards per team")
        .unwrap_or_else(|| panic!("no mark for Cost dashboards per team: {opened:?}"));
    assert_eq!(later.out.as_deref(), Some("after"), "{opened:?}");
    let hint = opened
        .hints
        .iter()
        .position(|h| h.row == later.row)
        .unwrap_or_else(|| panic!("no hint on the row of {later:?}"));
    let milestone = roadmap
        .milestones
        .iter()
        .find(|m| m.title == later.title)
        .unwrap_or_else(|| panic!("{} is not in the roadmap", later.title));
    assert_eq!(
        opened.hints[hint].text,
        format!("{} ▸", milepost_shared::display::target_label(milestone)),
        "the hint names the target as written"
    );

    // Clicking the hint scrolls its milestone into view; the hints follow.
    let hints = browser
        .client
        .find_all(fantoccini::Locator::Css(".tl-chart .edge-hint"))
        .await
        .unwrap_or_else(|error| panic!("cannot find the hints: {error}"));
    hints[hint]
        .click()
        .await
        .unwrap_or_else(|error| panic!("cannot click the hint: {error}"));
    browser
        .wait_until("the clicked milestone in view", async |browser| {
            let view = look(browser).await?;
            let mark = view.marks.iter().find(|m| m.title == later.title);
            if mark.is_none_or(|m| m.out.is_some()) {
                return Err(format!("{mark:?} is still out of view"));
            }
            view.hints_match()
        })
        .await;
    browser.screenshot("timeline-scrolled").await;

    // Narrowing the window narrows the page with it (no sideways scrolling),
    // and the hints move to the chart's new edge: the milestone just scrolled
    // to, near the old right edge, is now past it. On a phone the label
    // column gives up room, so the chart is not a sliver beside it.
    const PAGE_WIDTHS: &str =
        "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];";
    for width in [900, 360] {
        browser
            .client
            .set_window_size(width, 1000)
            .await
            .unwrap_or_else(|error| panic!("cannot resize the window to {width}: {error}"));
        browser
            .wait_until(&format!("the page fitted to {width} px"), async |browser| {
                let widths = browser.js(PAGE_WIDTHS, vec![]).await;
                if widths[0] != widths[1] {
                    return Err(format!("the page is wider than the window: {widths}"));
                }
                let view = look(browser).await?;
                let mark = view.marks.iter().find(|m| m.title == later.title);
                if mark.is_none_or(|m| m.out.as_deref() != Some("after")) {
                    return Err(format!("{mark:?} shows in a narrower window"));
                }
                if view.chart < view.labels {
                    return Err(format!(
                        "the chart ({} px) is narrower than its labels ({} px)",
                        view.chart, view.labels
                    ));
                }
                view.hints_match()
            })
            .await;
    }
    browser.screenshot("timeline-phone").await;
    // The teams and problems below fit the phone too, once shown.
    let columns = browser
        .js(
            "const c = document.querySelector('.columns'); c.scrollIntoView(); \
             return [c.scrollWidth, c.clientWidth];",
            vec![],
        )
        .await;
    browser
        .wait_until("the teams and problems fitted to 360 px", async |browser| {
            let widths = browser
                .js(
                    "const c = document.querySelector('.columns'); \
                     return [c.scrollWidth, c.clientWidth];",
                    vec![],
                )
                .await;
            match (widths[0].as_f64(), widths[1].as_f64()) {
                (Some(scroll), Some(client)) if client > 0.0 && scroll <= client => Ok(()),
                _ => Err(format!(
                    "columns [scroll, client] width: {widths} (first: {columns})"
                )),
            }
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selected_milestone_is_scrolled_into_view_on_the_timeline() {
    let _one = ONE_BROWSER.lock().await;
    // Narrow enough that the detail panel leaves the chart a few months.
    let Some(browser) = Browser::open(1100, 1000).await else {
        return;
    };
    let site = Site::start().await;
    let roadmap = site.roadmap();
    let id_of = |title: &str| {
        roadmap
            .milestones
            .iter()
            .find(|m| m.title == title)
            .map(|m| m.id.clone())
            .unwrap_or_else(|| panic!("the corpus has no {title:?}"))
    };
    let detail_shows = async |browser: &Browser, title: &str| {
        let heading = browser.texts("#detail-title").await;
        if heading == [title] {
            Ok(())
        } else {
            Err(format!("the detail panel shows {heading:?}"))
        }
    };
    // A link to a milestone far down the chart (the 25th row; the box shows
    // about 16) opens with its row and its mark in view, the detail panel
    // open beside the page.
    const LOW: &str = "Bootstrap script GA";
    browser
        .goto(&site.url(&format!("/?m={}&zoom=month", id_of(LOW))))
        .await;
    browser
        .wait_until("the linked milestone on the chart", async |browser| {
            detail_shows(browser, LOW).await?;
            look(browser).await?.shows(LOW)
        })
        .await;
    // Its label is how a keyboard reaches a mark out of view: choosing
    // one whose mark is at the end of 2026 scrolls the chart there.
    const LATER: &str = "Cost dashboards per team";
    let before = look(&browser)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let later = before.marks.iter().find(|m| m.title == LATER);
    assert!(
        later.is_some_and(|m| m.out.as_deref() == Some("after")),
        "{LATER} should be out of view first: {later:?}"
    );
    browser
        .click(
            fantoccini::Locator::Css(&format!("button.tl-label[aria-label^='{LATER} — ']")),
            &format!("the label of {LATER}"),
        )
        .await;
    browser
        .wait_until("the chosen milestone on the chart", async |browser| {
            detail_shows(browser, LATER).await?;
            look(browser).await?.shows(LATER)
        })
        .await;
    browser.screenshot("timeline-selected").await;
    // Its owner is written as the group ref `group:default/platform`; the
    // panel and the table show the team it names.
    let owners = browser.texts(".detail .facts dd").await;
    assert!(
        owners.iter().any(|dd| dd.starts_with("Platform — ")),
        "detail facts: {owners:?}"
    );
    let rows = browser.texts("table.milestones tbody tr").await;
    let row = rows
        .iter()
        .find(|row| row.contains(LATER))
        .unwrap_or_else(|| panic!("no table row for {LATER}: {rows:?}"));
    assert!(
        row.contains("Platform") && !row.contains("group:default/platform"),
        "{row}"
    );
    // Closing the panel widens the chart again, and the hints follow its new
    // right edge: scrolled so that a mark (due at the end of March) lies just
    // past the edge, it has a hint, and once the panel closes it shows
    // without one.
    const MARCH: &str = "Encrypt exports at rest";
    const PAST_THE_EDGE: &str = r#"
const box = document.querySelector('.tl');
const mark = [...document.querySelectorAll('.tl-chart g.mark')]
  .find(g => g.querySelector('title').textContent.startsWith(arguments[0] + ' — '));
const right = box.getBoundingClientRect().left + box.clientLeft + box.clientWidth;
box.scrollLeft += mark.getBoundingClientRect().left - right - 60;
"#;
    browser.js(PAST_THE_EDGE, vec![json!(MARCH)]).await;
    let narrow = browser
        .wait_until("a milestone just past the edge", async |browser| {
            let view = look(browser).await?;
            let mark = view.marks.iter().find(|m| m.title == MARCH);
            if mark.is_none_or(|m| m.out.as_deref() != Some("after")) {
                return Err(format!("{mark:?}"));
            }
            view.hints_match()?;
            Ok(view)
        })
        .await;
    browser
        .click(
            fantoccini::Locator::Css("button[aria-label='Close details']"),
            "the detail panel's close button",
        )
        .await;
    browser
        .wait_until("the hints at the wider chart's edge", async |browser| {
            let view = look(browser).await?;
            if view.chart < narrow.chart + 100.0 {
                return Err(format!("the chart is {} px wide", view.chart));
            }
            view.shows(MARCH)
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_views_say_when_the_server_has_gone_and_keep_the_last_roadmap() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1024, 768).await else {
        return;
    };
    for (page, notice, shown) in [
        ("/", ".notice.warn", "table.milestones tbody tr"),
        (
            &*format!("/card?entity={PAYMENTS}"),
            ".card-stale",
            ".card-item-title",
        ),
    ] {
        let site = Site::start().await;
        browser.goto(&site.url(page)).await;
        browser
            .wait_until("the page's event stream to open", async |browser| {
                let open = DEFAULT_MAX_SSE_CLIENTS - site.state.sse_slots().available_permits();
                let rows = browser.texts(shown).await.len();
                (open > 0 && rows > 0)
                    .then_some(())
                    .ok_or(format!("{open} event streams open, {rows} rows shown"))
            })
            .await;
        assert!(
            browser.texts(notice).await.is_empty(),
            "{page}: no notice while the server is up"
        );
        drop(site);
        browser
            .wait_until("the page to say the server is gone", async |browser| {
                let said = browser.texts(notice).await;
                said.iter()
                    .any(|text| text.contains("Lost contact"))
                    .then_some(())
                    .ok_or(format!("{page}: {said:?}"))
            })
            .await;
        assert!(
            !browser.texts(shown).await.is_empty(),
            "{page}: the last roadmap stays on screen"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_source_file_shows_in_the_open_page_without_a_reload() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1280, 900).await else {
        return;
    };
    let site = Site::start().await;
    let roadmap = site.roadmap();
    let wallet = roadmap
        .milestones
        .iter()
        .find(|m| m.title == "Wallet SDK beta")
        .unwrap_or_else(|| panic!("the corpus has no 'Wallet SDK beta'"));
    let path = format!("/?team=Payments&m={}", wallet.id);
    let before = matching(&roadmap, &[("team", "Payments")]);
    browser.goto(&site.url(&path)).await;
    browser.wait_for_rows("Payments' milestones", &before).await;
    browser
        .wait_until("the detail panel", async |browser| {
            let heading = browser.texts("#detail-title").await;
            (heading == ["Wallet SDK beta"])
                .then_some(())
                .ok_or(format!("{heading:?}"))
        })
        .await;
    browser
        .js("window.milepostProbe = 'this page';", vec![])
        .await;
    // The page must be listening before the edit: a reload announced before
    // its event stream is open is not replayed to it (no Last-Event-ID yet).
    browser
        .wait_until("the page's event stream to open", async |_| {
            let open = DEFAULT_MAX_SSE_CLIENTS - site.state.sse_slots().available_permits();
            (open > 0)
                .then_some(())
                .ok_or(format!("{open} event streams open"))
        })
        .await;

    site.edit(
        "northwind/docs/payments/q1-plan.md",
        "| Wallet SDK beta                 |",
        "| Wallet SDK public beta          |",
    );
    // The server first (its own message if the watcher missed the edit), then the page.
    browser
        .wait_until("the server to re-read the edited file", async |_| {
            let titles = titles(site.roadmap().milestones.iter().map(|m| &**m));
            titles
                .iter()
                .any(|t| t == "Wallet SDK public beta")
                .then_some(())
                .ok_or(format!("the server still serves {titles:?}"))
        })
        .await;
    let after: Vec<String> = before
        .iter()
        .map(|t| {
            if t == "Wallet SDK beta" {
                "Wallet SDK public beta".to_string()
            } else {
                t.clone()
            }
        })
        .collect();
    browser
        .wait_for_rows("the edited title, live", &after)
        .await;
    browser
        .wait_until("the open panel to follow the edit", async |browser| {
            let heading = browser.texts("#detail-title").await;
            (heading == ["Wallet SDK public beta"])
                .then_some(())
                .ok_or(format!("{heading:?}"))
        })
        .await;
    let probe = browser
        .js("return window.milepostProbe || null;", vec![])
        .await;
    assert_eq!(
        probe,
        json!("this page"),
        "the page reloaded instead of updating in place"
    );
    let team = browser
        .js("return document.getElementById('f-team').value;", vec![])
        .await;
    assert_eq!(team, json!("Payments"), "the filter survived the reload");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_or_critical_violations() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1280, 900).await else {
        return;
    };
    let site = Site::start().await;
    let roadmap = site.roadmap();
    let all = titles(roadmap.milestones.iter().map(|m| &**m));
    let first_card = card_order(&roadmap, PAYMENTS)
        .first()
        .map(|m| m.title.clone())
        .unwrap_or_default();
    let mut report = BTreeMap::new();
    for scheme in ["light", "dark"] {
        browser.prefer_color_scheme(scheme).await;
        browser.goto(&site.url("/")).await;
        browser.wait_for_rows("the leadership view", &all).await;
        report.insert(format!("/ ({scheme})"), browser.axe_violations().await);

        browser
            .goto(&site.url(&format!("/card?entity={PAYMENTS}&theme={scheme}")))
            .await;
        browser
            .wait_until("the card", async |browser| {
                let shown = browser.texts(".card-item-title").await;
                (shown.first() == Some(&first_card))
                    .then_some(())
                    .ok_or(format!("{shown:?}"))
            })
            .await;
        report.insert(
            format!("/card (theme={scheme})"),
            browser.axe_violations().await,
        );
    }
    let failures: Vec<String> = report
        .iter()
        .filter(|(_, violations)| !violations.is_empty())
        .map(|(page, violations)| format!("{page}:\n  {}", violations.join("\n  ")))
        .collect();
    assert!(
        failures.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_reaches_filters_and_sorting_enter_filters_by_status_and_back_undoes_it() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1280, 900).await else {
        return;
    };
    let site = Site::start().await;
    let roadmap = site.roadmap();
    let all = titles(roadmap.milestones.iter().map(|m| &**m));
    let overdue = matching(&roadmap, &[("status", "overdue")]);
    browser.goto(&site.url("/")).await;
    browser.wait_for_rows("the leadership view", &all).await;

    // Tab from the top of the page to the "Overdue" count and press Enter.
    let mut path = Vec::new();
    let mut chip = None;
    for _ in 0..40 {
        browser.press(Key::Tab).await;
        let focused = browser.focused().await;
        path.push(format!(
            "{}#{}.{} {:?}",
            focused.tag, focused.id, focused.classes, focused.text
        ));
        if focused.has_class("count") && focused.has_class("s-overdue") {
            chip = Some(focused);
            break;
        }
    }
    let chip =
        chip.unwrap_or_else(|| panic!("Tab never reached the Overdue count; focus went {path:#?}"));
    assert!(chip.ring, "the focused Overdue count shows no focus ring");
    browser.press(Key::Enter).await;
    browser
        .wait_for_rows("only overdue milestones after Enter", &overdue)
        .await;
    let after = browser.focused().await;
    assert!(
        after.has_class("s-overdue") && after.has_class("active"),
        "focus left the pressed Overdue count: {after:?}"
    );
    let url = browser
        .client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    assert!(
        url.contains("status=overdue"),
        "Enter did not put the filter in the URL: {url}"
    );

    // Keep tabbing: the search box, the team filter and the button that
    // skips the chart's labels follow.
    let mut wanted: BTreeMap<&str, bool> = [
        ("search box", false),
        ("team filter", false),
        ("skip button", false),
    ]
    .into();
    for _ in 0..80 {
        browser.press(Key::Tab).await;
        let focused = browser.focused().await;
        path.push(format!(
            "{}#{}.{} {:?}",
            focused.tag, focused.id, focused.classes, focused.text
        ));
        let name = match (focused.id.as_str(), focused.has_class("skip")) {
            ("f-q", _) => "search box",
            ("f-team", _) => "team filter",
            (_, true) => "skip button",
            _ => continue,
        };
        assert!(
            focused.ring,
            "{name} is focused without a visible focus ring"
        );
        wanted.insert(name, true);
        if wanted.values().all(|reached| *reached) {
            break;
        }
    }
    let missed: Vec<&str> = wanted
        .iter()
        .filter(|(_, r)| !**r)
        .map(|(n, _)| *n)
        .collect();
    assert!(
        missed.is_empty(),
        "Tab never reached {missed:?}; focus went {path:#?}"
    );
    // Enter on it jumps past the chart: the next Tabs reach the table's
    // sortable headings, not the chart's labels.
    browser.press(Key::Enter).await;
    assert_eq!(
        browser.focused().await.id,
        "table-h",
        "the skip went elsewhere"
    );
    let mut after_skip = Vec::new();
    for _ in 0..3 {
        browser.press(Key::Tab).await;
        let focused = browser.focused().await;
        after_skip.push(format!(
            "{}#{}.{}",
            focused.tag, focused.id, focused.classes
        ));
        if focused.has_class("sort") {
            assert!(focused.ring, "a sortable heading is focused without a ring");
            break;
        }
    }
    assert!(
        after_skip.last().is_some_and(|f| f.contains("sort")),
        "Tab after the skip went {after_skip:?}"
    );

    // The filter was a history entry: Back brings every milestone back, in place.
    browser
        .js("window.milepostProbe = 'this page';", vec![])
        .await;
    browser
        .client
        .back()
        .await
        .unwrap_or_else(|error| panic!("history back failed: {error}"));
    browser
        .wait_for_rows("every milestone again after Back", &all)
        .await;
    let probe = browser
        .js("return window.milepostProbe || null;", vec![])
        .await;
    assert_eq!(probe, json!("this page"), "Back reloaded the page");

    // A team's button in the Teams panel filters by it and keeps the focus
    // (the panel is drawn again for the filter).
    let team = browser.texts(".team-name").await.into_iter().next();
    let team = team.unwrap_or_else(|| panic!("no team in the Teams panel"));
    browser
        .click(fantoccini::Locator::Css(".team-name"), "a team's button")
        .await;
    browser
        .wait_until(
            "the team's button focused after filtering",
            async |browser| {
                let focused = browser.focused().await;
                (focused.has_class("team-name") && focused.text == team)
                    .then_some(())
                    .ok_or(format!("focus is on {focused:?}"))
            },
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_detail_panel_closes_on_escape_returns_focus_and_keeps_the_opened_row_in_place() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1280, 900).await else {
        return;
    };
    let site = Site::start().await;
    let roadmap = site.roadmap();
    let first = &roadmap.milestones[0];
    let panel_open = async |browser: &Browser, open: bool| {
        browser
            .wait_until("the panel to open or close", async |browser| {
                let heading = browser.texts("#detail-title").await;
                (heading.is_empty() != open)
                    .then_some(())
                    .ok_or(format!("panel heading {heading:?}"))
            })
            .await;
    };
    // A deep link opens the panel with focus outside it; Escape still closes it.
    browser.goto(&site.url(&format!("/?m={}", first.id))).await;
    panel_open(&browser, true).await;
    browser.js("document.activeElement.blur();", vec![]).await;
    browser.press(Key::Escape).await;
    panel_open(&browser, false).await;
    let url = browser.js("return window.location.href;", vec![]).await;
    assert!(
        !url.as_str().unwrap_or_default().contains("m="),
        "the link still names the milestone: {url}"
    );
    // Opened from the table: Escape closes it and focus is back on the link.
    browser
        .click(
            fantoccini::Locator::Css("table.milestones a.title"),
            "a title link in the table",
        )
        .await;
    panel_open(&browser, true).await;
    browser.press(Key::Escape).await;
    panel_open(&browser, false).await;
    let focused = browser.focused().await;
    assert!(
        focused.tag == "a" && focused.has_class("title"),
        "focus went to {focused:?}, not back to the title link"
    );

    // A row opened from the middle of the table stays where it was on the
    // screen, though the panel narrows the table and rows wrap taller.
    let before = browser
        .js(
            "const a = document.querySelectorAll('table.milestones a.title')[12];\
             a.scrollIntoView({ block: 'center' });\
             window.milepostRow = a;\
             const top = a.getBoundingClientRect().top;\
             a.click();\
             return top;",
            vec![],
        )
        .await
        .as_f64()
        .unwrap_or_else(|| panic!("no 13th row"));
    panel_open(&browser, true).await;
    browser
        .wait_until("the opened row back in its place", async |browser| {
            let now = browser
                .js(
                    "return window.milepostRow.getBoundingClientRect().top;",
                    vec![],
                )
                .await
                .as_f64()
                .unwrap_or_default();
            ((now - before).abs() < 2.0)
                .then_some(())
                .ok_or(format!("the row was at {before} px and is at {now} px"))
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_posts_its_height_only_to_the_parent_origin_it_names() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = Browser::open(1000, 900).await else {
        return;
    };
    let site = Site::start().await;
    // A page of the same origin (allowed by the default frame-ancestors 'self')
    // frames the card twice: once naming this origin, once naming "*".
    browser.goto(&site.url("/embedding-test")).await;
    browser
        .js(
            "document.body.replaceChildren();\
             window.heights = { named: [], star: [] };\
             addEventListener('message', (e) => {\
               if (!e.data || e.data.type !== 'milepost:height') return;\
               const from = e.source === document.getElementById('named').contentWindow ? 'named' : 'star';\
               window.heights[from].push(e.data.height); });\
             for (const [id, origin] of [['named', location.origin], ['star', '*']]) {\
               const frame = document.createElement('iframe');\
               frame.id = id; frame.title = id; frame.style.cssText = 'width: 600px; height: 300px';\
               frame.src = '/card?entity=' + encodeURIComponent(arguments[0])\
                 + '&parentOrigin=' + encodeURIComponent(origin);\
               document.body.append(frame); }",
            vec![json!(PAYMENTS)],
        )
        .await;
    let wide = browser
        .wait_until(
            "a height from the card that names this origin",
            async |browser| {
                let heights = browser.js("return window.heights.named;", vec![]).await;
                let heights: Vec<f64> = serde_json::from_value(heights).unwrap_or_default();
                match heights.last() {
                    Some(&height) if height > 100.0 => Ok(height),
                    _ => Err(format!("heights posted so far: {heights:?}")),
                }
            },
        )
        .await;
    // Narrower, the card wraps and grows: it posts the new height.
    browser
        .js(
            "document.getElementById('named').style.width = '300px';",
            vec![],
        )
        .await;
    browser
        .wait_until("a taller height after the frame narrows", async |browser| {
            let heights = browser.js("return window.heights.named;", vec![]).await;
            let heights: Vec<f64> = serde_json::from_value(heights).unwrap_or_default();
            match heights.last() {
                Some(&height) if height > wide => Ok(()),
                _ => Err(format!("heights posted: {heights:?} (wide: {wide})")),
            }
        })
        .await;
    // The card given "*" has rendered too, yet its parent heard nothing.
    browser
        .wait_until("the card given '*' to render", async |browser| {
            let rendered = browser
                .js(
                    "return !!document.getElementById('star').contentDocument\
                       ?.querySelector('.card-item-title');",
                    vec![],
                )
                .await;
            (rendered == json!(true))
                .then_some(())
                .ok_or("no milestone in the '*' card yet".to_string())
        })
        .await;
    let star = browser.js("return window.heights.star;", vec![]).await;
    assert_eq!(
        star,
        json!([]),
        "the card posted its height with parentOrigin=*"
    );
}

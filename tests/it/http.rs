//! The HTTP server: every endpoint, filter and error through the router
//! (`oneshot`), then a real bound port for caching, compression, headers,
//! live reload over SSE, broken and deleted sources, and traversal attempts.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use milepost_server::assets::Assets;
use milepost_server::config::{FileConfig, Overrides, ServeConfig, SourceSpec};
use milepost_server::watch::Library;
use milepost_server::{AppState, HttpSettings, Server, app};
use milepost_shared::read::ReadOptions;
use milepost_shared::{ApiError, Diagnostic, Document, Milestone, Roadmap, Severity, Status, Team};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tower::ServiceExt as _;

use crate::support::{day, examples_dir};

/// How long a test waits for something the server does in the background
/// (a reload, compression). Generous: this is a deadline, not a measurement.
const PATIENCE: Duration = Duration::from_secs(30);

const INDEX_HTML: &str = "<!doctype html><html><head>\
<link rel=\"modulepreload\" href=\"/milepost-app-0123456789abcdef.js\">\
<script type=\"module\">import init from '/milepost-app-0123456789abcdef.js';init();</script>\
</head><body></body></html>";

/// The card's own page (a smaller wasm binary), with a loader of its own.
const CARD_HTML: &str = "<!doctype html><html><head>\
<script type=\"module\">import init from '/card/milepost-card-0123456789abcdef.js';init();</script>\
</head><body></body></html>";

fn test_assets() -> Assets {
    Assets::from_files([
        ("index.html".to_string(), INDEX_HTML.as_bytes().to_vec()),
        ("card/index.html".to_string(), CARD_HTML.as_bytes().to_vec()),
        (
            "milepost-app-0123456789abcdef.js".to_string(),
            "export default function init() {}\n"
                .repeat(100)
                .into_bytes(),
        ),
        (
            "favicon.svg".to_string(),
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        ),
    ])
}

fn example_sources() -> Vec<SourceSpec> {
    vec![
        SourceSpec {
            path: examples_dir().join("backstage-mvp.md"),
            source_url: Some("https://git.example.com/blob/main/docs".to_string()),
        },
        SourceSpec {
            path: examples_dir().join("northwind"),
            source_url: None,
        },
    ]
}

/// A router over the bundled examples, read for `today`.
fn examples_app(today: &str, settings: HttpSettings) -> (Router, AppState) {
    let mut library = Library::open(
        &example_sources(),
        ReadOptions::new(day(today)),
        Some(day(today)),
    )
    .unwrap_or_else(|error| panic!("cannot open the examples: {error}"));
    let state = AppState::with_assets(settings, test_assets());
    state.publish(library.roadmap());
    (app(state.clone()), state)
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not the expected JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|error| match error {});
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|collected| collected.to_bytes().to_vec())
        .unwrap_or_else(|error| panic!("body error: {error}"));
    Answer {
        status,
        headers,
        body,
    }
}

fn request(method: Method, uri: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap_or_else(|error| panic!("bad test request {uri}: {error}"))
}

async fn get(router: &Router, uri: &str) -> Answer {
    send(router, request(Method::GET, uri)).await
}

/// Every team of a filtered answer owns one of its milestones, and lists
/// only milestones the answer holds.
fn teams_of_the_milestones(roadmap: &Roadmap) {
    let kept = ids(roadmap);
    for team in &roadmap.teams {
        assert!(
            !team.milestones.is_empty(),
            "{} owns nothing here",
            team.name
        );
        for id in &team.milestones {
            assert!(
                kept.contains(&id.as_str()),
                "{}: {id} is not in the answer",
                team.name
            );
        }
    }
}

fn ids(roadmap: &Roadmap) -> Vec<&str> {
    roadmap.milestones.iter().map(|m| m.id.as_str()).collect()
}

// ---------------------------------------------------------------- router

#[tokio::test]
async fn roadmap_unfiltered_is_the_whole_snapshot() {
    let (router, state) = examples_app("2026-01-20", HttpSettings::default());
    let answer = get(&router, "/api/roadmap").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert!(
        answer
            .header("etag")
            .is_some_and(|tag| tag.starts_with('"'))
    );
    let roadmap: Roadmap = answer.json();
    assert_eq!(roadmap, state.snapshot().roadmap);
    assert_eq!(roadmap.revision, 1);
    assert_eq!(roadmap.today, Some(day("2026-01-20")));
    // backstage-mvp (4) and northwind (25) together.
    assert_eq!(roadmap.milestones.len(), 29);
    // "View source" links for the root that has a base URL, none for the other.
    let document = roadmap
        .documents
        .iter()
        .find(|d| d.path == "backstage-mvp.md")
        .unwrap_or_else(|| panic!("no backstage-mvp.md in {:?}", roadmap.documents));
    assert_eq!(
        document.source_url.as_deref(),
        Some("https://git.example.com/blob/main/docs/backstage-mvp.md")
    );
    let milestone = roadmap
        .milestones
        .iter()
        .find(|m| m.id == "backstage-mvp/template-publishing")
        .unwrap_or_else(|| panic!("missing milestone"));
    assert_eq!(
        milestone.source_url,
        Some(format!(
            "https://git.example.com/blob/main/docs/backstage-mvp.md#L{}",
            milestone.line
        ))
    );
    assert!(
        roadmap
            .milestones
            .iter()
            .filter(|m| m.document.starts_with("docs/"))
            .all(|m| m.source_url.is_none())
    );
}

#[tokio::test]
async fn roadmap_filters_narrow_the_milestones() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());

    let roadmap: Roadmap = get(
        &router,
        "/api/roadmap?entity=component:default/payments-gateway",
    )
    .await
    .json();
    assert_eq!(
        ids(&roadmap),
        [
            "PAY-1", "PAY-2", "PAY-3", "PAY-4", "PAY-5", "PAY-6", "PAY-7", "PAY-8"
        ]
    );
    assert!(
        roadmap
            .documents
            .iter()
            .all(|d| d.path == "docs/payments/q1-plan.md")
    );
    // Teams come with the milestones of this answer only, not the portfolio's.
    let payments = roadmap
        .teams
        .iter()
        .find(|t| t.name == "Payments")
        .unwrap_or_else(|| panic!("no Payments team: {:?}", roadmap.teams));
    assert_eq!(
        payments.milestones,
        ["PAY-1", "PAY-2", "PAY-4", "PAY-5", "PAY-8"]
    );
    assert!(
        roadmap
            .teams
            .iter()
            .flat_map(|t| &t.milestones)
            .all(|id| ids(&roadmap).contains(&id.as_str())),
        "{:?}",
        roadmap.teams
    );
    assert!(!roadmap.teams.iter().any(|t| t.name == "Security"));

    let roadmap: Roadmap = get(
        &router,
        "/api/roadmap?document=docs/payments/q1-plan.md&status=blocked",
    )
    .await
    .json();
    assert_eq!(ids(&roadmap), ["PAY-3", "PAY-4", "PAY-5", "PAY-6"]);

    // Repeated and comma-separated statuses mean "any of".
    let repeated: Roadmap = get(
        &router,
        "/api/roadmap?document=docs/payments/q1-plan.md&status=overdue&status=cancelled",
    )
    .await
    .json();
    let comma: Roadmap = get(
        &router,
        "/api/roadmap?document=docs/payments/q1-plan.md&status=overdue,cancelled",
    )
    .await
    .json();
    assert_eq!(ids(&repeated), ["PAY-7", "PAY-8"]);
    assert_eq!(ids(&repeated), ids(&comma));

    // A team by name takes the milestones its owners name it in, by name
    // or by its group ref (SEC-101's owner is the catalog's group:default/security).
    let roadmap: Roadmap = get(&router, "/api/roadmap?team=security").await.json();
    assert!(ids(&roadmap).contains(&"SEC-101"), "{:?}", ids(&roadmap));
    assert!(roadmap.milestones.iter().all(|m| {
        m.owners.iter().any(|owner| {
            owner.eq_ignore_ascii_case("security")
                || owner.eq_ignore_ascii_case("group:default/security")
        })
    }));
    // The teams are those of the matching milestones, each with only its
    // matching milestones.
    teams_of_the_milestones(&roadmap);
    assert!(
        roadmap
            .teams
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case("security"))
    );
    // A co-owned milestone brings its other owners' teams (PAY-2 is owned
    // by Mobile and Payments).
    let payments: Roadmap = get(&router, "/api/roadmap?team=Payments").await.json();
    teams_of_the_milestones(&payments);
    let names: Vec<&str> = payments.teams.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains(&"Payments") && names.contains(&"Mobile"),
        "{names:?}"
    );

    let roadmap: Roadmap = get(&router, "/api/roadmap?q=wallet%20SDK").await.json();
    assert_eq!(ids(&roadmap), ["PAY-2"]);

    let none: Roadmap = get(&router, "/api/roadmap?q=no-such-words-anywhere")
        .await
        .json();
    assert!(none.milestones.is_empty());
}

#[tokio::test]
async fn today_override_recomputes_statuses_without_touching_the_snapshot() {
    let (router, state) = examples_app("2025-11-20", HttpSettings::default());
    let status_of = |roadmap: &Roadmap, id: &str| {
        roadmap
            .milestones
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.status)
            .unwrap_or_else(|| panic!("no milestone {id}"))
    };
    let later: Roadmap = get(
        &router,
        "/api/roadmap?today=2025-12-10&document=backstage-mvp.md",
    )
    .await
    .json();
    assert_eq!(later.today, Some(day("2025-12-10")));
    assert_eq!(later.milestones.len(), 4);
    assert_eq!(
        status_of(&later, "backstage-mvp/template-publishing"),
        Status::Overdue
    );
    assert_eq!(
        status_of(&later, "backstage-mvp/self-service-qa-gating"),
        Status::Overdue
    );

    let now: Roadmap = get(&router, "/api/roadmap").await.json();
    assert_eq!(
        status_of(&now, "backstage-mvp/template-publishing"),
        Status::DueSoon
    );
    assert_eq!(state.snapshot().roadmap.today, Some(day("2025-11-20")));

    let milestone: Milestone = get(
        &router,
        "/api/milestones/backstage-mvp/template-publishing?today=2025-12-10",
    )
    .await
    .json();
    assert_eq!(milestone.status, Status::Overdue);
}

#[tokio::test]
async fn bad_filter_values_are_400_with_a_json_error() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());
    let check = |uri: &'static str, names: &'static str| {
        let router = router.clone();
        async move {
            let answer = get(&router, uri).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(answer.header("content-type"), Some("application/json"));
            let error: ApiError = answer.json();
            assert!(error.error.contains(names), "{uri}: {}", error.error);
        }
    };
    check("/api/roadmap?status=sideways", "sideways").await;
    check("/api/roadmap?status=done,nope", "nope").await;
    check("/api/roadmap?today=2026-02-30", "2026-02-30").await;
    check("/api/teams?status=bogus", "bogus").await;
    check("/api/export.md?group_by=planet", "planet").await;
    check("/api/milestones/PAY-1?today=tomorrow", "tomorrow").await;
}

#[tokio::test]
async fn milestones_are_found_by_id_even_with_slashes() {
    let (router, _) = examples_app("2025-11-20", HttpSettings::default());
    let milestone: Milestone = get(&router, "/api/milestones/backstage-mvp/template-publishing")
        .await
        .json();
    assert_eq!(milestone.title, "Template publishing");
    assert_eq!(milestone.status, Status::DueSoon);

    let milestone: Milestone = get(&router, "/api/milestones/PAY-3").await.json();
    assert_eq!(milestone.document, "docs/payments/q1-plan.md");

    let answer = get(&router, "/api/milestones/backstage-mvp/no-such-thing").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let error: ApiError = answer.json();
    assert!(
        error.error.contains("backstage-mvp/no-such-thing"),
        "{}",
        error.error
    );
}

#[tokio::test]
async fn teams_documents_and_diagnostics_endpoints() {
    let (router, state) = examples_app("2026-01-20", HttpSettings::default());
    let snapshot = state.snapshot();

    let teams: Vec<std::sync::Arc<Team>> = get(&router, "/api/teams").await.json();
    assert_eq!(teams, snapshot.roadmap.teams);
    assert!(teams.iter().any(|t| t.name == "Platform Engineering"));

    let documents: Vec<std::sync::Arc<Document>> = get(&router, "/api/documents").await.json();
    assert_eq!(documents, snapshot.roadmap.documents);
    assert_eq!(documents.len(), 6);

    let payments: Vec<Document> = get(
        &router,
        "/api/documents?entity=component:default/payments-gateway",
    )
    .await
    .json();
    assert_eq!(payments.len(), 1);

    let diagnostics: Vec<std::sync::Arc<Diagnostic>> =
        get(&router, "/api/diagnostics").await.json();
    assert_eq!(diagnostics, snapshot.roadmap.diagnostics);
}

#[tokio::test]
async fn diagnostics_of_broken_sources_are_served() {
    let sources = vec![SourceSpec {
        path: examples_dir().join("malformed"),
        source_url: None,
    }];
    let mut library = Library::open(&sources, ReadOptions::new(day("2026-01-20")), None)
        .unwrap_or_else(|error| panic!("{error}"));
    let state = AppState::with_assets(HttpSettings::default(), test_assets());
    state.publish(library.roadmap());
    let router = app(state);
    let diagnostics: Vec<Diagnostic> = get(&router, "/api/diagnostics").await.json();
    assert!(
        diagnostics
            .iter()
            .any(|d| d.path == "not-yaml.roadmap.yaml" && d.severity == Severity::Error),
        "{diagnostics:?}"
    );
    assert!(diagnostics.iter().all(|d| d.line >= 1));
}

#[tokio::test]
async fn export_md_is_the_markdown_report_with_the_same_filters() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());
    let answer = get(&router, "/api/export.md").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    let report = answer.text();
    assert!(report.starts_with("# Roadmap status report"));
    assert!(report.contains("29 milestones"), "{report}");
    // The second request is served from the cache, with the same headers.
    let again = get(&router, "/api/export.md").await;
    assert_eq!(again.text(), report);
    assert_eq!(
        again.header("content-disposition"),
        Some("inline; filename=\"roadmap.md\"")
    );

    let report = get(
        &router,
        "/api/export.md?entity=component:default/payments-gateway&status=blocked",
    )
    .await
    .text();
    assert!(report.contains("4 milestones"), "{report}");
    assert!(report.contains("| Blocked | `PAY-3` |"), "{report}");
    assert!(!report.contains("| Done | `PAY-1` |"), "{report}");

    let report = get(&router, "/api/export.md?group_by=team&team=Payments")
        .await
        .text();
    assert!(report.contains("## Payments"), "{report}");
}

#[tokio::test]
async fn health_and_readiness() {
    let state = AppState::with_assets(HttpSettings::default(), test_assets());
    let router = app(state.clone());
    assert_eq!(get(&router, "/healthz").await.status, StatusCode::OK);
    let answer = get(&router, "/readyz").await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    let _: ApiError = answer.json();
    state.publish(Roadmap::default());
    assert_eq!(get(&router, "/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn event_streams_are_bounded() {
    let settings = HttpSettings {
        max_sse_clients: 1,
        ..HttpSettings::default()
    };
    let (router, _) = examples_app("2026-01-20", settings);
    let first = router
        .clone()
        .oneshot(request(Method::GET, "/api/events"))
        .await
        .unwrap_or_else(|error| match error {});
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(
        first
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let second = get(&router, "/api/events").await;
    assert_eq!(second.status, StatusCode::SERVICE_UNAVAILABLE);
    let _: ApiError = second.json();
    // Closing the first stream frees its slot.
    drop(first);
    let third = router
        .clone()
        .oneshot(request(Method::GET, "/api/events"))
        .await
        .unwrap_or_else(|error| match error {});
    assert_eq!(third.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_server_is_read_only() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());
    for (method, uri) in [
        (Method::POST, "/api/roadmap"),
        (Method::PUT, "/api/milestones/PAY-1"),
        (Method::DELETE, "/api/teams"),
        (Method::POST, "/"),
        (Method::PATCH, "/card"),
    ] {
        let answer = send(&router, request(method.clone(), uri)).await;
        assert_eq!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}"
        );
        let _: ApiError = answer.json();
    }
    let head = send(&router, request(Method::HEAD, "/api/roadmap")).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());
    let answer = get(&router, "/api/nothing-here").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let error: ApiError = answer.json();
    assert!(error.error.contains("/api/nothing-here"));
}

#[tokio::test]
async fn frontend_files_client_routes_and_cache_headers() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());
    for (route, page) in [
        ("/", INDEX_HTML),
        ("/teams/payments", INDEX_HTML),
        ("/card/component:default/x", INDEX_HTML),
        // The card is a page of its own, with or without a trailing slash.
        ("/card", CARD_HTML),
        ("/card/", CARD_HTML),
    ] {
        let answer = get(&router, route).await;
        assert_eq!(answer.status, StatusCode::OK, "{route}");
        assert_eq!(answer.text(), page, "{route}");
        assert_eq!(answer.header("cache-control"), Some("no-cache"), "{route}");
        assert!(
            answer.header("content-security-policy").is_some(),
            "{route}"
        );
    }
    let script = get(&router, "/milepost-app-0123456789abcdef.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        script.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // Scripts are not documents: no CSP or referrer policy bytes on them,
    // but never sniffed.
    assert_eq!(script.header("x-content-type-options"), Some("nosniff"));
    assert!(script.header("content-security-policy").is_none());
    assert!(script.header("referrer-policy").is_none());
    let icon = get(&router, "/favicon.svg").await;
    assert_eq!(icon.header("cache-control"), Some("no-cache"));
    assert_eq!(
        get(&router, "/missing-0123456789abcdef.js").await.status,
        StatusCode::NOT_FOUND
    );

    // Trunk's inline loader is allowed by its hash, not by 'unsafe-inline'.
    let csp = get(&router, "/")
        .await
        .header("content-security-policy")
        .map(str::to_string);
    let csp = csp.unwrap_or_default();
    let script_src = csp
        .split(';')
        .find(|directive| directive.trim().starts_with("script-src"))
        .unwrap_or_default();
    // Both pages' loaders: the portfolio's and the card's.
    assert_eq!(script_src.matches("'sha256-").count(), 2, "{csp}");
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    assert!(script_src.contains("'wasm-unsafe-eval'"), "{csp}");
}

#[tokio::test]
async fn traversal_attempts_never_reach_the_disk() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());
    for uri in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e/",
        "/assets/..%2f..%2fCargo.toml",
        "/..%5c..%5cCargo.toml",
        "/./Cargo.toml",
        "/%2e%2e%2f%2e%2e%2fserver/Cargo.toml",
        "/Cargo.toml",
        "/server/src/main.rs",
    ] {
        let answer = get(&router, uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        let text = answer.text();
        assert!(
            !text.contains("[package]") && !text.contains("[workspace]"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn symlinks_out_of_a_source_root_are_not_read() {
    let outside = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let root = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    write(
        &outside.path().join("secret.md"),
        "# Secret\n\n- [ ] Secret launch (owner: Nobody)\n",
    );
    write(&root.path().join("plan.md"), &plan("Visible work"));
    #[cfg(unix)]
    {
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, root.path().join(name))
                .unwrap_or_else(|error| panic!("symlink: {error}"));
        };
        link(&outside.path().join("secret.md"), "leak.md");
        link(outside.path(), "leaked-dir");
        link(&root.path().join("plan.md"), "alias.md");
    }
    let sources = vec![SourceSpec {
        path: root.path().to_path_buf(),
        source_url: None,
    }];
    let mut library = Library::open(&sources, ReadOptions::new(day("2026-01-20")), None)
        .unwrap_or_else(|error| panic!("{error}"));
    let roadmap = library.roadmap();
    let titles: Vec<&str> = roadmap
        .milestones
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert!(titles.contains(&"Visible work"), "{titles:?}");
    assert!(!titles.iter().any(|t| t.contains("Secret")), "{titles:?}");
    assert!(
        roadmap
            .documents
            .iter()
            .all(|d| !d.path.starts_with("leak"))
    );
}

// ---------------------------------------------------------------- real port

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|error| panic!("mkdir: {error}"));
    }
    std::fs::write(path, text).unwrap_or_else(|error| panic!("write {}: {error}", path.display()));
}

/// Replaces a file atomically: write a temporary file, then rename it.
fn replace(path: &Path, text: &str) {
    let temporary = path.with_extension("md.saving");
    write(&temporary, text);
    std::fs::rename(&temporary, path).unwrap_or_else(|error| panic!("rename: {error}"));
}

/// A small roadmap document with one task-list milestone per title.
fn plan(titles: &str) -> String {
    let mut text = String::from("# Plan\n\n## Work\n\n");
    for title in titles.split(';') {
        text.push_str(&format!(
            "- [ ] {title} (owner: Payments) (target 2026-03-02)\n"
        ));
    }
    text
}

struct Running {
    address: SocketAddr,
    state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    async fn start(overrides: Overrides) -> Running {
        let config = ServeConfig::resolve(overrides, FileConfig::default(), None)
            .unwrap_or_else(|error| panic!("config: {error}"));
        let server = Server::start(&config).unwrap_or_else(|error| panic!("start: {error}"));
        let state = server.state.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|error| panic!("bind: {error}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|error| panic!("address: {error}"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.run(listener, async move {
            let _ = stopped.await;
        }));
        Running {
            address,
            state,
            stop: Some(stop),
            task: Some(task),
        }
    }

    async fn get(&self, target: &str, headers: &[(&str, &str)]) -> RawAnswer {
        raw_request(self.address, "GET", target, headers).await
    }

    async fn roadmap(&self) -> Roadmap {
        let answer = self.get("/api/roadmap", &[]).await;
        serde_json::from_slice(&answer.body).unwrap_or_else(|error| panic!("roadmap JSON: {error}"))
    }

    /// Waits until the served roadmap satisfies `done`.
    async fn wait_for(&self, what: &str, done: impl Fn(&Roadmap) -> bool) -> Roadmap {
        let started = Instant::now();
        loop {
            let roadmap = self.roadmap().await;
            if done(&roadmap) {
                return roadmap;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "gave up waiting for {what}: {roadmap:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the server gracefully and checks that it stopped cleanly.
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(PATIENCE, task)
                .await
                .unwrap_or_else(|_| panic!("server did not shut down"));
            assert!(
                matches!(result, Ok(Ok(()))),
                "server ended badly: {result:?}"
            );
        }
    }
}

fn overrides(sources: &[&Path]) -> Overrides {
    Overrides {
        sources: sources
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect(),
        today: Some(day("2026-01-20")),
        ..Overrides::default()
    }
}

struct RawAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawAnswer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One HTTP/1.1 request written byte for byte (so paths reach the server
/// exactly as a hostile client would send them).
async fn raw_request(
    address: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> RawAnswer {
    let mut stream = TcpStream::connect(address)
        .await
        .unwrap_or_else(|error| panic!("connect: {error}"));
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .await
        .unwrap_or_else(|error| panic!("send: {error}"));
    let mut bytes = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut bytes))
        .await
        .unwrap_or_else(|_| panic!("no answer to {method} {target}"))
        .unwrap_or_else(|error| panic!("read: {error}"));
    parse_answer(&bytes)
}

fn parse_answer(bytes: &[u8]) -> RawAnswer {
    let split = bytes
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in {head}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    RawAnswer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = bytes.windows(2).position(|window| window == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&bytes[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        let end = (start + size).min(bytes.len());
        out.extend_from_slice(&bytes[start..end]);
        bytes = &bytes[(end + 2).min(bytes.len())..];
    }
    out
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out)
        .unwrap_or_else(|error| panic!("not gzip: {error}"));
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(bytes, 4096), &mut out)
        .unwrap_or_else(|error| panic!("not brotli: {error}"));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etag_304_and_compression_on_a_real_port() {
    let northwind = examples_dir().join("northwind");
    let server = Running::start(overrides(&[&northwind])).await;
    let identity = server.get("/api/roadmap", &[]).await;
    assert_eq!(identity.status, 200);
    assert!(identity.header("content-encoding").is_none());
    assert_eq!(identity.header("vary"), Some("accept-encoding"));

    // Compressed forms are made in the background once per revision.
    let started = Instant::now();
    let brotli_answer = loop {
        let answer = server
            .get("/api/roadmap", &[("Accept-Encoding", "gzip, br")])
            .await;
        if answer.header("content-encoding") == Some("br") {
            break answer;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "brotli never became available"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(unbrotli(&brotli_answer.body), identity.body);
    assert!(brotli_answer.body.len() < identity.body.len());

    let gzip_answer = server
        .get("/api/roadmap", &[("Accept-Encoding", "gzip")])
        .await;
    assert_eq!(gzip_answer.header("content-encoding"), Some("gzip"));
    assert_eq!(gunzip(&gzip_answer.body), identity.body);

    let refused = server
        .get("/api/roadmap", &[("Accept-Encoding", "br;q=0, gzip;q=0")])
        .await;
    assert!(refused.header("content-encoding").is_none());

    let etag = gzip_answer
        .header("etag")
        .unwrap_or_else(|| panic!("no etag"))
        .to_string();
    assert_ne!(Some(etag.as_str()), brotli_answer.header("etag"));
    let cached = server
        .get(
            "/api/roadmap",
            &[("Accept-Encoding", "gzip"), ("If-None-Match", &etag)],
        )
        .await;
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    assert_eq!(cached.header("etag"), Some(etag.as_str()));
    let stale = server
        .get("/api/roadmap", &[("If-None-Match", "\"something-else\"")])
        .await;
    assert_eq!(stale.status, 200);

    // Filtered answers are compressed and cacheable too.
    let filtered = server
        .get(
            "/api/roadmap?entity=component:default/payments-gateway",
            &[("Accept-Encoding", "gzip")],
        )
        .await;
    assert_eq!(filtered.status, 200);
    assert_eq!(filtered.header("content-encoding"), Some("gzip"));
    let roadmap: Roadmap =
        serde_json::from_slice(&gunzip(&filtered.body)).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(roadmap.milestones.len(), 8);
    let filtered_etag = filtered.header("etag").unwrap_or_default().to_string();
    let again = server
        .get(
            "/api/roadmap?entity=component:default/payments-gateway",
            &[
                ("Accept-Encoding", "gzip"),
                ("If-None-Match", &filtered_etag),
            ],
        )
        .await;
    assert_eq!(again.status, 304);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_and_cors_on_a_real_port() {
    let northwind = examples_dir().join("northwind");
    let server = Running::start(Overrides {
        frame_ancestors: vec!["self".into(), "https://backstage.example.com".into()],
        cors_origins: vec!["https://backstage.example.com".into()],
        ..overrides(&[&northwind])
    })
    .await;
    for target in ["/api/roadmap", "/", "/card", "/api/nothing", "/healthz"] {
        let answer = server.get(target, &[]).await;
        let csp = answer.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'self' https://backstage.example.com"),
            "{target}: {csp}"
        );
        assert!(csp.contains("default-src 'self'"), "{target}: {csp}");
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{target}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{target}"
        );
        assert!(answer.header("x-frame-options").is_none(), "{target}");
    }

    let allowed = server
        .get(
            "/api/roadmap",
            &[("Origin", "https://backstage.example.com")],
        )
        .await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://backstage.example.com")
    );
    let denied = server
        .get("/api/roadmap", &[("Origin", "https://evil.example.net")])
        .await;
    assert!(denied.header("access-control-allow-origin").is_none());

    let preflight = raw_request(
        server.address,
        "OPTIONS",
        "/api/roadmap",
        &[
            ("Origin", "https://backstage.example.com"),
            ("Access-Control-Request-Method", "GET"),
        ],
    )
    .await;
    assert!(
        preflight.status < 300,
        "preflight status {}",
        preflight.status
    );
    let methods = preflight
        .header("access-control-allow-methods")
        .unwrap_or_default();
    assert!(
        methods.contains("GET") && !methods.contains("POST"),
        "{methods}"
    );

    let header_flood = "x".repeat(40 * 1024);
    let too_big = server
        .get("/healthz", &[("X-Padding", &header_flood)])
        .await;
    assert!(
        too_big.status == 431 || too_big.status == 400,
        "{}",
        too_big.status
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_cors_headers_without_configured_origins() {
    let northwind = examples_dir().join("northwind");
    let server = Running::start(overrides(&[&northwind])).await;
    let answer = server
        .get(
            "/api/roadmap",
            &[("Origin", "https://backstage.example.com")],
        )
        .await;
    assert!(answer.header("access-control-allow-origin").is_none());
    let csp = answer.header("content-security-policy").unwrap_or_default();
    assert!(csp.ends_with("frame-ancestors 'self'"), "{csp}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traversal_attempts_on_a_real_port() {
    let northwind = examples_dir().join("northwind");
    let server = Running::start(overrides(&[&northwind])).await;
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e/",
        "/assets/..%2f..%2fCargo.toml",
        "/..%2f..%2f..%2fetc/passwd",
        "/%2e%2e%5c%2e%2e%5cCargo.toml",
        "/examples/northwind/catalog-info.yaml",
        "/../../../../etc/passwd",
    ] {
        let answer = server.get(target, &[]).await;
        let text = String::from_utf8_lossy(&answer.body);
        assert!(
            answer.status == 404 || answer.status == 400,
            "{target}: {}",
            answer.status
        );
        assert!(
            !text.contains("[package]") && !text.contains("root:") && !text.contains("apiVersion"),
            "{target}: {text}"
        );
    }
    server.stop().await;
}

/// Opens `/api/events` and returns the stream once the server answered (so
/// it is subscribed).
async fn open_events(address: SocketAddr) -> (TcpStream, Vec<u8>) {
    open_events_after(address, None).await
}

/// [`open_events`] as a client reconnecting after `last_event_id`.
async fn open_events_after(
    address: SocketAddr,
    last_event_id: Option<u64>,
) -> (TcpStream, Vec<u8>) {
    let mut stream = TcpStream::connect(address)
        .await
        .unwrap_or_else(|error| panic!("connect: {error}"));
    let last = last_event_id.map_or(String::new(), |id| format!("Last-Event-ID: {id}\r\n"));
    let head = format!(
        "GET /api/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n{last}\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .unwrap_or_else(|error| panic!("send: {error}"));
    let mut seen = Vec::new();
    read_until(&mut stream, &mut seen, b"\r\n\r\n").await;
    assert!(
        seen.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    (stream, seen)
}

async fn read_until(stream: &mut TcpStream, seen: &mut Vec<u8>, needle: &[u8]) {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    while !seen.windows(needle.len()).any(|window| window == needle) {
        let left = PATIENCE.saturating_sub(started.elapsed());
        let read = tokio::time::timeout(left, stream.read(&mut buffer))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "gave up waiting for {:?} in {}",
                    String::from_utf8_lossy(needle),
                    String::from_utf8_lossy(seen)
                )
            })
            .unwrap_or_else(|error| panic!("read: {error}"));
        assert!(read > 0, "stream closed: {}", String::from_utf8_lossy(seen));
        seen.extend_from_slice(&buffer[..read]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_reconnecting_with_another_revision_gets_the_current_one_at_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    write(&dir.path().join("plan.md"), &plan("Launch the wallet"));
    let server = Running::start(overrides(&[dir.path()])).await;
    assert_eq!(server.roadmap().await.revision, 1);
    // New, older, and from before a restart (revisions began again at 1).
    for last in [None, Some(0), Some(99)] {
        let (mut events, mut seen) = open_events_after(server.address, last).await;
        read_until(&mut events, &mut seen, b"id: 1\ndata: {\"revision\":1}").await;
    }
    // Up to date: nothing is sent until the next reload.
    let (mut events, mut seen) = open_events_after(server.address, Some(1)).await;
    let mut buffer = [0u8; 1024];
    let quiet = tokio::time::timeout(Duration::from_millis(300), events.read(&mut buffer)).await;
    if let Ok(Ok(read)) = quiet {
        seen.extend_from_slice(&buffer[..read]);
    }
    assert!(
        !String::from_utf8_lossy(&seen).contains("\"revision\""),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    server.stop().await;
}

/// A named pipe with a roadmap's name is no file to read: the server skips
/// it and goes on reloading the others (opening it would wait forever).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_pipe_among_the_sources_does_not_stop_reloads() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = dir.path().join("plan.md");
    write(&file, &plan("Launch the wallet"));
    let server = Running::start(overrides(&[dir.path()])).await;
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.md"))
        .status()
        .unwrap_or_else(|error| panic!("mkfifo: {error}"));
    assert!(made.success(), "mkfifo failed");
    // Let the watcher meet the pipe first, then edit a real document.
    tokio::time::sleep(Duration::from_millis(300)).await;
    replace(&file, &plan("Launch the wallet;Retire the old gateway"));
    let roadmap = server
        .wait_for("the edit past the pipe", |r| {
            r.milestones
                .iter()
                .any(|m| m.title == "Retire the old gateway")
        })
        .await;
    assert!(roadmap.documents.iter().all(|d| d.path != "pipe.md"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_reloads_and_sends_one_event() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = dir.path().join("plan.md");
    write(&file, &plan("Launch the wallet"));
    let server = Running::start(overrides(&[dir.path()])).await;
    let first = server.roadmap().await;
    assert_eq!(first.revision, 1);
    assert_eq!(first.milestones.len(), 1);

    let (mut events, mut seen) = open_events(server.address).await;
    // Saved the way editors save (a temporary file renamed over the old
    // one), so the server can never read a half-written file.
    replace(&file, &plan("Launch the wallet;Retire the old gateway"));
    read_until(&mut events, &mut seen, b"data: {\"revision\":2}").await;

    let roadmap = server.roadmap().await;
    assert_eq!(roadmap.revision, 2);
    let titles: Vec<&str> = roadmap
        .milestones
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert_eq!(titles, ["Launch the wallet", "Retire the old gateway"]);

    // A new file appears, a deleted one drops out.
    write(&dir.path().join("nested/more.md"), &plan("Nested work"));
    let roadmap = server
        .wait_for("the new file", |r| {
            r.milestones.iter().any(|m| m.title == "Nested work")
        })
        .await;
    assert!(roadmap.documents.iter().any(|d| d.path == "nested/more.md"));
    std::fs::remove_file(&file).unwrap_or_else(|error| panic!("{error}"));
    let roadmap = server
        .wait_for("the deleted file to drop out", |r| {
            r.milestones.iter().all(|m| m.title != "Launch the wallet")
        })
        .await;
    assert_eq!(roadmap.documents.len(), 1);
    // Shutdown does not wait for open event streams: it ends them.
    server.stop().await;
    let mut rest = Vec::new();
    let ended = tokio::time::timeout(PATIENCE, events.read_to_end(&mut rest)).await;
    assert!(ended.is_ok(), "the event stream stayed open after shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_event_stream_starts_with_the_current_revision() {
    // A page fetches the roadmap, then opens its stream: a reload in between
    // must not go unnoticed, so every new stream hears the current revision.
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = dir.path().join("plan.md");
    write(&file, &plan("Launch the wallet"));
    let server = Running::start(overrides(&[dir.path()])).await;
    replace(&file, &plan("Launch the wallet;Retire the old gateway"));
    server
        .wait_for("the edit", |r| r.milestones.len() == 2)
        .await;
    let (mut events, mut seen) = open_events(server.address).await;
    read_until(&mut events, &mut seen, b"data: {\"revision\":2}").await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_turning_malformed_keeps_the_rest_serving() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    write(&dir.path().join("good.md"), &plan("Steady work"));
    let yaml = dir.path().join("team.roadmap.yaml");
    write(
        &yaml,
        "title: Team roadmap\nmilestones:\n  - id: sso\n    title: SSO for the admin console\n    target: 2026-02-27\n",
    );
    let server = Running::start(overrides(&[dir.path()])).await;
    let before = server.roadmap().await;
    assert_eq!(before.milestones.len(), 2, "{before:?}");

    write(
        &yaml,
        "title: Team roadmap\nmilestones:\n  - id: sso\n    title: [unclosed\n  bad: : :\n",
    );
    let after = server
        .wait_for("a diagnostic for the broken file", |r| {
            r.diagnostics
                .iter()
                .any(|d| d.path == "team.roadmap.yaml" && d.severity == Severity::Error)
        })
        .await;
    assert!(after.milestones.iter().any(|m| m.title == "Steady work"));
    assert!(after.revision > before.revision);
    assert_eq!(server.get("/healthz", &[]).await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_source_directory_drops_out_and_comes_back() {
    let kept = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let parent = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let doomed: PathBuf = parent.path().join("doomed");
    write(&kept.path().join("kept.md"), &plan("Kept work"));
    write(&doomed.join("docs/gone.md"), &plan("Doomed work"));
    let server = Running::start(overrides(&[kept.path(), &doomed])).await;
    let before = server.roadmap().await;
    assert_eq!(before.milestones.len(), 2);

    std::fs::remove_dir_all(&doomed).unwrap_or_else(|error| panic!("{error}"));
    let after = server
        .wait_for("the deleted root to drop out", |r| r.milestones.len() == 1)
        .await;
    assert_eq!(after.milestones[0].title, "Kept work");
    assert_eq!(server.get("/healthz", &[]).await.status, 200);
    assert_eq!(server.get("/readyz", &[]).await.status, 200);

    // The root is picked up again when it is recreated.
    write(&doomed.join("back.md"), &plan("Returning work"));
    server
        .wait_for("the recreated root", |r| {
            r.milestones.iter().any(|m| m.title == "Returning work")
        })
        .await;
    assert!(server.state.is_ready());
    server.stop().await;
}

/// The reload step without the watcher: what `Library::apply` makes of a
/// changed, new, broken and deleted file (deterministic, no timing).
#[test]
fn reloading_rereads_only_what_changed() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let first = dir.path().join("plan.md");
    write(&first, &plan("Launch the wallet"));
    let sources = vec![SourceSpec {
        path: dir.path().to_path_buf(),
        source_url: None,
    }];
    let mut library = Library::open(&sources, ReadOptions::new(day("2026-01-20")), None)
        .unwrap_or_else(|error| panic!("{error}"));
    let titles = |roadmap: &Roadmap| -> Vec<String> {
        roadmap.milestones.iter().map(|m| m.title.clone()).collect()
    };
    assert_eq!(titles(&library.roadmap()), ["Launch the wallet"]);
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|e| panic!("{e}"));

    // Unchanged bytes are not a change.
    assert!(!library.apply(&[canonical(&first)]));

    write(&first, &plan("Launch the wallet;Retire the old gateway"));
    assert!(library.apply(&[canonical(&first)]));
    assert_eq!(
        titles(&library.roadmap()),
        ["Launch the wallet", "Retire the old gateway"]
    );

    let second = dir.path().join("more/next.roadmap.yaml");
    write(
        &second,
        "title: Next\nmilestones:\n  - id: sso\n    title: SSO for the admin console\n",
    );
    assert!(library.apply(&[canonical(&dir.path().join("more"))]));
    assert!(titles(&library.roadmap()).contains(&"SSO for the admin console".to_string()));

    write(&second, "title: Next\nmilestones: [unclosed\n");
    assert!(library.apply(&[canonical(&second)]));
    let roadmap = library.roadmap();
    assert!(
        roadmap
            .diagnostics
            .iter()
            .any(|d| d.path == "more/next.roadmap.yaml" && d.severity == Severity::Error),
        "{:?}",
        roadmap.diagnostics
    );
    assert_eq!(
        titles(&roadmap),
        ["Launch the wallet", "Retire the old gateway"]
    );

    let gone = canonical(&first);
    std::fs::remove_file(&first).unwrap_or_else(|error| panic!("{error}"));
    assert!(library.apply(&[gone]));
    let roadmap = library.roadmap();
    assert!(roadmap.milestones.is_empty(), "{:?}", titles(&roadmap));
    assert!(roadmap.documents.iter().all(|d| d.path != "plan.md"));
}

#[tokio::test]
async fn request_bodies_and_uris_are_bounded() {
    let (router, _) = examples_app("2026-01-20", HttpSettings::default());
    let body = vec![b'x'; 100 * 1024];
    let request = Request::builder()
        .method(Method::GET)
        .uri("/api/roadmap")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap_or_else(|error| panic!("{error}"));
    let answer = send(&router, request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let refused: ApiError = answer.json();
    assert!(refused.error.contains("body"), "{}", refused.error);

    let long = format!("/api/roadmap?q={}", "a".repeat(10 * 1024));
    let answer = get(&router, &long).await;
    assert_eq!(answer.status, StatusCode::URI_TOO_LONG);
    let _: ApiError = answer.json();
}

/// Two roots holding the same relative path: the later root's file is
/// prefixed with its folder name, and "view source" links keep the path
/// inside each root.
#[test]
fn same_names_in_two_roots_are_told_apart() {
    let first = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let parent = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let second = parent.path().join("payments");
    write(&first.path().join("docs/plan.md"), &plan("First root work"));
    write(&second.join("docs/plan.md"), &plan("Second root work"));
    let sources = vec![
        SourceSpec {
            path: first.path().to_path_buf(),
            source_url: None,
        },
        SourceSpec {
            path: second.clone(),
            source_url: Some("https://git.example.com/payments/blob/main".to_string()),
        },
    ];
    let mut library = Library::open(&sources, ReadOptions::new(day("2026-01-20")), None)
        .unwrap_or_else(|error| panic!("{error}"));
    let roadmap = library.roadmap();
    let mut paths: Vec<&str> = roadmap.documents.iter().map(|d| d.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["docs/plan.md", "payments/docs/plan.md"]);
    let second_document = roadmap
        .documents
        .iter()
        .find(|d| d.path == "payments/docs/plan.md")
        .unwrap_or_else(|| panic!("missing"));
    assert_eq!(
        second_document.source_url.as_deref(),
        Some("https://git.example.com/payments/blob/main/docs/plan.md")
    );
    assert_eq!(roadmap.milestones.len(), 2);
}

#[tokio::test]
async fn a_request_past_the_timeout_gets_408_and_the_server_keeps_serving() {
    let settings = HttpSettings {
        request_timeout: Duration::from_millis(200),
        ..HttpSettings::default()
    };
    let (router, state) = examples_app("2026-01-20", settings);
    // Every builder busy: a filtered answer not built yet has to wait.
    let builders = state.builders().clone();
    let busy = builders
        .clone()
        .acquire_many_owned(u32::try_from(builders.available_permits()).unwrap_or(u32::MAX))
        .await
        .unwrap_or_else(|error| panic!("cannot hold the builders: {error}"));
    let answer = get(&router, "/api/roadmap?status=overdue").await;
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    // A JSON error like every other, naming the setting to change.
    let error: ApiError = answer.json();
    assert!(
        error.error.contains("request_timeout_secs"),
        "{}",
        error.error
    );
    // Answers that need no builder are still served meanwhile.
    assert_eq!(get(&router, "/api/roadmap").await.status, StatusCode::OK);
    drop(busy);
    let answer = get(&router, "/api/roadmap?status=overdue").await;
    assert_eq!(answer.status, StatusCode::OK);
    let roadmap: Roadmap = answer.json();
    assert!(!roadmap.milestones.is_empty());
    assert!(
        roadmap
            .milestones
            .iter()
            .all(|m| m.status == Status::Overdue)
    );
}

#[tokio::test]
async fn a_group_entity_takes_the_milestones_its_team_owns() {
    let (router, _state) = examples_app("2026-01-20", HttpSettings::default());
    let everything: Roadmap = get(&router, "/api/roadmap").await.json();
    let team = everything
        .teams
        .iter()
        .find(|t| t.group_ref.as_deref() == Some("group:default/payments-team"))
        .unwrap_or_else(|| panic!("no team with the ref group:default/payments-team"));
    assert!(!team.milestones.is_empty());
    // A Backstage Group page's card asks for the group as its entity.
    let group: Roadmap = get(&router, "/api/roadmap?entity=Group:default/payments-team")
        .await
        .json();
    let mut expected: Vec<&str> = team.milestones.iter().map(String::as_str).collect();
    let mut got = ids(&group);
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected);
    teams_of_the_milestones(&group);
    // A component is still only its documents' milestones.
    let component: Roadmap = get(
        &router,
        "/api/roadmap?entity=component:default/payments-gateway",
    )
    .await
    .json();
    assert!(
        component
            .milestones
            .iter()
            .all(|m| m.entity.as_deref() == Some("component:default/payments-gateway"))
    );
}

#[tokio::test]
async fn a_team_filter_and_the_team_report_include_owners_written_as_its_group_ref() {
    let (router, _state) = examples_app("2026-01-20", HttpSettings::default());
    // cost-dashboards is owned by `group:default/platform`, Platform's ref.
    let roadmap: Roadmap = get(&router, "/api/roadmap?team=Platform").await.json();
    assert!(
        ids(&roadmap).contains(&"cost-dashboards"),
        "{:?}",
        ids(&roadmap)
    );
    let by_ref: Roadmap = get(&router, "/api/roadmap?team=group:default/platform")
        .await
        .json();
    assert_eq!(ids(&by_ref), ids(&roadmap));
    let names: Vec<&str> = by_ref.teams.iter().map(|t| t.name.as_str()).collect();
    assert!(names.contains(&"Platform"), "{names:?}");

    let report = get(&router, "/api/export.md?group_by=team").await.text();
    let platform = report
        .split("\n## ")
        .find(|section| section.starts_with("Platform\n"))
        .unwrap_or_else(|| panic!("no Platform section in:\n{report}"));
    assert!(platform.contains("cost-dashboards"), "{platform}");
    assert!(
        !report.contains("## No known team")
            || !report
                .split("## No known team")
                .nth(1)
                .is_some_and(|rest| rest.contains("cost-dashboards")),
        "{report}"
    );
}

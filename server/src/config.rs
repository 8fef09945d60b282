//! `milepost serve` settings: command-line flags (which clap also reads from
//! `MILEPOST_*` variables) over the TOML config file over defaults.
//!
//! The config file is the one named by `--config`/`MILEPOST_CONFIG`, else
//! `milepost.toml` in the current directory when there is one. Relative
//! source paths in the file are relative to the file's own directory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use serde::Deserialize;

/// Default address: loopback only, so a first run exposes nothing.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default number of open `/api/events` streams before new ones get 503.
pub const DEFAULT_MAX_SSE_CLIENTS: usize = 256;
/// Default request timeout in seconds.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// Default due-soon window in days (spec §2.5).
pub const DEFAULT_DUE_SOON_DAYS: i64 = 14;

/// A configuration problem a person must fix before the server starts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file '{path}': {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The config file is not valid TOML or has an unknown key or bad value.
    #[error("config file '{path}' is invalid: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message.
        message: String,
    },
    /// A single setting is wrong.
    #[error("{key}: {message}")]
    Invalid {
        /// The setting's config key.
        key: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// No sources were configured and the bundled examples were not found.
    #[error(
        "no sources: pass --source DIR (or set MILEPOST_SOURCES / `sources` in milepost.toml); \
         the bundled examples were not found either"
    )]
    NoSources,
}

/// One source entry of the config file: a bare path, or a table with a base
/// URL for "view source" links.
#[derive(Clone, Debug)]
pub enum SourceEntry {
    /// `sources = ["docs"]`
    Path(String),
    /// `[[sources]] path = "docs"  source_url = "https://…/blob/main/docs"`
    Table {
        /// The file or directory.
        path: String,
        /// Base URL of the root in its repository.
        source_url: Option<String>,
    },
}

/// A `[[sources]]` table as written: a misspelt key is an error, as at the
/// top level, not a link that silently never appears.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceTable {
    path: String,
    #[serde(default)]
    source_url: Option<String>,
}

impl<'de> Deserialize<'de> for SourceEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = SourceEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a path (\"docs\") or a table with `path` and an optional `source_url`")
            }
            fn visit_str<E: serde::de::Error>(self, path: &str) -> Result<SourceEntry, E> {
                Ok(SourceEntry::Path(path.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SourceEntry, A::Error> {
                let table =
                    SourceTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(SourceEntry::Table {
                    path: table.path,
                    source_url: table.source_url,
                })
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

/// `today` written as a TOML date (`today = 2026-01-20`) or as a string
/// (`today = "2026-01-20"`).
fn toml_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    use serde::de::Error;
    let text = match toml::Value::deserialize(deserializer)? {
        toml::Value::String(text) => text,
        toml::Value::Datetime(datetime) if datetime.time.is_none() && datetime.offset.is_none() => {
            datetime.to_string()
        }
        other => {
            return Err(D::Error::custom(format!(
                "expected a date such as 2026-01-20, found {other}"
            )));
        }
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| D::Error::custom(format!("'{text}' is not a date (write YYYY-MM-DD)")))
}

/// The config file, as written (every key optional).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Source roots.
    pub sources: Option<Vec<SourceEntry>>,
    /// Listen address (`127.0.0.1:8080`).
    pub listen: Option<String>,
    /// Due-soon window in days.
    pub due_soon_days: Option<i64>,
    /// Fixed `today` (for demos and tests).
    #[serde(default, deserialize_with = "toml_date")]
    pub today: Option<NaiveDate>,
    /// CSP `frame-ancestors` sources.
    pub frame_ancestors: Option<Vec<String>>,
    /// Origins allowed to call the API from a browser.
    pub cors_origins: Option<Vec<String>>,
    /// Team names known beforehand.
    pub teams: Option<Vec<String>>,
    /// Open SSE streams allowed at once.
    pub max_sse_clients: Option<usize>,
    /// Request timeout in seconds.
    pub request_timeout_secs: Option<u64>,
}

impl FileConfig {
    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path: path.to_path_buf(),
            message: error.to_string().trim().to_string(),
        })
    }
}

/// Settings given on the command line or in the environment (clap fills
/// both); `None`/empty means "not given".
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--source PATH[=URL]`.
    pub sources: Vec<String>,
    /// `--listen`.
    pub listen: Option<String>,
    /// `--due-soon-days`.
    pub due_soon_days: Option<i64>,
    /// `--today`.
    pub today: Option<NaiveDate>,
    /// `--frame-ancestor`.
    pub frame_ancestors: Vec<String>,
    /// `--cors-origin`.
    pub cors_origins: Vec<String>,
    /// `--team`.
    pub teams: Vec<String>,
    /// `--max-sse-clients`.
    pub max_sse_clients: Option<usize>,
    /// `--request-timeout-secs`.
    pub request_timeout_secs: Option<u64>,
}

/// One source root with its optional "view source" base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpec {
    /// File or directory.
    pub path: PathBuf,
    /// Base URL for links (`<base>/<path>#L<line>`).
    pub source_url: Option<String>,
}

/// The settings `milepost serve` runs with.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Source roots, in order.
    pub sources: Vec<SourceSpec>,
    /// Listen address.
    pub listen: SocketAddr,
    /// Due-soon window in days.
    pub due_soon_days: i64,
    /// Fixed `today`; `None` follows the clock.
    pub today: Option<NaiveDate>,
    /// CSP `frame-ancestors` sources, quoted where CSP wants quotes.
    pub frame_ancestors: Vec<String>,
    /// Origins allowed by CORS.
    pub cors_origins: Vec<String>,
    /// Known team names.
    pub teams: Vec<String>,
    /// Open SSE streams allowed at once.
    pub max_sse_clients: usize,
    /// Request timeout.
    pub request_timeout: Duration,
}

impl ServeConfig {
    /// Merges flags/env over the file over defaults, and validates.
    /// `file_dir` is the config file's directory (for relative source paths).
    pub fn resolve(
        overrides: Overrides,
        file: FileConfig,
        file_dir: Option<&Path>,
    ) -> Result<ServeConfig, ConfigError> {
        let sources = if !overrides.sources.is_empty() {
            overrides
                .sources
                .iter()
                .map(|text| parse_source_flag(text))
                .collect()
        } else if let Some(entries) = file.sources.filter(|entries| !entries.is_empty()) {
            entries
                .into_iter()
                .map(|entry| {
                    let (path, source_url) = match entry {
                        SourceEntry::Path(path) => (path, None),
                        SourceEntry::Table { path, source_url } => (path, source_url),
                    };
                    let path = PathBuf::from(path);
                    let path = match file_dir {
                        Some(dir) if path.is_relative() => dir.join(path),
                        _ => path,
                    };
                    SourceSpec { path, source_url }
                })
                .collect()
        } else {
            bundled_examples().ok_or(ConfigError::NoSources)?
        };
        for source in &sources {
            if let Some(url) = &source.source_url {
                check_header_safe("sources.source_url", url)?;
            }
        }

        let listen_text = overrides
            .listen
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
        let listen = listen_text.parse().map_err(|_| ConfigError::Invalid {
            key: "listen",
            message: format!("'{listen_text}' is not an address like 127.0.0.1:8080"),
        })?;

        let due_soon_days = overrides
            .due_soon_days
            .or(file.due_soon_days)
            .unwrap_or(DEFAULT_DUE_SOON_DAYS);
        if !(0..=3650).contains(&due_soon_days) {
            return Err(ConfigError::Invalid {
                key: "due_soon_days",
                message: format!("{due_soon_days} is out of range (0 to 3650 days)"),
            });
        }

        let frame_ancestors = pick(overrides.frame_ancestors, file.frame_ancestors)
            .unwrap_or_else(|| vec!["'self'".to_string()])
            .iter()
            .map(|source| csp_source(source))
            .collect::<Result<Vec<_>, _>>()?;

        let cors_origins = pick(overrides.cors_origins, file.cors_origins).unwrap_or_default();
        for origin in &cors_origins {
            check_origin(origin)?;
        }

        let max_sse_clients = overrides
            .max_sse_clients
            .or(file.max_sse_clients)
            .unwrap_or(DEFAULT_MAX_SSE_CLIENTS);
        let timeout_secs = overrides
            .request_timeout_secs
            .or(file.request_timeout_secs)
            .unwrap_or(DEFAULT_REQUEST_TIMEOUT_SECS);
        if timeout_secs == 0 {
            return Err(ConfigError::Invalid {
                key: "request_timeout_secs",
                message: "must be at least 1".to_string(),
            });
        }

        Ok(ServeConfig {
            sources,
            listen,
            due_soon_days,
            today: overrides.today.or(file.today),
            frame_ancestors,
            cors_origins,
            teams: pick(overrides.teams, file.teams).unwrap_or_default(),
            max_sse_clients,
            request_timeout: Duration::from_secs(timeout_secs),
        })
    }
}

/// The flag/env list when given, else the file's.
fn pick(flag: Vec<String>, file: Option<Vec<String>>) -> Option<Vec<String>> {
    let flag: Vec<String> = flag
        .into_iter()
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
        .collect();
    if flag.is_empty() { file } else { Some(flag) }
}

/// `PATH` or `PATH=URL` (the URL is the "view source" base of that root).
pub fn parse_source_flag(text: &str) -> SourceSpec {
    match text.split_once('=') {
        Some((path, url)) if url.starts_with("http://") || url.starts_with("https://") => {
            SourceSpec {
                path: PathBuf::from(path),
                source_url: Some(url.to_string()),
            }
        }
        _ => SourceSpec {
            path: PathBuf::from(text),
            source_url: None,
        },
    }
}

/// The bundled examples: `examples/backstage-mvp.md` and `examples/northwind`,
/// looked up from the current directory, then from the workspace this binary
/// was built in.
pub fn bundled_examples() -> Option<Vec<SourceSpec>> {
    let candidates = [
        PathBuf::from("examples"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"),
    ];
    candidates.into_iter().find_map(|dir| {
        let document = dir.join("backstage-mvp.md");
        let tree = dir.join("northwind");
        (document.is_file() && tree.is_dir()).then(|| {
            vec![
                SourceSpec {
                    path: document,
                    source_url: None,
                },
                SourceSpec {
                    path: tree,
                    source_url: None,
                },
            ]
        })
    })
}

/// A CSP source expression: keywords get their quotes (`self` → `'self'`);
/// anything that could break out of the header is refused.
fn csp_source(text: &str) -> Result<String, ConfigError> {
    let text = text.trim();
    let keyword = text.trim_matches('\'');
    let value = match keyword.to_ascii_lowercase().as_str() {
        "self" | "none" => format!("'{}'", keyword.to_ascii_lowercase()),
        _ => text.to_string(),
    };
    if value.is_empty()
        || value
            .chars()
            .any(|c| c == ';' || c == ',' || c.is_whitespace() || c.is_control())
    {
        return Err(ConfigError::Invalid {
            key: "frame_ancestors",
            message: format!(
                "'{text}' is not a CSP source (use 'self', 'none', or an origin such as https://backstage.example.com)"
            ),
        });
    }
    Ok(value)
}

/// A CORS origin must be `scheme://host[:port]`, nothing more.
fn check_origin(origin: &str) -> Result<(), ConfigError> {
    let valid = (origin.starts_with("http://") || origin.starts_with("https://"))
        && !origin.ends_with('/')
        && origin
            .split("://")
            .nth(1)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        && !origin
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',');
    if valid {
        Ok(())
    } else {
        Err(ConfigError::Invalid {
            key: "cors_origins",
            message: format!("'{origin}' is not an origin like https://backstage.example.com"),
        })
    }
}

fn check_header_safe(key: &'static str, value: &str) -> Result<(), ConfigError> {
    if value.chars().any(|c| c.is_control()) {
        return Err(ConfigError::Invalid {
            key,
            message: format!("'{}' contains control characters", value.escape_debug()),
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let config = ServeConfig::resolve(
            Overrides {
                listen: Some("127.0.0.1:9999".into()),
                sources: vec!["docs=https://example.com/blob/main/docs".into()],
                ..Overrides::default()
            },
            file(
                "listen = '0.0.0.0:1'\ndue_soon_days = 7\nframe_ancestors = ['self', 'https://backstage.example.com']\n",
            ),
            None,
        )
        .unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:9999");
        assert_eq!(config.due_soon_days, 7);
        assert_eq!(
            config.frame_ancestors,
            vec![
                "'self'".to_string(),
                "https://backstage.example.com".to_string()
            ]
        );
        assert_eq!(
            config.sources,
            vec![SourceSpec {
                path: "docs".into(),
                source_url: Some("https://example.com/blob/main/docs".into())
            }]
        );
        assert!(config.cors_origins.is_empty());
    }

    #[test]
    fn relative_file_sources_are_relative_to_the_file() {
        let config = ServeConfig::resolve(
            Overrides::default(),
            file("[[sources]]\npath = 'docs'\nsource_url = 'https://x.test/blob/main/docs'\n\n[[sources]]\npath = '/abs'\n"),
            Some(Path::new("/etc/milepost")),
        )
        .unwrap();
        assert_eq!(config.sources[0].path, PathBuf::from("/etc/milepost/docs"));
        assert_eq!(config.sources[1].path, PathBuf::from("/abs"));
    }

    #[test]
    fn bad_values_name_the_key() {
        let check = |overrides: Overrides, text: &str, key: &str| {
            let error = ServeConfig::resolve(overrides, file(text), None).unwrap_err();
            assert!(error.to_string().starts_with(key), "{error}");
        };
        let source = || Overrides {
            sources: vec!["docs".into()],
            ..Overrides::default()
        };
        check(source(), "listen = 'nowhere'", "listen");
        check(source(), "due_soon_days = -1", "due_soon_days");
        check(
            source(),
            "frame_ancestors = ['https://a.test; script-src *']",
            "frame_ancestors",
        );
        check(
            source(),
            "cors_origins = ['https://a.test/path']",
            "cors_origins",
        );
        check(source(), "request_timeout_secs = 0", "request_timeout_secs");
        assert!(toml::from_str::<FileConfig>("lisen = 'typo'").is_err());
    }

    #[test]
    fn a_misspelt_source_key_is_an_error_that_names_it() {
        for text in [
            "[[sources]]\npath = 'docs'\nsource_ur = 'https://x.test'\n",
            "sources = [{ path = 'docs', sourceurl = 'https://x.test' }]\n",
        ] {
            let error = toml::from_str::<FileConfig>(text).unwrap_err().to_string();
            assert!(error.contains("unknown field"), "{error}");
            assert!(
                error.contains("source_url"),
                "{error}: names the key it expects"
            );
        }
        let error = toml::from_str::<FileConfig>("sources = [3]\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("a path"), "{error}");
        let both = file("sources = ['a', { path = 'b', source_url = 'https://x.test' }]\n");
        assert!(matches!(
            both.sources.as_deref(),
            Some([
                SourceEntry::Path(_),
                SourceEntry::Table {
                    source_url: Some(_),
                    ..
                }
            ])
        ));
    }

    #[test]
    fn today_may_be_a_toml_date_or_a_string() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 20);
        assert_eq!(file("today = 2026-01-20").today, day);
        assert_eq!(file("today = '2026-01-20'").today, day);
        assert_eq!(file("").today, None);
        for text in [
            "today = '20/01/2026'",
            "today = 2026-01-20T10:00:00",
            "today = 3",
        ] {
            let error = toml::from_str::<FileConfig>(text).unwrap_err().to_string();
            assert!(error.contains("date"), "{text}: {error}");
        }
    }
}

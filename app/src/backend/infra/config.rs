//! Typed configuration read from the environment (and `.env`, loaded by the binary first).
//! A secret (the SMTP password) never has a default.

use crate::backend::infra::client_address::{self, ProxyHeader};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("{0} is set, so {1} must be set too")]
    Missing(&'static str, &'static str),
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// "starttls" (default), "tls" (implicit TLS) or "none" (plain, for a relay on loopback).
    pub security: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password.
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("security", &self.security)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    /// The address people use to reach Tandem; links in emails and the cookie's Secure flag
    /// follow it.
    pub public_url: url::Url,
    pub data_dir: PathBuf,
    pub smtp: Option<SmtpConfig>,
    pub mail_from: String,
    /// The most bulk messages (news, reminders) handed to the mail server a minute.
    pub mail_per_minute: u32,
    /// Reverse proxies whose forwarding header names the client (`TANDEM_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The header those proxies write (`TANDEM_PROXY_HEADER`).
    pub proxy_header: ProxyHeader,
}

impl Config {
    /// Reads the configuration from a lookup function (the process environment in the binary,
    /// a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let database_url = get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/tandem.db".into());
        crate::backend::infra::db::Engine::from_url(&database_url).map_err(|e| {
            ConfigError::Invalid {
                name: "DATABASE_URL",
                reason: e.to_string(),
            }
        })?;
        let addr_text = get("TANDEM_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr_text.parse().map_err(|_| ConfigError::Invalid {
            name: "TANDEM_ADDR",
            reason: format!("'{addr_text}' is not an address like 127.0.0.1:3000"),
        })?;
        let public_text = get("TANDEM_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
        let public_url = url::Url::parse(&public_text).map_err(|e| ConfigError::Invalid {
            name: "TANDEM_PUBLIC_URL",
            reason: e.to_string(),
        })?;
        if !matches!(public_url.scheme(), "http" | "https") {
            return Err(ConfigError::Invalid {
                name: "TANDEM_PUBLIC_URL",
                reason: "it must start with http:// or https://".into(),
            });
        }
        let data_dir = PathBuf::from(get("TANDEM_DATA_DIR").unwrap_or_else(|| "data".into()));
        let smtp = match get("SMTP_HOST") {
            None => None,
            Some(host) => {
                let port_text = get("SMTP_PORT").unwrap_or_else(|| "587".into());
                let port = port_text.parse().map_err(|_| ConfigError::Invalid {
                    name: "SMTP_PORT",
                    reason: format!("'{port_text}' is not a port number"),
                })?;
                let username = get("SMTP_USERNAME");
                let password = get("SMTP_PASSWORD");
                if username.is_some() && password.is_none() {
                    return Err(ConfigError::Missing("SMTP_USERNAME", "SMTP_PASSWORD"));
                }
                let security = get("SMTP_SECURITY").unwrap_or_else(|| "starttls".into());
                if !matches!(security.as_str(), "starttls" | "tls" | "none") {
                    return Err(ConfigError::Invalid {
                        name: "SMTP_SECURITY",
                        reason: "use starttls, tls or none".into(),
                    });
                }
                Some(SmtpConfig {
                    host,
                    port,
                    username,
                    password,
                    security,
                })
            }
        };
        let mail_from = get("TANDEM_MAIL_FROM")
            .unwrap_or_else(|| "Tandem mentoring <no-reply@tandem.invalid>".into());
        let rate_text = get("TANDEM_MAIL_PER_MINUTE").unwrap_or_else(|| "600".into());
        let mail_per_minute = rate_text
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ConfigError::Invalid {
                name: "TANDEM_MAIL_PER_MINUTE",
                reason: format!("'{rate_text}' is not a whole number above 0"),
            })?;
        let trusted_proxies =
            client_address::parse_ranges(&get("TANDEM_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|entry| ConfigError::Invalid {
                    name: "TANDEM_TRUSTED_PROXIES",
                    reason: format!("'{entry}' is not an address or a range like 10.0.0.0/8"),
                })?;
        let proxy_header = match get("TANDEM_PROXY_HEADER") {
            None => ProxyHeader::default(),
            Some(text) => ProxyHeader::parse(&text).ok_or_else(|| ConfigError::Invalid {
                name: "TANDEM_PROXY_HEADER",
                reason: format!("'{text}' is neither X-Forwarded-For nor Forwarded"),
            })?,
        };
        Ok(Config {
            database_url,
            trusted_proxies,
            proxy_header,
            mail_per_minute,
            addr,
            public_url,
            data_dir,
            smtp,
            mail_from,
        })
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// `scheme://host[:port]` of the public address, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    pub fn link(&self, path_and_query: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}{path_and_query}")
    }
}

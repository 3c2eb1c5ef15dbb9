//! Reading one variable: whole numbers in a range, yes or no, URLs, secrets, socket and IP
//! addresses. Each refusal names the variable.

use secrecy::SecretString;

use super::{problem, ConfigError};

/// A whole number in `allowed`; `default` when unset.
pub fn number<T>(
    lookup: &dyn Fn(&str) -> Option<String>,
    var: &str,
    default: T,
    allowed: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(raw) = lookup(var).filter(|v| !v.trim().is_empty()) else {
        return Ok(default);
    };
    let value: T = raw
        .trim()
        .parse()
        .map_err(|_| problem(var.to_string(), format!("'{raw}' is not a whole number")))?;
    if !allowed.contains(&value) {
        return Err(problem(
            var.to_string(),
            format!("{value} is outside {}..={}", allowed.start(), allowed.end()),
        ));
    }
    Ok(value)
}

/// Yes or no (`true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`); `default` when unset.
pub fn boolean(
    lookup: &dyn Fn(&str) -> Option<String>,
    var: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match lookup(var)
        .as_deref()
        .map(|v| v.trim().to_ascii_lowercase())
    {
        None => Ok(default),
        Some(v) if v.is_empty() => Ok(default),
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => Ok(true),
        Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => Ok(false),
        Some(v) => Err(problem(var, format!("'{v}' is not true or false"))),
    }
}

/// An http(s) URL without its trailing slash.
pub fn url(var: &'static str, raw: &str) -> Result<String, ConfigError> {
    let trimmed = raw.trim().trim_end_matches('/');
    if !(trimmed.starts_with("http://") || trimmed.starts_with("https://")) || trimmed.len() < 10 {
        return Err(problem(var, "must be an http:// or https:// URL"));
    }
    Ok(trimmed.to_string())
}

/// A secret, never printed; none when unset or empty.
pub fn secret(lookup: &dyn Fn(&str) -> Option<String>, var: &str) -> Option<SecretString> {
    lookup(var)
        .filter(|v| !v.is_empty())
        .map(SecretString::from)
}

/// A socket address setting; loopback on `port` by default.
pub fn listen_address(
    lookup: &dyn Fn(&str) -> Option<String>,
    var: &'static str,
    port: u16,
) -> Result<std::net::SocketAddr, ConfigError> {
    match lookup(var).filter(|v| !v.trim().is_empty()) {
        None => Ok(std::net::SocketAddr::from(([127, 0, 0, 1], port))),
        Some(raw) => raw.trim().parse().map_err(|_| {
            problem(
                var,
                format!("'{raw}' is not an address like 127.0.0.1:{port}"),
            )
        }),
    }
}

/// A comma-separated list of IP addresses.
pub fn addresses(
    lookup: &dyn Fn(&str) -> Option<String>,
    var: &'static str,
) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    lookup(var)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse()
                .map_err(|_| problem(var, format!("'{entry}' is not an IP address")))
        })
        .collect()
}

/// A lookup over fixed pairs, for the readers' tests.
#[cfg(test)]
pub fn pairs(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |var| {
        pairs
            .iter()
            .find(|(k, _)| *k == var)
            .map(|(_, v)| v.to_string())
    }
}

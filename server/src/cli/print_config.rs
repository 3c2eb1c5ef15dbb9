//! `ocm check-config`: the effective configuration, secrets hidden and URLs without credentials.

use secrecy::ExposeSecret;

use crate::config::Config;
use crate::startup;

/// Prints the effective configuration with secrets hidden.
pub fn print_config(config: &Config) {
    let hidden = |set: bool| if set { "(set, hidden)" } else { "(not set)" };
    println!(
        "DATABASE_URL                 {}",
        startup::redact(config.database_url.expose_secret())
    );
    println!(
        "OCM_DATABASE_MAX_CONNECTIONS {}",
        config.database_max_connections
    );
    println!(
        "OCM_SESSION_IDLE_SECS        {}",
        config.session_idle.as_secs()
    );
    println!(
        "OCM_SESSION_WARNING_SECS     {}",
        config.session_warning.as_secs()
    );
    println!(
        "OCM_LOGIN_MAX_FAILURES       {}",
        config.throttle.max_failures
    );
    println!(
        "OCM_LOGIN_WINDOW_SECS        {}",
        config.throttle.window.as_secs()
    );
    println!(
        "OCM_LOGIN_LOCKOUT_SECS       {}",
        config.throttle.lockout.as_secs()
    );
    println!(
        "OCM_LOGIN_ADDRESS_MAX_FAILURES {}",
        config.throttle.address_max_failures
    );
    println!(
        "OCM_LOGIN_SLOW_MAX_SECS      {}",
        config.throttle.slow_max_wait.as_secs()
    );
    println!(
        "OCM_PUBLIC_URL               {}",
        config
            .public_url
            .as_deref()
            .map_or("(not set)".into(), startup::redact)
    );
    match &config.pom {
        Some(pom) => {
            println!(
                "OCM_POM_BASE_URL             {}",
                startup::redact(&pom.base_url)
            );
            println!(
                "OCM_POM_USER                 {}",
                pom.user.as_deref().unwrap_or("(not set)")
            );
            println!(
                "OCM_POM_PASSWORD             {}",
                hidden(pom.password.is_some())
            );
            println!("OCM_POM_VERIFY_TLS           {}", pom.verify_tls);
        }
        None => println!("OCM_POM_BASE_URL             (not set: demo mode)"),
    }
    println!(
        "OCM_DEMO_PASSWORD            {}",
        hidden(config.demo_password.is_some())
    );
    super::dnc::print_phone(config);
    println!(
        "OCM_POM_FEED_URL             {}",
        config
            .dnc
            .feed_url
            .as_deref()
            .map_or("(not set)".into(), startup::redact)
    );
    println!("OCM_PREFLIGHT_PARALLEL       {}", config.preflight_parallel);
    println!("OCM_LOG_FORMAT               {:?}", config.log_format);
    println!("OCM_SIM_LISTEN               {}", config.simulator_listen);
    println!(
        "OCM_SIM_SFTP_LISTEN          {}",
        config.simulator_sftp_listen
    );
    match &config.sftp {
        Some(sftp) => {
            println!("OCM_SFTP_HOST                {}:{}", sftp.host, sftp.port);
            println!("OCM_SFTP_USER                {}", sftp.user);
            let how = match &sftp.auth {
                pom::sftp::SftpAuth::Password(_) => "password (set, hidden)".to_string(),
                pom::sftp::SftpAuth::Key { path, .. } => format!("key {}", path.display()),
            };
            println!("OCM_SFTP sign-in             {how}");
            println!("OCM_SFTP_HOST_KEY            {}", sftp.host_key_fingerprint);
        }
        None => {
            println!("OCM_SFTP_HOST                (not set: demo mode uses the simulator's drop)")
        }
    }
    let proxies: Vec<String> = config
        .trusted_proxies
        .iter()
        .map(ToString::to_string)
        .collect();
    println!(
        "OCM_TRUSTED_PROXIES          {}",
        if proxies.is_empty() {
            "(none)".into()
        } else {
            proxies.join(", ")
        }
    );
}

//! Resident memory of a process (the benchmark's own, or the server it drives), shared by the
//! benchmark examples.

/// Resident memory now and at its peak, in MiB (Linux).
pub fn memory() -> (f64, f64) {
    memory_of("self")
}

/// Resident memory now and at its peak of process `pid` (or `self`), in MiB (Linux).
pub fn memory_of(pid: &str) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

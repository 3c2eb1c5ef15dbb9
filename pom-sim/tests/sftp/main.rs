//! SFTP against real OpenSSH: OCM's client uploads to an `sshd` started here (own config, host
//! key and authorized_keys on a loopback port), the real `sftp` command uploads into `pom-sim`'s
//! drop, and the client and the simulator's server are checked against each other (sign-in,
//! confinement, host-key pinning and persistence, full disk, dropped connections).
//! OpenSSH must be installed (`make test` installs it): a missing tool fails, never skips.

mod openssh;
mod real_client;
mod simulator;
mod support;

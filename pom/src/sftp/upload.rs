//! One upload on an open session: check the folder, write a hidden temporary file with
//! pipelined writes (from memory, or from a local file a chunk at a time so its size does not
//! matter), check its size, rename it into place, check again; and removing a file.

use std::path::Path;
use std::sync::Arc;

use rand::Rng;
use russh_sftp::client::error::Error as SftpLibError;
use russh_sftp::client::RawSftpSession;
use russh_sftp::protocol::{FileAttributes, OpenFlags, Packet, StatusCode};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::task::JoinSet;

use super::connect::Connection;
use super::error::{from_sftp, SftpError};
use super::SftpConfig;

/// Bytes per write request (well under every server's packet limit, OpenSSH's is 256 KiB).
const CHUNK: usize = 32 * 1024;
/// Write requests in flight at once, so that latency does not bound the throughput.
const IN_FLIGHT: usize = 64;
/// Atomic replace, announced by OpenSSH's server (the simulator speaks plain SFTP v3).
const POSIX_RENAME: &str = "posix-rename@openssh.com";

fn join(dir: &str, name: &str) -> String {
    match dir {
        "" | "." => name.to_string(),
        dir if dir.ends_with('/') => format!("{dir}{name}"),
        dir => format!("{dir}/{name}"),
    }
}

/// An SSH `string`: u32 length, then the bytes.
fn put_string(buffer: &mut Vec<u8>, text: &str) {
    buffer.extend_from_slice(&(text.len() as u32).to_be_bytes());
    buffer.extend_from_slice(text.as_bytes());
}

/// What an upload writes.
#[derive(Clone, Copy)]
pub(super) enum Payload<'a> {
    Bytes(&'a [u8]),
    /// A local file, read a chunk at a time (constant memory whatever its size).
    File(&'a Path),
}

/// What was written: bytes and their SHA-256 (hex).
type Written = (u64, String);

struct Upload<'a> {
    connection: &'a Connection,
    seconds: u64,
}

impl Upload<'_> {
    fn sftp(&self) -> &Arc<RawSftpSession> {
        &self.connection.sftp
    }

    /// Maps an SFTP error about `path`; any failure once the connection is gone is a drop.
    fn error(&self, error: SftpLibError, path: &str) -> SftpError {
        if self.connection.is_closed() {
            return SftpError::ConnectionDropped {
                stage: "during the transfer",
            };
        }
        from_sftp(error, path, self.seconds)
    }

    async fn check_folder(&self, dir: &str) -> Result<(), SftpError> {
        let path = if dir.is_empty() { "." } else { dir };
        match self.sftp().stat(path).await {
            Ok(attrs) if attrs.attrs.is_dir() => Ok(()),
            Ok(_) => Err(SftpError::MissingFolder {
                path: path.to_string(),
            }),
            Err(error) => Err(self.error(error, path)),
        }
    }

    /// Writes the payload at increasing offsets, [`IN_FLIGHT`] writes at a time.
    async fn write_all(
        &self,
        handle: &str,
        payload: Payload<'_>,
        path: &str,
    ) -> Result<Written, SftpError> {
        let mut writes = JoinSet::new();
        let mut hasher = Sha256::new();
        let mut offset = 0_u64;
        let mut source = Source::open(payload).await?;
        while let Some(chunk) = source.next().await? {
            if writes.len() >= IN_FLIGHT {
                self.finish_one(&mut writes, path).await?;
            }
            hasher.update(&chunk);
            let (sftp, handle) = (self.sftp().clone(), handle.to_string());
            let at = offset;
            offset += chunk.len() as u64;
            writes.spawn(async move { sftp.write(handle, at, chunk).await });
        }
        while !writes.is_empty() {
            self.finish_one(&mut writes, path).await?;
        }
        Ok((offset, format!("{:x}", hasher.finalize())))
    }

    async fn finish_one(
        &self,
        writes: &mut JoinSet<Result<russh_sftp::protocol::Status, SftpLibError>>,
        path: &str,
    ) -> Result<(), SftpError> {
        match writes.join_next().await {
            Some(Ok(Ok(_))) | None => Ok(()),
            Some(Ok(Err(error))) => Err(self.error(error, path)),
            Some(Err(join)) => Err(SftpError::Protocol {
                message: join.to_string(),
            }),
        }
    }

    async fn size_of(&self, path: &str) -> Result<u64, SftpError> {
        let attrs = self
            .sftp()
            .stat(path)
            .await
            .map_err(|error| self.error(error, path))?;
        Ok(attrs.attrs.size.unwrap_or(0))
    }

    fn check_size(path: &str, expected: u64, got: u64) -> Result<(), SftpError> {
        if got == expected {
            return Ok(());
        }
        Err(SftpError::SizeMismatch {
            path: path.to_string(),
            expected,
            got,
        })
    }

    /// Moves `temp` to `target`, replacing it: atomically with `posix-rename@openssh.com`,
    /// otherwise by removing the old file first (plain SFTP v3 rename never replaces).
    async fn rename(&self, temp: &str, target: &str) -> Result<(), SftpError> {
        if self.connection.extensions.contains_key(POSIX_RENAME) {
            let mut data = Vec::new();
            put_string(&mut data, temp);
            put_string(&mut data, target);
            return match self.sftp().extended(POSIX_RENAME, data).await {
                Ok(Packet::Status(status)) if status.status_code == StatusCode::Ok => Ok(()),
                Ok(Packet::Status(status)) => Err(self.error(status.into(), target)),
                Ok(_) => Err(SftpError::Protocol {
                    message: format!("unexpected answer to {POSIX_RENAME}"),
                }),
                Err(error) => Err(self.error(error, target)),
            };
        }
        if self.sftp().rename(temp, target).await.is_ok() {
            return Ok(());
        }
        match self.sftp().remove(target).await {
            Ok(_) => {}
            Err(SftpLibError::Status(status)) if status.status_code == StatusCode::NoSuchFile => {}
            Err(error) => return Err(self.error(error, target)),
        }
        self.sftp()
            .rename(temp, target)
            .await
            .map(|_| ())
            .map_err(|error| self.error(error, target))
    }

    /// Writes, checks and renames; the caller removes `temp` when this fails.
    async fn transfer(
        &self,
        temp: &str,
        target: &str,
        payload: Payload<'_>,
    ) -> Result<Written, SftpError> {
        let flags = OpenFlags::CREATE | OpenFlags::TRUNCATE | OpenFlags::WRITE;
        let handle = self
            .sftp()
            .open(temp, flags, FileAttributes::empty())
            .await
            .map_err(|error| self.error(error, temp))?
            .handle;
        let written = self.write_all(&handle, payload, temp).await;
        let closed = self.sftp().close(handle).await;
        let written = written?;
        closed.map_err(|error| self.error(error, temp))?;
        let expected = written.0;
        Self::check_size(temp, expected, self.size_of(temp).await?)?;
        self.rename(temp, target).await?;
        Self::check_size(target, expected, self.size_of(target).await?)?;
        Ok(written)
    }
}

/// The payload's chunks, in order.
enum Source<'a> {
    Bytes(std::slice::Chunks<'a, u8>),
    File(tokio::fs::File, String),
}

impl<'a> Source<'a> {
    async fn open(payload: Payload<'a>) -> Result<Source<'a>, SftpError> {
        Ok(match payload {
            Payload::Bytes(data) => Source::Bytes(data.chunks(CHUNK)),
            Payload::File(path) => {
                let shown = path.display().to_string();
                let file =
                    tokio::fs::File::open(path)
                        .await
                        .map_err(|error| SftpError::LocalFile {
                            path: shown.clone(),
                            reason: error.to_string(),
                        })?;
                Source::File(file, shown)
            }
        })
    }

    async fn next(&mut self) -> Result<Option<Vec<u8>>, SftpError> {
        match self {
            Source::Bytes(chunks) => Ok(chunks.next().map(<[u8]>::to_vec)),
            Source::File(file, shown) => {
                let mut chunk = Vec::with_capacity(CHUNK);
                file.take(CHUNK as u64)
                    .read_to_end(&mut chunk)
                    .await
                    .map_err(|error| SftpError::LocalFile {
                        path: shown.clone(),
                        reason: error.to_string(),
                    })?;
                Ok((!chunk.is_empty()).then_some(chunk))
            }
        }
    }
}

/// Uploads the payload as `<remote_dir>/<name>`; returns the path written, its size and SHA-256.
pub(super) async fn upload(
    connection: &Connection,
    config: &SftpConfig,
    name: &str,
    payload: Payload<'_>,
) -> Result<(String, Written), SftpError> {
    let upload = Upload {
        connection,
        seconds: config.timeout.as_secs(),
    };
    let dir = config.remote_dir.as_str();
    upload.check_folder(dir).await?;
    let suffix: u32 = rand::thread_rng().gen();
    let temp = join(dir, &format!(".{name}.part-{suffix:08x}"));
    let target = join(dir, name);
    match upload.transfer(&temp, &target, payload).await {
        Ok(written) => Ok((target, written)),
        Err(error) => {
            // Best effort: after a dropped connection the hidden temporary file stays behind;
            // its name marks it as incomplete.
            let _ = connection.sftp.remove(temp.as_str()).await;
            Err(match error {
                SftpError::MissingFolder { .. } => SftpError::MissingFolder {
                    path: dir.to_string(),
                },
                other => other,
            })
        }
    }
}

/// Removes `<remote_dir>/<name>`; a file that is already gone counts as removed.
pub(super) async fn remove(
    connection: &Connection,
    config: &SftpConfig,
    name: &str,
) -> Result<(), SftpError> {
    let path = join(&config.remote_dir, name);
    match connection.sftp.remove(path.as_str()).await {
        Ok(_) => Ok(()),
        Err(SftpLibError::Status(status)) if status.status_code == StatusCode::NoSuchFile => Ok(()),
        Err(error) => Err(from_sftp(error, &path, config.timeout.as_secs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_like_the_server_reads_them() {
        assert_eq!(join("", "a.csv"), "a.csv");
        assert_eq!(join(".", "a.csv"), "a.csv");
        assert_eq!(join("/", "a.csv"), "/a.csv");
        assert_eq!(join("/ocm/", "a.csv"), "/ocm/a.csv");
        assert_eq!(join("in", "a.csv"), "in/a.csv");
    }

    #[test]
    fn ssh_strings_are_length_prefixed() {
        let mut data = Vec::new();
        put_string(&mut data, "ab");
        put_string(&mut data, "");
        assert_eq!(data, [0, 0, 0, 2, b'a', b'b', 0, 0, 0, 0]);
    }
}

//! The SFTP file operations of one session, every path checked by the user's [`Jail`]: what
//! OpenSSH's `sftp put`/`ls`/`mkdir` and OCM's client use. Plain SFTP v3 only: no extensions, so
//! `rename` never replaces a file and OCM's client takes its remove-then-rename path here (the
//! OpenSSH tests cover `posix-rename@openssh.com`). File calls are plain blocking `std::fs`
//! calls: they are short, and this is a simulator.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

use russh_sftp::protocol::{
    self as sftp, Attrs, Data, FileAttributes, Handle, Name, OpenFlags, Status, StatusCode,
};
use russh_sftp::server::StatusReply;

use super::confine::{Follow, Jail};
use super::replies::{from_io, from_refused, ok, DISK_FULL};

/// The largest read answered at once (OpenSSH's limit).
const MAX_READ: u32 = 256 * 1024;

enum Open {
    File(File),
    /// Entries not yet sent (`None` once `readdir` has answered them).
    Dir(Option<Vec<sftp::File>>),
}

/// One SFTP session of an authenticated user.
pub(super) struct Files {
    jail: Jail,
    handles: HashMap<String, Open>,
    next_handle: u64,
    /// Simulated disk size for the user's folder: writes beyond it fail as a full disk would.
    quota_bytes: Option<u64>,
}

fn attributes(path: &Path, follow: Follow) -> Result<FileAttributes, StatusReply> {
    let meta = match follow {
        Follow::Yes => std::fs::metadata(path),
        Follow::No => std::fs::symlink_metadata(path),
    };
    Ok(FileAttributes::from(&meta.map_err(from_io)?))
}

/// Total size of the files under `dir` (what the quota counts).
fn usage(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| Some((entry.path(), entry.metadata().ok()?)))
        .map(|(path, meta)| {
            if meta.is_dir() {
                usage(&path)
            } else {
                meta.len()
            }
        })
        .sum()
}

impl Files {
    pub(super) fn new(jail: Jail, quota_bytes: Option<u64>) -> Files {
        Files {
            jail,
            handles: HashMap::new(),
            next_handle: 0,
            quota_bytes,
        }
    }

    fn remember(&mut self, open: Open) -> String {
        self.next_handle += 1;
        let handle = self.next_handle.to_string();
        self.handles.insert(handle.clone(), open);
        handle
    }

    fn file(&self, handle: &str) -> Result<&File, StatusReply> {
        match self.handles.get(handle) {
            Some(Open::File(file)) => Ok(file),
            _ => Err(StatusCode::Failure.with_message("invalid handle")),
        }
    }

    fn resolve(&self, path: &str, follow: Follow) -> Result<std::path::PathBuf, StatusReply> {
        self.jail.resolve(path, follow).map_err(from_refused)
    }

    /// Refuses changes to the user's folder itself (removing or renaming it).
    fn not_home(&self, real: &Path, path: &str) -> Result<(), StatusReply> {
        if real == self.jail.home() {
            return Err(StatusCode::PermissionDenied.with_message(format!("{path}: your folder")));
        }
        Ok(())
    }

    fn check_quota(&self, file: &File, offset: u64, length: usize) -> Result<(), StatusReply> {
        let Some(quota) = self.quota_bytes else {
            return Ok(());
        };
        let current = file.metadata().map_err(from_io)?.len();
        let end = offset
            .checked_add(length as u64)
            .ok_or_else(|| StatusCode::Failure.with_message(DISK_FULL))?;
        let growth = end.saturating_sub(current);
        if usage(self.jail.home()).saturating_add(growth) > quota {
            return Err(StatusCode::Failure.with_message(DISK_FULL));
        }
        Ok(())
    }
}

impl russh_sftp::server::Handler for Files {
    type Error = StatusReply;

    fn unimplemented(&self) -> Self::Error {
        StatusCode::OpUnsupported.into()
    }

    async fn open(
        &mut self,
        id: u32,
        filename: String,
        pflags: OpenFlags,
        _attrs: FileAttributes,
    ) -> Result<Handle, Self::Error> {
        let real = self.resolve(&filename, Follow::Yes)?;
        let mut options = OpenOptions::from(pflags);
        let file = options.mode(0o644).open(real).map_err(from_io)?;
        let handle = self.remember(Open::File(file));
        Ok(Handle { id, handle })
    }

    async fn close(&mut self, id: u32, handle: String) -> Result<Status, Self::Error> {
        match self.handles.remove(&handle) {
            Some(Open::File(file)) => file.sync_all().map_err(from_io).map(|()| ok(id)),
            Some(Open::Dir(_)) => Ok(ok(id)),
            None => Err(StatusCode::Failure.with_message("invalid handle")),
        }
    }

    async fn read(
        &mut self,
        id: u32,
        handle: String,
        offset: u64,
        len: u32,
    ) -> Result<Data, Self::Error> {
        let file = self.file(&handle)?;
        let mut data = vec![0; len.min(MAX_READ) as usize];
        let count = file.read_at(&mut data, offset).map_err(from_io)?;
        if count == 0 {
            return Err(StatusCode::Eof.into());
        }
        data.truncate(count);
        Ok(Data { id, data })
    }

    async fn write(
        &mut self,
        id: u32,
        handle: String,
        offset: u64,
        data: Vec<u8>,
    ) -> Result<Status, Self::Error> {
        let file = self.file(&handle)?;
        self.check_quota(file, offset, data.len())?;
        file.write_all_at(&data, offset).map_err(from_io)?;
        Ok(ok(id))
    }

    async fn lstat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        let real = self.resolve(&path, Follow::No)?;
        let attrs = attributes(&real, Follow::No)?;
        Ok(Attrs { id, attrs })
    }

    async fn stat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        let real = self.resolve(&path, Follow::Yes)?;
        let attrs = attributes(&real, Follow::Yes)?;
        Ok(Attrs { id, attrs })
    }

    async fn fstat(&mut self, id: u32, handle: String) -> Result<Attrs, Self::Error> {
        let meta = self.file(&handle)?.metadata().map_err(from_io)?;
        let attrs = FileAttributes::from(&meta);
        Ok(Attrs { id, attrs })
    }

    // Times and modes sent by `sftp put -p` are accepted and ignored: the drop keeps its own.
    async fn setstat(
        &mut self,
        id: u32,
        path: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        self.resolve(&path, Follow::Yes)?;
        Ok(ok(id))
    }

    async fn fsetstat(
        &mut self,
        id: u32,
        handle: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        self.file(&handle)?;
        Ok(ok(id))
    }

    async fn opendir(&mut self, id: u32, path: String) -> Result<Handle, Self::Error> {
        let real = self.resolve(&path, Follow::Yes)?;
        let entries = std::fs::read_dir(real)
            .map_err(from_io)?
            .flatten()
            .filter_map(|entry| {
                let meta = entry.metadata().ok()?;
                let name = entry.file_name().into_string().ok()?;
                Some(sftp::File::new(name, FileAttributes::from(&meta)))
            })
            .collect();
        let handle = self.remember(Open::Dir(Some(entries)));
        Ok(Handle { id, handle })
    }

    async fn readdir(&mut self, id: u32, handle: String) -> Result<Name, Self::Error> {
        match self.handles.get_mut(&handle) {
            Some(Open::Dir(entries)) => match entries.take() {
                Some(files) if !files.is_empty() => Ok(Name { id, files }),
                _ => Err(StatusCode::Eof.into()),
            },
            _ => Err(StatusCode::Failure.with_message("invalid handle")),
        }
    }

    async fn remove(&mut self, id: u32, filename: String) -> Result<Status, Self::Error> {
        let real = self.resolve(&filename, Follow::No)?;
        std::fs::remove_file(real).map_err(from_io)?;
        Ok(ok(id))
    }

    async fn mkdir(
        &mut self,
        id: u32,
        path: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        let real = self.resolve(&path, Follow::Yes)?;
        std::fs::create_dir(real).map_err(from_io)?;
        Ok(ok(id))
    }

    async fn rmdir(&mut self, id: u32, path: String) -> Result<Status, Self::Error> {
        let real = self.resolve(&path, Follow::No)?;
        self.not_home(&real, &path)?;
        std::fs::remove_dir(real).map_err(from_io)?;
        Ok(ok(id))
    }

    async fn realpath(&mut self, id: u32, path: String) -> Result<Name, Self::Error> {
        let visible = self.jail.visible(&path).map_err(from_refused)?;
        Ok(Name {
            id,
            files: vec![sftp::File::dummy(visible)],
        })
    }

    // As OpenSSH's server: a rename never replaces an existing file.
    async fn rename(
        &mut self,
        id: u32,
        oldpath: String,
        newpath: String,
    ) -> Result<Status, Self::Error> {
        let source = self.resolve(&oldpath, Follow::No)?;
        let target = self.resolve(&newpath, Follow::No)?;
        self.not_home(&source, &oldpath)?;
        self.not_home(&target, &newpath)?;
        if std::fs::symlink_metadata(&target).is_ok() {
            return Err(StatusCode::Failure.with_message(format!("{newpath}: already exists")));
        }
        std::fs::rename(source, target).map_err(from_io)?;
        Ok(ok(id))
    }

    // Users cannot create links: a link is the easiest way out of a folder.
    async fn symlink(
        &mut self,
        _id: u32,
        _linkpath: String,
        _targetpath: String,
    ) -> Result<Status, Self::Error> {
        Err(StatusCode::PermissionDenied.with_message("symbolic links are not allowed"))
    }
}

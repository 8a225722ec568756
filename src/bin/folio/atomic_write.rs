//! Writing an output file all or nothing, for every subcommand that writes
//! one (`compile`'s bundle and pack, `pack`'s pack).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes to a temporary file beside `path`, then renames it into place, so a
/// reader never sees a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_pending(path, |out| out.write_all(bytes))?.0.persist()
}

/// A file written in full beside its path, not yet in place: [`Pending::persist`]
/// renames it there; dropped, it is removed and `path` is untouched.
pub struct Pending {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Pending {
    pub fn persist(self) -> Result<()> {
        let path = self.path;
        self.file.persist(&path).with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(())
    }
}

/// Writes what `write` writes (buffered, as it goes: nothing is held in
/// memory whole) to a temporary file beside `path`, to be put in place
/// with [`Pending::persist`]; returns it with what `write` returned.
pub fn write_pending<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> Result<(Pending, T)> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // Named so that one left by a process killed mid-write (out of
    // memory, say) is recognisable beside the outputs, and removable.
    let mut file = tempfile::Builder::new()
        .prefix(".folio-partial-")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a file in this folder", dir.display()))?;
    let cannot_write = || format!("{}: cannot write", path.display());
    let mut out = BufWriter::with_capacity(64 * 1024, file.as_file_mut());
    let value = write(&mut out).with_context(cannot_write)?;
    out.flush().with_context(cannot_write)?;
    drop(out);
    // Readable by a static web server, like any file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    Ok((Pending { file, path: path.to_owned() }, value))
}

//! Writing an output file all or nothing, for every subcommand that writes
//! one (`compile`'s bundle and pack, `pack`'s pack).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes to a temporary file beside `path`, then renames it into place, so a
/// reader never sees a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{}: cannot create a file in this folder", dir.display()))?;
    file.write_all(bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    // Readable by a static web server, like any file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    file.persist(path).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

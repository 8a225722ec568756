//! What the integration tests share: a temporary folder that is removed
//! when the test ends, passed or failed.

use std::ffi::OsStr;
use std::ops::Deref;
use std::path::Path;

/// A fresh folder for one test's files, deleted when dropped (a test that
/// panics still drops it). It derefs to its path, so `dir.join(..)` and
/// `&dir` work where a path is wanted.
pub struct TempFolder(tempfile::TempDir);

/// A new empty folder under the system's temporary folder, named after the
/// test (`folio-NAME-XXXXXX`) so that a leftover one says where it came from.
pub fn temp_dir(name: &str) -> TempFolder {
    let dir =
        tempfile::Builder::new().prefix(&format!("folio-{name}-")).tempdir().expect("a temporary folder");
    TempFolder(dir)
}

impl Deref for TempFolder {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for TempFolder {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<OsStr> for TempFolder {
    fn as_ref(&self) -> &OsStr {
        self.0.path().as_os_str()
    }
}

/// `bytes` gzipped as the compiler writes a sharded pack's files (the
/// tests that compare its head with the engine's make that head so).
#[allow(dead_code)]
pub fn gzip(bytes: Vec<u8>) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

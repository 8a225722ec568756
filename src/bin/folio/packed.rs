//! An app pack on disk for `folio similar` and `folio recommend`: a whole
//! pack, or a sharded pack's head with its `shards/` beside it (read as
//! the explorer asks for them), so that they answer from the vectors the
//! compiler stored instead of computing them again; or an explorer made
//! from a bundle, answered the same way.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use folio::engine::explorer::Explorer;
use folio::engine::open::gunzip;
use folio::engine::pack::shards::ShardId;
use folio::engine::pack::{HEAD_MAGIC, MAGIC};

/// A pack's explorer and where its shards are.
pub struct Packed {
    pub explorer: Explorer,
    dir: PathBuf,
}

/// The explorer of the pack at `path`, or `None` when the file is not a
/// pack (a bundle, say); a pack that does not read is an error.
pub fn open(path: &Path) -> Result<Option<Packed>> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let name = path.display().to_string();
    let bytes = gunzip(&name, bytes).map_err(|d| anyhow::anyhow!("{}", d.message))?;
    let explorer = if bytes.starts_with(MAGIC) {
        Explorer::from_pack(bytes)
    } else if bytes.starts_with(HEAD_MAGIC) {
        Explorer::from_head(&bytes)
    } else {
        return Ok(None);
    };
    let explorer = explorer.with_context(|| format!("{name}: not a readable pack"))?;
    if !explorer.has_vectors() {
        bail!("{name}: the pack has no paper vectors (packed with --vectors off, or past --vectors auto's limit)");
    }
    let dir = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok(Some(Packed { explorer, dir }))
}

impl Packed {
    /// An explorer that holds all of its corpus (made from a bundle): no
    /// shard to read.
    pub fn whole(explorer: Explorer) -> Self {
        Packed { explorer, dir: PathBuf::from(".") }
    }

    /// Gives the explorer the shards `ids`, read from `shards/` beside the
    /// head.
    pub fn load(&mut self, ids: &[ShardId]) -> Result<()> {
        for &id in ids {
            let entry = self.explorer.shard_entry(id).context("a shard the head does not name")?;
            let path = self.dir.join(entry.path());
            let bytes = std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
            let bytes =
                gunzip(&path.display().to_string(), bytes).map_err(|d| anyhow::anyhow!("{}", d.message))?;
            self.explorer.add_shard(id, &bytes).with_context(|| format!("{}: refused", path.display()))?;
        }
        Ok(())
    }

    /// Runs `call` until it needs no shard it does not hold, reading them.
    pub fn until_answered<T>(
        &mut self,
        mut call: impl FnMut(&mut Explorer) -> Result<T, Vec<ShardId>>,
    ) -> Result<T> {
        for _ in 0..8 {
            match call(&mut self.explorer) {
                Ok(answer) => return Ok(answer),
                Err(missing) => self.load(&missing)?,
            }
        }
        bail!("the pack's shards do not answer (after 8 rounds)")
    }

    /// The paper with this id (its id shard read first when sharded).
    pub fn doc(&mut self, id: &str) -> Result<Option<u32>> {
        self.until_answered(|e| e.try_doc(id).map_err(|shard| vec![shard]))
    }
}

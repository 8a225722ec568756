//! `folio pack`: the app pack of a bundle (its indexes precomputed, what the
//! browser app loads instead of indexing `bundle.json` itself): one file, or
//! above a size threshold a head and content-hashed shards
//! (docs/pack-format.md). Both `folio pack` and `folio compile --pack`
//! compute the paper vectors and the corpus map the pack ships
//! (docs/discovery.md; `--vectors`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use folio::engine::bundle::Bundle;
use folio::engine::discover::{self, Shipped};
use folio::engine::explorer::Explorer;
use folio::engine::pack::{ShardSizes, ShardedPack, SHARD_THRESHOLD};

use crate::atomic_write::write_atomically;

/// `folio pack BUNDLE --out FILE`.
#[derive(Args)]
pub struct PackArgs {
    /// A bundle written by `folio compile`.
    bundle: PathBuf,
    /// Where to write the pack (atomically); the app looks for `bundle.pack`
    /// beside `bundle.json`. A sharded pack's shards go to `shards/` beside it.
    #[arg(long, short)]
    out: PathBuf,
    /// One file, or a head and shards (`auto`: sharded above 8 MB).
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    layout: Layout,
    /// How large a sharded pack's shards grow; see [`ShardSize`].
    #[command(flatten)]
    shard_size: ShardSize,
    #[command(flatten)]
    discovery: DiscoveryArgs,
}

/// Papers up to which `--vectors auto` computes them (docs/discovery.md:
/// vectors, similar papers and the map cost about 2 minutes at 96k papers
/// natively; ten times the papers cost more than ten times that).
pub const VECTORS_AUTO_LIMIT: usize = 300_000;

/// `--vectors` and `--dims`: the paper vectors and map a pack ships.
#[derive(Args, Clone, Copy)]
pub struct DiscoveryArgs {
    /// Compute the paper vectors, the blended similar papers and the corpus
    /// map the pack ships (recommendations, "recommended for", the map):
    /// `auto` up to 300,000 papers.
    #[arg(long, value_enum, default_value_t = Vectors::Auto)]
    vectors: Vectors,
    /// Dimensions of the paper vectors (8 to 256).
    #[arg(long = "dims", value_name = "D", default_value_t = 128,
          value_parser = clap::value_parser!(u16).range(8..=256))]
    dims: u16,
}

/// Whether a pack ships paper vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Vectors {
    /// Up to 300,000 papers.
    Auto,
    On,
    Off,
}

impl DiscoveryArgs {
    /// What the pack of `bundle` ships of discovery, computed now (and
    /// each paper's similar papers replaced by the blended list), or
    /// `None` when off; says how long it took on stderr.
    pub fn ship(self, bundle: &mut Bundle, mut step: impl FnMut(&str)) -> Option<Shipped> {
        let papers = bundle.papers.len();
        let on = match self.vectors {
            Vectors::On => true,
            Vectors::Off => false,
            Vectors::Auto => papers <= VECTORS_AUTO_LIMIT,
        };
        if !on {
            if self.vectors == Vectors::Auto {
                eprintln!(
                    "folio: {papers} papers: no paper vectors or map (--vectors auto stops at {VECTORS_AUTO_LIMIT}; --vectors on computes them)"
                );
            }
            return None;
        }
        let options = discover::Options { dims: usize::from(self.dims), ..Default::default() };
        let started = std::time::Instant::now();
        let shipped = discover::ship_bundle(bundle, &options, |what| step(what));
        eprintln!(
            "folio: paper vectors ({} dimensions), similar papers and map of {papers} papers in {:.1} s",
            options.dims,
            started.elapsed().as_secs_f64()
        );
        Some(shipped)
    }
}

/// `--shard-size BYTES`: a record shard's target size (the other kinds
/// scale with it, as in `ShardSizes::default`); smaller shards let a small
/// corpus exercise the sharded app (the browser tests' sharded site).
#[derive(Args, Clone, Copy)]
pub struct ShardSize {
    /// Target size of a sharded pack's record shards, in bytes (postings
    /// shards grow to 4x that, positions 8x, entities 2x, facets 8x, ids
    /// half, vectors 16x; facet lists over 8x stay out of the head).
    #[arg(long = "shard-size", value_name = "BYTES", default_value_t = 16 * 1024,
          value_parser = clap::value_parser!(u32).range(256..))]
    bytes: u32,
}

impl ShardSize {
    pub fn sizes(self) -> ShardSizes {
        let records = self.bytes as usize;
        ShardSizes {
            postings: 4 * records,
            positions: 8 * records,
            records,
            entities: 2 * records,
            facets: 8 * records,
            facet_lists_in_head: 8 * records,
            ids: records / 2,
            vectors: 16 * records,
        }
    }
}

/// How a pack is laid out in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    /// One file below the threshold, else sharded.
    Auto,
    /// One file, whatever its size.
    Single,
    /// A head and shards, whatever the size.
    Sharded,
}

impl Layout {
    /// `auto` decided before any pack is made, for a bundle whose JSON
    /// is `bundle_bytes` long: a bundle past the threshold makes a pack
    /// that `auto` would cut, so it is cut at once rather than made whole
    /// first (at 1M papers that is gigabytes built, then read again).
    /// Smaller ones stay `auto`: [`pack_of`] makes the whole pack and cuts
    /// it only if it is over the threshold after all.
    pub fn for_bundle(self, bundle_bytes: u64) -> Layout {
        match self {
            Layout::Auto if bundle_bytes > SHARD_THRESHOLD as u64 => Layout::Sharded,
            layout => layout,
        }
    }
}

/// A pack ready to write.
pub enum PackFiles {
    Single(Vec<u8>),
    Sharded(ShardedPack),
}

pub fn run(args: PackArgs) -> Result<ExitCode> {
    let path = args.bundle.display();
    let json = std::fs::read_to_string(&args.bundle).with_context(|| format!("{path}: cannot read"))?;
    let mut bundle = Bundle::from_json(&json).with_context(|| format!("{path}: not a readable bundle"))?;
    let layout = args.layout.for_bundle(json.len() as u64);
    drop(json);
    let shipped = args.discovery.ship(&mut bundle, |_| {});
    let files = pack_of(bundle, shipped, layout, args.shard_size.sizes())?;
    write_pack(&args.out, &files)?;
    Ok(ExitCode::SUCCESS)
}

/// The pack's files, with the vectors and map of `shipped` when given.
pub fn pack_of(
    bundle: Bundle,
    shipped: Option<Shipped>,
    layout: Layout,
    sizes: ShardSizes,
) -> Result<PackFiles> {
    let mut explorer = Explorer::new(bundle);
    if let Some(shipped) = shipped {
        explorer = explorer.with_discovery(shipped);
    }
    if layout == Layout::Sharded {
        return Ok(PackFiles::Sharded(gzipped_shards(explorer, sizes)?));
    }
    let whole = explorer.into_pack()?;
    if layout == Layout::Single || whole.len() <= SHARD_THRESHOLD {
        return Ok(PackFiles::Single(whole));
    }
    Ok(PackFiles::Sharded(gzipped_shards(Explorer::from_pack(whole)?, sizes)?))
}

/// The corpus cut into a head and shards, each shard's file gzipped as it
/// is cut (the head records the gzipped sizes, for the page's "Offline").
fn gzipped_shards(explorer: Explorer, sizes: ShardSizes) -> Result<ShardedPack> {
    let mut failed = None;
    let pack = explorer.into_served_shards(sizes, &mut |bytes| {
        gzip(&bytes).unwrap_or_else(|err| {
            failed.get_or_insert(err);
            Vec::new()
        })
    })?;
    match failed {
        Some(err) => Err(err.context("cannot gzip a shard")),
        None => Ok(pack),
    }
}

/// Writes the pack at `out`: the shards first, then the head (atomically),
/// so that a head never names a shard not written; then removes the shards
/// of earlier builds that the new head does not name (a single-file pack
/// names none). A sharded pack's files are gzipped (its shards as they
/// were cut, [`pack_of`]; the page gunzips them with the browser's own
/// DecompressionStream, as Pagefind's index files are): what is served is
/// what is sent, whatever the host compresses; the head still names each
/// shard by the hash of its plain bytes.

pub fn write_pack(out: &Path, files: &PackFiles) -> Result<()> {
    let dir = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut kept = BTreeSet::new();
    match files {
        PackFiles::Single(bytes) => {
            write_atomically(out, bytes)?;
            eprintln!("folio: wrote the app pack {} ({:.1} MB)", out.display(), mb(bytes.len()));
        }
        PackFiles::Sharded(pack) => {
            let shards_dir = dir.join("shards");
            std::fs::create_dir_all(&shards_dir)
                .with_context(|| format!("{}: cannot create", shards_dir.display()))?;
            let mut total = 0;
            for (path, bytes) in &pack.shards {
                let target = dir.join(path);
                total += bytes.len();
                // Named by their content: one already there is this one.
                let present = std::fs::metadata(&target).is_ok_and(|m| m.len() == bytes.len() as u64);
                if !present {
                    write_atomically(&target, bytes)?;
                }
                kept.insert(target);
            }
            let head = gzip(&pack.head)?;
            write_atomically(out, &head)?;
            eprintln!(
                "folio: wrote the app pack {} ({:.1} MB head) and {} shards ({:.1} MB) in {}",
                out.display(),
                mb(head.len()),
                pack.shards.len(),
                mb(total),
                shards_dir.display()
            );
        }
    }
    remove_stale_shards(&dir.join("shards"), &kept)
}

/// `bytes` gzipped (no name, no time: the same bytes give the same file).
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Removes the files of `shards_dir` named like shards (16 hex digits, or
/// 32 before pack version 5, and `.bin`) that are not in `kept`; nothing
/// else is touched.
fn remove_stale_shards(shards_dir: &Path, kept: &BTreeSet<PathBuf>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(shards_dir) else { return Ok(()) };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_shard = name.strip_suffix(".bin").is_some_and(|hash| {
            [16, 32].contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if is_shard && !kept.contains(&path) {
            std::fs::remove_file(&path).with_context(|| format!("{}: cannot remove", path.display()))?;
        }
    }
    Ok(())
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

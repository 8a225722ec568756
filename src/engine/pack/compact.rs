//! Compact encodings of a pack's tables, each decoded in one pass
//! (docs/pack-format.md): sorted strings front coded, ascending integer
//! lists as varint gaps, permutations bit packed. A head is fetched before
//! the first paint, so its bytes are what these save; every decoder checks
//! what it reads and refuses it whole rather than panic.

use serde::{Deserialize, Serialize};

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The next varint of `bytes`, or `None` when they end first or it
/// overflows a u32.
fn read_varint(bytes: &mut &[u8]) -> Option<u32> {
    let mut value = 0u32;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        if i == 4 && b > 0x0f {
            return None;
        }
        value |= u32::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            *bytes = &bytes[i + 1..];
            return Some(value);
        }
    }
    None
}

/// Strings in strictly ascending (byte) order, each stored as the length
/// of the prefix it shares with the one before and the rest of its bytes.
/// Sorted terms, ids and facet values share long prefixes. Both lengths
/// usually fit one byte together (a term shares a few letters and adds a
/// few): its high half is the shared length (15: a varint of it follows),
/// its low half the rest's (14: a varint follows; 15: the rest is
/// lowercase hex digits, title-hash ids and numbers, half a byte each, and
/// a varint of their count follows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontCoded {
    count: u32,
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
}

impl FrontCoded {
    /// Encodes `strings`, which must ascend strictly (else the decoding is
    /// refused).
    pub fn new<'a>(strings: impl IntoIterator<Item = &'a str>) -> Self {
        let (mut bytes, mut count, mut previous) = (Vec::new(), 0u32, "");
        for string in strings {
            let mut shared = previous.bytes().zip(string.bytes()).take_while(|(a, b)| a == b).count();
            while !string.is_char_boundary(shared) {
                shared -= 1;
            }
            let own = &string.as_bytes()[shared..];
            let hex = own.len() >= 4 && own.iter().all(|&b| hex_digit(b).is_some());
            let high = shared.min(15) as u8;
            let low = match (hex, own.len()) {
                (true, _) => 15,
                (false, len) => len.min(14) as u8,
            };
            bytes.push(high << 4 | low);
            if high == 15 {
                write_varint(&mut bytes, shared as u32);
            }
            if low >= 14 {
                write_varint(&mut bytes, own.len() as u32);
            }
            if hex {
                for pair in own.chunks(2) {
                    let nibble = |b: Option<&u8>| b.and_then(|&b| hex_digit(b)).unwrap_or(0);
                    bytes.push(nibble(pair.first()) << 4 | nibble(pair.get(1)));
                }
            } else {
                bytes.extend_from_slice(own);
            }
            count += 1;
            previous = string;
        }
        FrontCoded { count, bytes }
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// The strings concatenated and where each starts (one more start: the
    /// end), or `None` when the bytes do not decode to strictly ascending
    /// UTF-8 strings.
    pub fn decode(&self) -> Option<(String, Vec<u32>)> {
        self.decode_ordered(true)
    }

    /// [`FrontCoded::decode`], equal neighbours allowed unless `strict`.
    pub(crate) fn decode_ordered(&self, strict: bool) -> Option<(String, Vec<u32>)> {
        let mut text: Vec<u8> = Vec::with_capacity(self.bytes.len() * 2);
        // Each string takes a byte at least: a damaged count cannot make
        // this allocate more than the bytes allow.
        let mut starts = Vec::with_capacity((self.count as usize).min(self.bytes.len()) + 1);
        let mut rest = self.bytes.as_slice();
        let mut previous = 0..0;
        self.decode_range(&mut rest, &mut text, &mut starts, &mut previous, 0..self.count, strict)?;
        if !rest.is_empty() {
            return None;
        }
        starts.push(u32::try_from(text.len()).ok()?);
        // Every string was checked as UTF-8 and each starts where the one
        // before ends.
        Some((String::from_utf8(text).ok()?, starts))
    }

    /// Decodes strings `range` (by number) from the front of `rest` onto
    /// `text`, each one's start onto `starts`; `previous` is where the
    /// string before them is in `text` (empty for the first), and is left
    /// on the last one. `None` when they do not decode to UTF-8 strings
    /// ascending after `previous` (strictly if `strict`).
    fn decode_range(
        &self,
        rest: &mut &[u8],
        text: &mut Vec<u8>,
        starts: &mut Vec<u32>,
        previous: &mut std::ops::Range<usize>,
        range: std::ops::Range<u32>,
        strict: bool,
    ) -> Option<()> {
        for i in range {
            let (&lengths, after) = rest.split_first()?;
            *rest = after;
            let (high, low) = (lengths >> 4, lengths & 0xf);
            let shared = if high == 15 { read_varint(rest)? as usize } else { usize::from(high) };
            let own = if low >= 14 { read_varint(rest)? as usize } else { usize::from(low) };
            let hex = low == 15;
            let stored = if hex { own.div_ceil(2) } else { own };
            if shared > previous.len() || stored > rest.len() {
                return None;
            }
            let start = text.len();
            text.extend_from_within(previous.start..previous.start + shared);
            if hex {
                let digits = rest[..stored].iter().flat_map(|&b| [b >> 4, b & 0xf]);
                text.extend(digits.take(own).map(|d| b"0123456789abcdef"[d as usize]));
            } else {
                text.extend_from_slice(&rest[..own]);
            }
            *rest = &rest[stored..];
            let current = start..text.len();
            std::str::from_utf8(&text[current.clone()]).ok()?;
            // Byte order is `str` order.
            let (before, this) = (&text[previous.clone()], &text[current.clone()]);
            if i > 0 && (before > this || (strict && before == this)) {
                return None;
            }
            starts.push(u32::try_from(start).ok()?);
            *previous = current;
        }
        Some(())
    }

    /// The strings, or `None` as for [`FrontCoded::decode`].
    pub fn strings(&self) -> Option<Vec<String>> {
        let (text, starts) = self.decode()?;
        Some(starts.windows(2).map(|w| text[w[0] as usize..w[1] as usize].to_owned()).collect())
    }
}

/// A [`FrontCoded`]'s strings read a slice at a time, with the checks of
/// [`FrontCoded::strings`] (so that a page decodes a group of hundreds of
/// thousands of facet values over several tasks): each slice starts where
/// the one before ended.
#[derive(Debug, Default)]
pub struct FrontCodedReader {
    /// Where the next string's bytes start, how many strings are read,
    /// and the last one read (the next one's prefix is taken from it).
    at: usize,
    read: u32,
    last: Vec<u8>,
}

impl FrontCodedReader {
    /// The next `n` strings of `coded` (fewer at its end), or `None` as
    /// for [`FrontCoded::decode`]: the last slice is also refused when
    /// bytes are left after it.
    pub fn next(&mut self, coded: &FrontCoded, n: usize) -> Option<Vec<String>> {
        let to = self.read.saturating_add(u32::try_from(n).unwrap_or(u32::MAX)).min(coded.count);
        let mut text = std::mem::take(&mut self.last);
        let mut previous = 0..text.len();
        let mut starts = Vec::with_capacity((to - self.read) as usize + 1);
        let mut rest = coded.bytes.get(self.at..)?;
        coded.decode_range(&mut rest, &mut text, &mut starts, &mut previous, self.read..to, true)?;
        if to == coded.count && !rest.is_empty() {
            return None;
        }
        starts.push(u32::try_from(text.len()).ok()?);
        let strings = String::from_utf8(text).ok()?;
        let slice = starts.windows(2).map(|w| strings[w[0] as usize..w[1] as usize].to_owned()).collect();
        self.at = coded.bytes.len() - rest.len();
        self.read = to;
        self.last = strings.as_bytes()[previous].to_vec();
        Some(slice)
    }

    /// Whether every string of `coded` is read.
    pub fn is_done(&self, coded: &FrontCoded) -> bool {
        self.read == coded.count
    }
}

/// The value of a lowercase hex digit.
fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Lists of ascending integers, each as its length then the gaps between
/// its items (the first from 0), in varints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapLists {
    count: u32,
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
}

impl GapLists {
    /// Encodes `lists`, each strictly ascending (else the decoding is
    /// refused).
    pub fn new<'a>(lists: impl IntoIterator<Item = &'a [u32]>) -> Self {
        let (mut bytes, mut count) = (Vec::new(), 0u32);
        for list in lists {
            write_varint(&mut bytes, list.len() as u32);
            let mut previous = 0;
            for (i, &item) in list.iter().enumerate() {
                write_varint(&mut bytes, if i == 0 { item } else { item.wrapping_sub(previous) });
                previous = item;
            }
            count += 1;
        }
        GapLists { count, bytes }
    }

    /// How many bytes the lists take.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// The lists, or `None` unless each ascends strictly below `bound`
    /// and the bytes hold exactly them.
    pub fn decode(&self, bound: u32) -> Option<Vec<Vec<u32>>> {
        let mut rest = self.bytes.as_slice();
        let mut lists = Vec::with_capacity((self.count as usize).min(self.bytes.len()));
        for _ in 0..self.count {
            let len = read_varint(&mut rest)? as usize;
            if len > rest.len() {
                return None;
            }
            let mut list: Vec<u32> = Vec::with_capacity(len);
            for i in 0..len {
                let gap = read_varint(&mut rest)?;
                let item = if i == 0 {
                    gap
                } else if gap == 0 {
                    return None;
                } else {
                    list[i - 1].checked_add(gap)?
                };
                if item >= bound {
                    return None;
                }
                list.push(item);
            }
            lists.push(list);
        }
        rest.is_empty().then_some(lists)
    }
}

/// Integers below `2^width`, `width` bits each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packed {
    count: u32,
    width: u8,
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
}

impl Packed {
    pub fn new(values: &[u32]) -> Self {
        let max = values.iter().copied().max().unwrap_or(0);
        // At least 1 bit for several values (see `decode`).
        let width = ((32 - max.leading_zeros()) as u8).max(u8::from(values.len() > 1));
        let mut bytes = vec![0u8; (values.len() * width as usize).div_ceil(8)];
        for (i, &value) in values.iter().enumerate() {
            let at = i * width as usize;
            for bit in 0..width as usize {
                if value >> bit & 1 == 1 {
                    bytes[(at + bit) / 8] |= 1 << ((at + bit) % 8);
                }
            }
        }
        Packed { count: values.len() as u32, width, bytes }
    }

    /// The values, or `None` when the bytes do not hold exactly them.
    pub fn decode(&self) -> Option<Vec<u32>> {
        let (count, width) = (self.count as usize, usize::from(self.width));
        // Width 0 (all zeros) is written for at most one value, so that a
        // damaged count cannot make this allocate more than the bytes allow.
        let bits = count.checked_mul(width)?;
        if width > 32 || (width == 0 && count > 1) || self.bytes.len() != bits.div_ceil(8) {
            return None;
        }
        let mut values = Vec::with_capacity(count);
        let (mut buffer, mut held, mut bytes) = (0u64, 0usize, self.bytes.iter());
        let mask = if width == 32 { u64::from(u32::MAX) } else { (1u64 << width) - 1 };
        for _ in 0..count {
            while held < width {
                buffer |= u64::from(*bytes.next()?) << held;
                held += 8;
            }
            values.push((buffer & mask) as u32);
            buffer >>= width;
            held -= width;
        }
        Some(values)
    }
}

/// Paper ids both ways without a string per paper: the ids sorted and
/// concatenated, each paper's rank among them, and the paper at each rank
/// (ties in paper order). A paper's id is a slice; a paper by id, a binary
/// search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdTable {
    text: String,
    /// Where each sorted id starts in `text` (one more: the end).
    starts: Vec<u32>,
    /// Paper -> rank.
    rank: Vec<u32>,
    /// Rank -> paper.
    docs: Vec<u32>,
}

impl IdTable {
    /// The table of `ids`, in paper order (None if they take more than 4 GiB).
    pub fn new<S: AsRef<str>>(ids: &[S]) -> Option<Self> {
        let mut docs: Vec<u32> = (0..ids.len() as u32).collect();
        docs.sort_by(|&a, &b| ids[a as usize].as_ref().cmp(ids[b as usize].as_ref()));
        let mut rank = vec![0u32; ids.len()];
        let mut text = String::new();
        let mut starts = Vec::with_capacity(ids.len() + 1);
        for (r, &doc) in docs.iter().enumerate() {
            rank[doc as usize] = r as u32;
            starts.push(u32::try_from(text.len()).ok()?);
            text.push_str(ids[doc as usize].as_ref());
        }
        starts.push(u32::try_from(text.len()).ok()?);
        Some(IdTable { text, starts, rank, docs })
    }

    pub fn len(&self) -> usize {
        self.rank.len()
    }

    /// Every id with its paper, in id order (ties in paper order).
    pub fn by_rank(&self) -> impl Iterator<Item = (&str, u32)> {
        self.docs.iter().enumerate().map(|(rank, &doc)| (self.at(rank), doc))
    }

    fn at(&self, rank: usize) -> &str {
        &self.text[self.starts[rank] as usize..self.starts[rank + 1] as usize]
    }

    /// The id of paper `doc`.
    pub fn id(&self, doc: u32) -> &str {
        self.at(self.rank[doc as usize] as usize)
    }

    /// The paper with this id (the last one if several have it).
    pub fn doc(&self, id: &str) -> Option<u32> {
        let after = self.docs.partition_point(|&doc| self.id(doc) <= id);
        let last = after.checked_sub(1)?;
        (self.at(last) == id).then(|| self.docs[last])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_strings(strings: &[&str]) {
        let coded = FrontCoded::new(strings.iter().copied());
        assert_eq!(coded.strings().unwrap_or_else(|| panic!("{strings:?} decodes")), strings);
        for n in 1..=strings.len() + 1 {
            let owned = strings.iter().map(|s| s.to_string()).collect();
            assert_eq!(in_slices(&coded, n), Some(owned), "{n} at a time");
        }
        let again: FrontCoded = postcard::from_bytes(&postcard::to_allocvec(&coded).unwrap()).unwrap();
        assert_eq!(again, coded);
    }

    /// `coded`'s strings read `n` at a time.
    fn in_slices(coded: &FrontCoded, n: usize) -> Option<Vec<String>> {
        let mut reader = FrontCodedReader::default();
        let mut strings = reader.next(coded, n)?;
        while !reader.is_done(coded) {
            let slice = reader.next(coded, n)?;
            assert!(!slice.is_empty() && slice.len() <= n, "a slice of at most {n}");
            strings.extend(slice);
        }
        Some(strings)
    }

    #[test]
    fn sorted_strings_read_back_as_written() {
        check_strings(&[]);
        check_strings(&["a"]);
        check_strings(&["", "a", "ab", "abc", "abd", "b"]);
        check_strings(&["caf", "caff", "café", "cafés", "naïve", "naïveté", "日本", "日本語"]);
        check_strings(&["10.18653/v1/2023.acl-long.1", "10.18653/v1/2023.acl-long.10", "t-0691c790c398"]);
        check_strings(&["t-0691c790c398", "t-0691c7a", "t-0691c7aF", "t-8f1e21e96357", "t-8f1e21e963570"]);
        check_strings(&["1", "10", "1024", "2019", "20190", "2019a", "ab", "abc"]);
        let long = ["a".repeat(40), "a".repeat(40) + &"b".repeat(20), "a".repeat(40) + "c0ffee0123"];
        check_strings(&long.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn strings_out_of_order_or_damaged_are_refused() {
        #[track_caller]
        fn refused(coded: &FrontCoded, case: &str) {
            assert_eq!(coded.decode(), None, "{case}");
            for n in 1..=coded.len() + 1 {
                assert_eq!(in_slices(coded, n), None, "{case}, {n} at a time");
            }
        }
        for strings in [&["b", "a"][..], &["a", "a"], &["ab", "a"], &["a", "b", "c", "b"]] {
            refused(&FrontCoded::new(strings.iter().copied()), &format!("{strings:?}"));
        }
        let coded = FrontCoded::new(["alpha", "alphabet", "beta"]);
        for cut in 0..coded.bytes.len() {
            let damaged = FrontCoded { count: coded.count, bytes: coded.bytes[..cut].to_vec() };
            refused(&damaged, &format!("cut at {cut}"));
        }
        refused(&FrontCoded { count: 2, bytes: coded.bytes.clone() }, "bytes left over");
        refused(&FrontCoded { count: 0, bytes: coded.bytes.clone() }, "bytes and no strings");
        let split = FrontCoded { count: 2, bytes: vec![0x02, 0xc3, 0xa9, 0x11, 0xa8] };
        refused(&split, "a prefix that cuts a character");
    }

    #[track_caller]
    fn check_lists(lists: &[&[u32]], bound: u32, readable: bool) {
        let coded = GapLists::new(lists.iter().copied());
        let expected = readable.then(|| lists.iter().map(|l| l.to_vec()).collect::<Vec<_>>());
        assert_eq!(coded.decode(bound), expected, "{lists:?} below {bound}");
    }

    #[test]
    fn ascending_lists_read_back_as_written_and_others_are_refused() {
        check_lists(&[], 1, true);
        check_lists(&[&[], &[0], &[3, 4, 90_000], &[u32::MAX - 1]], u32::MAX, true);
        check_lists(&[&[3, 4, 9]], 9, false);
        check_lists(&[&[3, 3]], 9, false);
        check_lists(&[&[4, 3]], 9, false);
        let cut = GapLists { count: 1, bytes: vec![3, 1, 1] };
        assert_eq!(cut.decode(10), None, "shorter than its length");
    }

    #[test]
    fn packed_integers_read_back_at_their_width() {
        for values in [&[][..], &[0, 0], &[1, 0, 1], &[5, 17, 131_071, 0], &[u32::MAX, 7]] {
            let packed = Packed::new(values);
            assert_eq!(packed.decode().as_deref(), Some(values));
        }
        let short = Packed { count: 3, width: 8, bytes: vec![1, 2] };
        assert_eq!(short.decode(), None);
        let endless = Packed { count: u32::MAX, width: 0, bytes: Vec::new() };
        assert_eq!(endless.decode(), None, "many values of no bits");
    }

    /// `ids` in paper order: each paper's id and each id's paper (the last
    /// one with it, as a map built in paper order would say) read back
    /// from the table, and from its id shards cut at `target` bytes.
    #[track_caller]
    fn check_ids(ids: &[&str], target: usize) {
        let table = IdTable::new(ids).expect("small");
        let mut last = std::collections::HashMap::new();
        for (doc, id) in ids.iter().enumerate() {
            last.insert(*id, doc as u32);
        }
        for (doc, id) in ids.iter().enumerate() {
            assert_eq!(table.id(doc as u32), *id);
            assert_eq!(table.doc(id), last.get(id).copied(), "{id}");
        }
        let shards = super::super::ids::tests::held_shards(&table, target);
        for (doc, id) in ids.iter().enumerate() {
            assert_eq!(shards.id(doc as u32), Some(*id));
            assert_eq!(shards.doc(id), Ok(last.get(id).copied()), "{id} in shards of {target} bytes");
        }
        for unknown in ["", "t-9ad", "t-9ad50", "zzz", "arxiv:2301.0"] {
            assert_eq!(table.doc(unknown), last.get(unknown).copied(), "{unknown}");
            assert_eq!(shards.doc(unknown), Ok(last.get(unknown).copied()), "{unknown}");
        }
        assert_eq!(table.len(), ids.len());
    }

    #[test]
    fn ids_read_back_both_ways() {
        for target in [1, 12, 1000] {
            check_ids(&[], target);
            check_ids(&["t-9ad5"], target);
            check_ids(&["t-9ad5", "doi:10.1/b", "arxiv:2301.1", "doi:10.1/a"], target);
            check_ids(&["b", "a", "b", "", "a", "b", "b", "c"], target);
        }
    }
}

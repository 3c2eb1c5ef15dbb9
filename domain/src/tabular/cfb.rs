//! A compound file (XLS) read as calamine reads it, far enough to check it first: calamine follows
//! every sector chain until it ends, so a chain that loops grows its buffer until memory runs
//! out. Here each chain calamine will follow (the directory, the mini FAT, the mini stream and the
//! workbook stream) is walked with at most one step per sector of the file, and the workbook
//! stream is handed to `biff` to check what calamine will lay out.

use super::limits::Limit;
use super::ParseError;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids from here on are markers, not sectors.
const MARKERS: u32 = 0xFFFF_FFFA;
/// calamine stops reading the DIFAT at ids from here on (DIFSECT and above).
const DIFSECT: u32 = 0xFFFF_FFFC;
const HEADER_DIFAT: usize = 109;
const MINI_SECTOR: usize = 64;
/// Streams smaller than this live in the mini stream.
const MINI_CUTOFF: usize = 4096;
const DIRECTORY_ENTRY: usize = 128;
/// Allocation-table sectors a file may list beyond what its own sectors need.
const FAT_SLACK: u64 = 2;

/// The file's sectors as calamine addresses them.
struct Sectors<'a> {
    bytes: &'a [u8],
    size: usize,
    /// calamine refuses ids above this (`len / sector size`).
    max_id: usize,
}

impl Sectors<'_> {
    fn get(&self, id: u32) -> Result<&[u8], ParseError> {
        let id = id as usize;
        let start = id
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.size))
            .filter(|_| id <= self.max_id)
            .ok_or_else(|| corrupt(format!("sector {id} is past the end of the file")))?;
        let end = (start + self.size).min(self.bytes.len());
        self.bytes
            .get(start..end)
            .ok_or_else(|| corrupt(format!("sector {id} is past the end of the file")))
    }

    /// A chain's bytes up to `len`, each sector visited at most once.
    fn chain(&self, start: u32, fat: &[u32], len: usize) -> Result<Vec<u8>, ParseError> {
        follow(start, fat, self.max_id + 1, len, self.size, |id| {
            self.get(id)
        })
    }
}

/// Follows a chain through `fat` (at most `limit` steps), copying `size`-byte pieces from `piece`
/// until `len` bytes or the chain's end, as calamine does.
fn follow<'p>(
    mut id: u32,
    fat: &[u32],
    limit: usize,
    len: usize,
    size: usize,
    piece: impl Fn(u32) -> Result<&'p [u8], ParseError>,
) -> Result<Vec<u8>, ParseError> {
    let mut out = Vec::new();
    let mut steps = 0;
    while id != ENDOFCHAIN {
        steps += 1;
        if steps > limit {
            return Err(corrupt("a chain of sectors loops back on itself".into()));
        }
        let data = piece(id)?;
        let take = data.len().min(size).min(len - out.len());
        out.extend_from_slice(&data[..take]);
        if out.len() >= len {
            break;
        }
        id = *fat
            .get(id as usize)
            .ok_or_else(|| corrupt(format!("sector {id} is not in the allocation table")))?;
    }
    Ok(out)
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(4).map(|c| u32_at(c, 0))
}

/// The workbook stream (`Workbook`, else `Book`), read the way calamine will read it.
pub(super) fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, ParseError> {
    if bytes.len() < 512 {
        return Err(corrupt("the file is shorter than its header".into()));
    }
    let header = &bytes[..512];
    let size = match u16::from_le_bytes([header[30], header[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Err(corrupt("its sector size is not 512 or 4,096 bytes".into())),
    };
    let version = u16::from_le_bytes([header[26], header[27]]);
    let sectors = Sectors {
        bytes,
        size,
        max_id: bytes.len() / size,
    };
    let mut difat: Vec<u32> = u32s(&header[76..76 + 4 * HEADER_DIFAT]).collect();
    let mut next = u32_at(header, 68);
    let mut difat_sectors = 0;
    while next < MARKERS {
        difat_sectors += 1;
        if difat_sectors > sectors.max_id + 1 {
            return Err(corrupt("its sector allocation list loops".into()));
        }
        difat.extend(u32s(sectors.get(next)?));
        next = difat
            .pop()
            .ok_or_else(|| corrupt("its sector allocation list is empty".into()))?;
    }
    let table = fat_sectors(difat, sectors.max_id + 1, size)?;
    let mut fat = Vec::new();
    for id in table {
        fat.extend(u32s(sectors.get(id)?));
    }
    let directory = sectors.chain(u32_at(header, 48), &fat, usize::MAX)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(DIRECTORY_ENTRY).collect();
    let root = entries
        .first()
        .filter(|root| version == 3 || u32_at(root, 116) != ENDOFCHAIN)
        .ok_or_else(|| corrupt("its root directory is empty".into()))?;
    let length = |entry: &[u8]| -> usize {
        let low = u64::from(u32_at(entry, 120));
        let len = if size == 512 {
            low
        } else {
            low | u64::from(u32_at(entry, 124)) << 32
        };
        usize::try_from(len).unwrap_or(usize::MAX)
    };
    let stream = ["Workbook", "Book"]
        .iter()
        .find_map(|wanted| entries.iter().find(|e| named(e, wanted)))
        .ok_or_else(|| corrupt("it has no workbook stream".into()))?;
    let mini_fat_sectors = u32_at(header, 64) as usize;
    let (mini_fat, mini_stream) = if mini_fat_sectors > 0 {
        let mini_stream = sectors.chain(u32_at(root, 116), &fat, length(root))?;
        let table_len = mini_fat_sectors.saturating_mul(size);
        let table = sectors.chain(u32_at(header, 60), &fat, table_len)?;
        (u32s(&table).collect(), mini_stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let (start, len) = (u32_at(stream, 116), length(stream));
    if len < MINI_CUTOFF {
        let pieces = mini_stream.len() / MINI_SECTOR;
        follow(start, &mini_fat, pieces, len, MINI_SECTOR, |id| {
            let at = id as usize * MINI_SECTOR;
            mini_stream
                .get(at..at + MINI_SECTOR)
                .ok_or_else(|| corrupt(format!("mini sector {id} is past the mini stream")))
        })
    } else {
        sectors.chain(start, &fat, len)
    }
}

/// The allocation-table sectors the DIFAT lists (ids below DIFSECT, as calamine reads them),
/// each at most once and no more than `sector_count` sectors of `size` bytes need: calamine
/// copies a whole sector into the table for every id listed, so one sector listed again and
/// again makes a table a thousand times the file's size.
fn fat_sectors(difat: Vec<u32>, sector_count: usize, size: usize) -> Result<Vec<u32>, Limit> {
    let listed: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    if let Some(pair) = sorted.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(Limit::FatRepeat { sector: pair[0] });
    }
    let per_sector = (size / 4) as u64;
    let allowed = (sector_count as u64).div_ceil(per_sector) + FAT_SLACK;
    if listed.len() as u64 > allowed {
        return Err(Limit::FatSectors {
            listed: listed.len() as u64,
            allowed,
        });
    }
    Ok(listed)
}

/// Whether a directory entry has this name (UTF-16, compared as calamine compares it).
fn named(entry: &[u8], wanted: &str) -> bool {
    let units: Vec<u16> = entry[..64]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&unit| unit != 0)
        .collect();
    String::from_utf16_lossy(&units).eq_ignore_ascii_case(wanted)
}

fn corrupt(reason: String) -> ParseError {
    ParseError::Corrupt(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fat_sectors_are_listed_once_and_no_more_than_the_file_needs() {
        let free = 0xFFFF_FFFF;
        assert_eq!(
            fat_sectors(vec![0, 7, free, free], 200, 512),
            Ok(vec![0, 7])
        );
        assert_eq!(
            fat_sectors(vec![3, 0, 3], 200, 512),
            Err(Limit::FatRepeat { sector: 3 })
        );
        // 200 sectors of 512 bytes need 2 table sectors (128 ids each); 2 more are allowed.
        assert_eq!(
            fat_sectors((0..5).collect(), 200, 512),
            Err(Limit::FatSectors {
                listed: 5,
                allowed: 4
            })
        );
        assert_eq!(fat_sectors((0..4).collect(), 200, 512).unwrap().len(), 4);
    }

    #[test]
    fn a_fat_bomb_is_refused_before_the_table_is_built() {
        // A 2 KB file whose header lists sector 0 as every one of its 109 table sectors.
        let mut file = vec![0u8; 2_048];
        file[30] = 9;
        file[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        let refused = workbook_stream(&file).unwrap_err();
        assert!(refused.to_string().contains("more than once"), "{refused}");
    }
}

//! Writers for the hostile corpus's containers, written by hand so every field can lie: zip
//! archives (parts with any declared size, flag or offset), deflate streams of billions of
//! bytes made by repeating one compressed block, and compound files (XLS) with any sector
//! chain.

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::{Compress, Compression, FlushCompress};

/// One zip part as written: its bytes as stored and what its headers say.
pub struct Part {
    pub name: String,
    pub data: Vec<u8>,
    /// 0 stored, 8 deflated.
    pub method: u16,
    pub crc: u32,
    /// The unpacked size the headers declare.
    pub size: u32,
    pub flags: u16,
}

impl Part {
    pub fn stored(name: &str, content: &[u8]) -> Part {
        Part {
            name: name.into(),
            data: content.to_vec(),
            method: 0,
            crc: crc32fast::hash(content),
            size: content.len() as u32,
            flags: 0,
        }
    }

    pub fn deflated(name: &str, content: &[u8]) -> Part {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(content).unwrap();
        Part {
            data: encoder.finish().unwrap(),
            method: 8,
            ..Part::stored(name, content)
        }
    }

    /// `head`, then `fill` repeated to `total` bytes, then `tail`, deflated by repeating one
    /// compressed mebibyte (`total` a multiple of it); the checksum is not computed.
    pub fn bomb(name: &str, head: &[u8], fill: u8, total: u64, tail: &[u8]) -> Part {
        const BLOCK: usize = 1 << 20;
        let mut compress = Compress::new(Compression::best(), false);
        let mut out = Vec::with_capacity(BLOCK);
        compress
            .compress_vec(head, &mut out, FlushCompress::Sync)
            .unwrap();
        let start = out.len();
        compress
            .compress_vec(&vec![fill; BLOCK], &mut out, FlushCompress::Sync)
            .unwrap();
        assert_eq!(compress.total_in(), (head.len() + BLOCK) as u64);
        // Byte-aligned and referring only to the bytes just before it, all `fill`: repeatable.
        let block = out[start..].to_vec();
        for _ in 1..total / BLOCK as u64 {
            out.extend_from_slice(&block);
        }
        let mut tail_part = Vec::with_capacity(tail.len() * 2 + 1024);
        compress
            .compress_vec(tail, &mut tail_part, FlushCompress::Finish)
            .unwrap();
        out.extend_from_slice(&tail_part);
        Part {
            name: name.into(),
            data: out,
            method: 8,
            crc: 0,
            size: (head.len() as u64 + total + tail.len() as u64).min(u64::from(u32::MAX)) as u32,
            flags: 0,
        }
    }
}

/// A zip archive of `parts`; `extra` central-directory entries point at the first part's data
/// again (overlapping parts). `declared` overrides the part count of the end record.
pub fn zip(parts: &[Part], extra: usize, declared: Option<u16>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for part in parts {
        offsets.push(out.len() as u32);
        out.extend(0x0403_4b50_u32.to_le_bytes());
        header(&mut out, part);
        out.extend((part.name.len() as u16).to_le_bytes());
        out.extend([0, 0]);
        out.extend(part.name.as_bytes());
        out.extend(&part.data);
    }
    let directory = out.len() as u32;
    let again = (0..extra).map(|i| (&parts[0], offsets[0], format!("{}.{i}", parts[0].name)));
    let entries = parts
        .iter()
        .zip(offsets.iter().copied())
        .map(|(part, offset)| (part, offset, part.name.clone()))
        .chain(again);
    let mut count = 0u16;
    for (part, offset, name) in entries {
        out.extend(0x0201_4b50_u32.to_le_bytes());
        out.extend(20_u16.to_le_bytes());
        header(&mut out, part);
        out.extend((name.len() as u16).to_le_bytes());
        // Extra field, comment, disk, internal and external attributes: none.
        out.extend([0; 12]);
        out.extend(offset.to_le_bytes());
        out.extend(name.as_bytes());
        count = count.saturating_add(1);
    }
    let size = out.len() as u32 - directory;
    let count = declared.unwrap_or(count);
    out.extend(0x0605_4b50_u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(directory.to_le_bytes());
    out.extend([0, 0]);
    out
}

/// The fields local and central headers share: version needed, flags, method, time and date,
/// checksum, sizes.
fn header(out: &mut Vec<u8>, part: &Part) {
    out.extend(20_u16.to_le_bytes());
    out.extend(part.flags.to_le_bytes());
    out.extend(part.method.to_le_bytes());
    out.extend([0, 0, 0x21, 0]);
    out.extend(part.crc.to_le_bytes());
    out.extend((part.data.len() as u32).to_le_bytes());
    out.extend(part.size.to_le_bytes());
}

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

/// A compound file holding one stream `name` (padded with zeros to at least 4,096 bytes so it
/// is not in the mini stream); `looping` makes the directory's sector chain point back at
/// itself.
pub fn compound(name: &str, stream: &[u8], looping: bool) -> Vec<u8> {
    let mut body = stream.to_vec();
    body.resize(body.len().max(4096).next_multiple_of(512), 0);
    let sectors = body.len() / 512;
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let words: [(usize, u16); 5] = [(24, 0x3E), (26, 3), (28, 0xFFFE), (30, 9), (32, 6)];
    for (at, value) in words {
        header[at..at + 2].copy_from_slice(&value.to_le_bytes());
    }
    let longs: [(usize, u32); 7] = [
        (44, 1),
        (48, 1),
        (56, 4096),
        (60, ENDOFCHAIN),
        (64, 0),
        (68, ENDOFCHAIN),
        (76, 0),
    ];
    for (at, value) in longs {
        header[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
    for at in (80..512).step_by(4) {
        header[at..at + 4].copy_from_slice(&FREE.to_le_bytes());
    }
    let mut fat = vec![FREE; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = if looping { 1 } else { ENDOFCHAIN };
    for i in 0..sectors {
        fat[2 + i] = if i + 1 == sectors {
            ENDOFCHAIN
        } else {
            3 + i as u32
        };
    }
    let mut directory = vec![0u8; 512];
    entry(&mut directory[..128], "Root Entry", 5, 1, ENDOFCHAIN, 0);
    entry(
        &mut directory[128..256],
        name,
        2,
        FREE,
        2,
        body.len() as u32,
    );
    let mut out = header;
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out.extend(directory);
    out.extend(body);
    out
}

fn entry(out: &mut [u8], name: &str, kind: u8, child: u32, start: u32, size: u32) {
    let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    out[..units.len()].copy_from_slice(&units);
    out[64..66].copy_from_slice(&(units.len() as u16 + 2).to_le_bytes());
    out[66] = kind;
    out[67] = 1;
    for (at, value) in [
        (68, FREE),
        (72, FREE),
        (76, child),
        (116, start),
        (120, size),
    ] {
        out[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
}

/// One BIFF record.
pub fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

/// A BIFF8 workbook stream: globals (with `globals` records) listing one sheet `Data`, then the
/// sheet's records.
pub fn workbook(globals: &[Vec<u8>], sheet: &[Vec<u8>]) -> Vec<u8> {
    let bof = |kind: u16| {
        let data = [&0x0600_u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0; 12]];
        record(0x0809, &data.concat())
    };
    // BOF (20 bytes), the extra records, BoundSheet (16) and EOF (4).
    let globals_len = 20 + globals.iter().map(Vec::len).sum::<usize>() + 16 + 4;
    let mut out = bof(0x0005);
    for part in globals {
        out.extend(part);
    }
    let name = [
        &(globals_len as u32).to_le_bytes()[..],
        &[0, 0, 4, 0],
        b"Data",
    ]
    .concat();
    out.extend(record(0x0085, &name));
    out.extend(record(0x000A, &[]));
    out.extend(bof(0x0010));
    for part in sheet {
        out.extend(part);
    }
    out.extend(record(0x000A, &[]));
    out
}

/// A NUMBER record.
pub fn number(row: u16, column: u16, value: f64) -> Vec<u8> {
    let data = [
        &row.to_le_bytes()[..],
        &column.to_le_bytes(),
        &[0, 0],
        &value.to_le_bytes(),
    ];
    record(0x0203, &data.concat())
}

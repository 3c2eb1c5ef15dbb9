// Reading the files OCM exports, in the end-to-end tests: CSV and the parts of a workbook.
import { inflateRawSync } from 'node:zlib';

/** CSV text (RFC 4180 quoting, optional BOM) as rows of cells. */
export function parseCsv(text) {
  const rows = [[]];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rows.at(-1).push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      rows.at(-1).push(cell); cell = ''; rows.push([]);
    } else cell += c;
  }
  if (cell !== '' || rows.at(-1).length > 0) rows.at(-1).push(cell);
  return rows.filter((row) => row.length > 1 || (row.length === 1 && row[0] !== ''));
}

/** One file of a ZIP archive (a workbook), found through the central directory. */
export function zipEntry(zip, wanted) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (name === wanted) {
      const local = zip.readUInt32LE(at + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at += 46 + skip;
  }
  throw new Error(`${wanted} is not in the archive`);
}

/** The text cells of a workbook's first sheet: shared strings where the workbook has them,
 * and the sheet's own inline strings (a workbook written in constant memory has only those). */
export function workbookText(zip) {
  const sheet = zipEntry(zip, 'xl/worksheets/sheet1.xml');
  try {
    return `${zipEntry(zip, 'xl/sharedStrings.xml')}${sheet}`;
  } catch {
    return sheet;
  }
}

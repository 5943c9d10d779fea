// Reads the first sheet of an XLSX file into rows of cell texts, with nothing but
// Node: an XLSX is a zip archive of XML parts; the cells are in
// xl/worksheets/sheet1.xml, their strings in xl/sharedStrings.xml.
import { inflateRawSync } from 'node:zlib';

/** The files of a zip archive, by name. */
function unzip(buffer) {
  const files = new Map();
  // The end of the central directory: signature 0x06054b50, within the last 64 KiB.
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('not a zip archive');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < count; i += 1) {
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataAt, dataAt + compressed);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

const unescape = (text) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Column letters to a 0-based index: A → 0, AB → 27. */
function column(letters) {
  return [...letters].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 64), 0) - 1;
}

/**
 * The first sheet's rows, each an array of cell texts (numbers as written).
 * @param {Buffer} buffer
 * @returns {string[][]}
 */
export function readSheet(buffer) {
  const files = unzip(buffer);
  const shared = [];
  const strings = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
  for (const [, item] of strings.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push(unescape([...item.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('')));
  }
  const sheet = files.get('xl/worksheets/sheet1.xml').toString('utf8');
  const rows = [];
  for (const [, body] of sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = [];
    for (const [, attrs, inner] of body.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = attrs.match(/r="([A-Z]+)\d+"/)[1];
      const type = attrs.match(/t="(\w+)"/)?.[1];
      const value = inner?.match(/<v>([\s\S]*?)<\/v>/)?.[1] ?? '';
      cells[column(ref)] = type === 's' ? shared[Number(value)] : type === 'inlineStr'
        ? unescape(inner.match(/<t[^>]*>([\s\S]*?)<\/t>/)?.[1] ?? '') : value;
    }
    rows.push(Array.from(cells, (c) => c ?? ''));
  }
  return rows;
}

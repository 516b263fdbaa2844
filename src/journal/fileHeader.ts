/**
 * The header that opens every journal file: what kind of file it is, the
 * format version it was written in, and the position of the first record it
 * covers (its log sequence number).
 */
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 24;

export type FileKind = 'segment' | 'snapshot';
const MAGIC: Record<FileKind, string> = { segment: 'CNCRDLOG', snapshot: 'CNCRDSNP' };

export function encodeHeader(kind: FileKind, lsn: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC[kind], 0, 'latin1');
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeBigUInt64LE(BigInt(lsn), 16);
  return header;
}

/** The header's sequence number, or why the file is not one of ours in a format this code reads. */
export function decodeHeader(kind: FileKind, buffer: Buffer): { lsn: number } | { problem: string } {
  if (buffer.length < HEADER_BYTES || buffer.toString('latin1', 0, 8) !== MAGIC[kind]) return { problem: `not a Concord ${kind} file` };
  const format = buffer.readUInt32LE(8);
  if (format !== FORMAT_VERSION) return { problem: `${kind} format ${format}, and this version of Concord reads format ${FORMAT_VERSION}` };
  return { lsn: Number(buffer.readBigUInt64LE(16)) };
}

const pad = (lsn: number) => String(lsn).padStart(16, '0');
export const segmentName = (lsn: number) => `segment-${pad(lsn)}.log`;
export const snapshotName = (lsn: number) => `snapshot-${pad(lsn)}.bin`;

/** The files of a journal directory, each kind sorted by the sequence number in its name. */
export function listJournal(names: readonly string[]): {
  segments: { name: string; lsn: number }[];
  snapshots: { name: string; lsn: number }[];
  temporary: string[];
} {
  const numbered = (pattern: RegExp) =>
    names
      .map((name) => ({ name, match: pattern.exec(name) }))
      .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
      .map(({ name, match }) => ({ name, lsn: Number(match[1]) }))
      .sort((a, b) => a.lsn - b.lsn);
  return {
    segments: numbered(/^segment-(\d{16})\.log$/),
    snapshots: numbered(/^snapshot-(\d{16})\.bin$/),
    temporary: names.filter((name) => name.endsWith('.tmp')),
  };
}

import { crc32 } from 'node:zlib';

/**
 * One record on disk: a sync word, the payload's length and its CRC32, then
 * the payload. The sync word lets a reader that met a bad record look for a
 * good one after it: finding one means corruption, not a torn tail.
 */
export const FRAME_MAGIC = 0xc0c0_da7a;
export const FRAME_HEADER_BYTES = 12;

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(FRAME_MAGIC, 0);
  frame.writeUInt32LE(payload.length, 4);
  frame.writeUInt32LE(crc32(payload), 8);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/** A record read back, and where its frame starts in the buffer. */
export interface ScannedFrame {
  readonly offset: number;
  readonly payload: Buffer;
}

/**
 * What a scan found: the good records up to `end`, then either the buffer's
 * end, or a bad record at `end`. A bad record is `torn` when nothing valid
 * follows it (a crash mid-append leaves a prefix of its frame), `corrupt` when
 * a valid record follows it.
 */
export interface FrameScan {
  readonly frames: ScannedFrame[];
  readonly end: number;
  readonly tail: 'clean' | 'torn' | 'corrupt';
}

/** The payload of the well-formed frame at `offset`, or null. */
function frameAt(buffer: Buffer, offset: number): Buffer | null {
  if (buffer.length - offset < FRAME_HEADER_BYTES || buffer.readUInt32LE(offset) !== FRAME_MAGIC) return null;
  const length = buffer.readUInt32LE(offset + 4);
  const start = offset + FRAME_HEADER_BYTES;
  if (length === 0 || length > buffer.length - start) return null;
  const payload = buffer.subarray(start, start + length);
  return crc32(payload) === buffer.readUInt32LE(offset + 8) ? payload : null;
}

const MAGIC_BYTES = encodeFrame(Buffer.from([0])).subarray(0, 4);

/** Where the next valid frame after `offset` starts, or -1. */
function nextValidFrame(buffer: Buffer, offset: number): number {
  for (let next = buffer.indexOf(MAGIC_BYTES, offset + 1); next !== -1; next = buffer.indexOf(MAGIC_BYTES, next + 1)) {
    if (frameAt(buffer, next) !== null) return next;
  }
  return -1;
}

/** Reads the frames of `buffer` from `start`, stopping at the first bad one. */
export function scanFrames(buffer: Buffer, start: number): FrameScan {
  const frames: ScannedFrame[] = [];
  let offset = start;
  while (offset < buffer.length) {
    const payload = frameAt(buffer, offset);
    if (payload === null) return { frames, end: offset, tail: nextValidFrame(buffer, offset) === -1 ? 'torn' : 'corrupt' };
    frames.push({ offset, payload });
    offset += FRAME_HEADER_BYTES + payload.length;
  }
  return { frames, end: offset, tail: 'clean' };
}

/** How many valid records follow a bad one at `offset`: what `repair: 'truncate'` drops with it. */
export function countFramesAfter(buffer: Buffer, offset: number): number {
  let count = 0;
  let from = offset;
  for (;;) {
    const next = nextValidFrame(buffer, from);
    if (next === -1) return count;
    const scan = scanFrames(buffer, next);
    count += scan.frames.length;
    if (scan.tail === 'clean') return count;
    from = scan.end;
  }
}

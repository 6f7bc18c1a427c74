/**
 * Sets the display rotation of an MP4's video track by writing the track header (tkhd) matrix in
 * place. Done by hand because ffmpeg cannot be relied on for it: the bundled ffmpeg 4.1 drops the
 * `rotate` tag when it encodes, and on stream copy writes the opposite direction (rotate=90 reads
 * back as 270), while newer ffmpeg versions dropped the tag for -display_rotation. The matrix
 * below is the one phone cameras write, which every player (and ffmpeg's autorotate) honours.
 */
import { open, type FileHandle } from 'node:fs/promises';

interface Box {
  type: string;
  /** Offset of the box header in the buffer/file. */
  start: number;
  /** Offset of the payload. */
  body: number;
  end: number;
}

function boxesIn(buf: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  let p = from;
  while (p + 8 <= to) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let body = p + 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(p + 8));
      body = p + 16;
    } else if (size === 0) size = to - p;
    if (size < 8 || p + size > to) break;
    out.push({ type, start: p, body, end: p + size });
    p += size;
  }
  return out;
}

async function findMoov(fh: FileHandle, fileSize: number): Promise<{ offset: number; size: number } | undefined> {
  const head = Buffer.alloc(16);
  let p = 0;
  while (p + 8 <= fileSize) {
    await fh.read(head, 0, 16, p);
    let size = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (size === 1) size = Number(head.readBigUInt64BE(8));
    else if (size === 0) size = fileSize - p;
    if (size < 8) return undefined;
    if (type === 'moov') return { offset: p, size };
    p += size;
  }
  return undefined;
}

/** 16.16 fixed point matrix entries in file order a b u / c d v / x y w (u, v, w are 2.30). */
function matrixFor(clockwise: number, width: number, height: number): number[] {
  const one = 0x10000;
  const w = 0x40000000;
  switch (clockwise) {
    case 90:
      return [0, one, 0, -one, 0, 0, height * one, 0, w];
    case 180:
      return [-one, 0, 0, 0, -one, 0, width * one, height * one, w];
    case 270:
      return [0, -one, 0, one, 0, 0, 0, width * one, w];
    default:
      return [one, 0, 0, 0, one, 0, 0, 0, w];
  }
}

/**
 * Writes a clockwise display rotation (0, 90, 180, 270) into every video track of `path`.
 * Returns the number of tracks changed (0 when the file has no video track or no moov).
 */
export async function setMp4Rotation(path: string, clockwise: number): Promise<number> {
  const deg = ((Math.round(clockwise / 90) * 90) % 360 + 360) % 360;
  const fh = await open(path, 'r+');
  try {
    const { size: fileSize } = await fh.stat();
    const moov = await findMoov(fh, fileSize);
    if (!moov) return 0;
    const buf = Buffer.alloc(moov.size);
    await fh.read(buf, 0, moov.size, moov.offset);
    const top = boxesIn(buf, 0, buf.length)[0];
    let changed = 0;
    for (const trak of boxesIn(buf, top.body, top.end).filter((b) => b.type === 'trak')) {
      const kids = boxesIn(buf, trak.body, trak.end);
      const tkhd = kids.find((b) => b.type === 'tkhd');
      const mdia = kids.find((b) => b.type === 'mdia');
      const hdlr = mdia && boxesIn(buf, mdia.body, mdia.end).find((b) => b.type === 'hdlr');
      if (!tkhd || !hdlr || buf.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue;
      const version = buf[tkhd.body];
      // version/flags, then times, track id, reserved, duration (wider in version 1),
      // then reserved(8) layer(2) alternate group(2) volume(2) reserved(2), then the matrix.
      const matrixAt = tkhd.body + 4 + (version === 1 ? 32 : 20) + 16;
      const width = buf.readUInt32BE(matrixAt + 36) / 0x10000;
      const height = buf.readUInt32BE(matrixAt + 40) / 0x10000;
      const m = Buffer.alloc(36);
      matrixFor(deg, width, height).forEach((v, i) => m.writeInt32BE(v | 0, i * 4));
      await fh.write(m, 0, 36, moov.offset + matrixAt);
      changed++;
    }
    return changed;
  } finally {
    await fh.close();
  }
}

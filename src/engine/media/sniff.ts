/**
 * What the first bytes of a file look like. Used on fetched URLs (the server's Content-Type and
 * the URL's extension are not trusted) and on local files before ffprobe, so that an HTML error
 * page, a playlist or a file list is refused with a clear message, and so that a fetched file gets
 * a temp name whose extension matches its content.
 */

export type SniffKind =
  | { kind: 'media'; container: string; ext: string }
  /** Text that ffmpeg could read as a list of other files or URLs: never accepted. */
  | { kind: 'playlist'; what: string }
  /** Other text (HTML error pages, JSON...): not media. */
  | { kind: 'text'; what: string }
  | { kind: 'unknown' };

/** How many leading bytes sniffContent wants (it works with fewer). */
export const SNIFF_BYTES = 4096;

function ascii(b: Uint8Array, start: number, len: number): string {
  return Buffer.from(b.subarray(start, start + len)).toString('latin1');
}

export function sniffContent(head: Uint8Array): SniffKind {
  const b = head;
  const at = (s: string, off = 0): boolean => ascii(b, off, s.length) === s;
  // ISO BMFF (mp4, mov, m4a, 3gp): a box header, usually ftyp; older QuickTime starts with other boxes.
  if (b.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot'].includes(ascii(b, 4, 4))) {
    const brand = at('ftyp', 4) ? ascii(b, 8, 4) : '';
    if (brand === 'qt  ') return { kind: 'media', container: 'mov', ext: '.mov' };
    if (brand.startsWith('M4A')) return { kind: 'media', container: 'm4a', ext: '.m4a' };
    return { kind: 'media', container: 'mp4', ext: '.mp4' };
  }
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
    const webm = ascii(b, 0, Math.min(b.length, 64)).includes('webm');
    return { kind: 'media', container: webm ? 'webm' : 'matroska', ext: webm ? '.webm' : '.mkv' };
  }
  if (at('RIFF') && b.length >= 12) {
    const form = ascii(b, 8, 4);
    if (form === 'AVI ') return { kind: 'media', container: 'avi', ext: '.avi' };
    if (form === 'WAVE') return { kind: 'media', container: 'wav', ext: '.wav' };
    if (form === 'WEBP') return { kind: 'media', container: 'webp', ext: '.webp' };
  }
  if (at('RF64')) return { kind: 'media', container: 'wav', ext: '.wav' };
  if (at('FORM') && (at('AIFF', 8) || at('AIFC', 8))) return { kind: 'media', container: 'aiff', ext: '.aiff' };
  if (at('caff')) return { kind: 'media', container: 'caf', ext: '.caf' };
  if (at('fLaC')) return { kind: 'media', container: 'flac', ext: '.flac' };
  if (at('OggS')) return { kind: 'media', container: 'ogg', ext: '.ogg' };
  if (at('FLV')) return { kind: 'media', container: 'flv', ext: '.flv' };
  if (at('ID3')) return { kind: 'media', container: 'mp3', ext: '.mp3' };
  if (at('#!AMR')) return { kind: 'media', container: 'amr', ext: '.amr' };
  if (b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75) return { kind: 'media', container: 'asf', ext: '.wmv' };
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0x01 && b[3] === 0xba) return { kind: 'media', container: 'mpeg', ext: '.mpg' };
  if (b[0] === 0x47 && (b.length < 189 || b[188] === 0x47)) return { kind: 'media', container: 'mpegts', ext: '.ts' };
  if (at('\x89PNG\r\n\x1a\n')) return { kind: 'media', container: 'png', ext: '.png' };
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'media', container: 'jpeg', ext: '.jpg' };
  if (at('GIF87a') || at('GIF89a')) return { kind: 'media', container: 'gif', ext: '.gif' };
  if (at('BM') && b.length >= 14) return { kind: 'media', container: 'bmp', ext: '.bmp' };
  if (at('II*\x00') || at('MM\x00*')) return { kind: 'media', container: 'tiff', ext: '.tif' };
  if (at('DKIF')) return { kind: 'media', container: 'ivf', ext: '.ivf' };
  if (at('YUV4MPEG2')) return { kind: 'media', container: 'y4m', ext: '.y4m' };
  // Raw MPEG audio: frame sync (ADTS AAC has layer bits 00).
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0) {
    const adts = (b[1] & 0x06) === 0;
    return { kind: 'media', container: adts ? 'aac' : 'mp3', ext: adts ? '.aac' : '.mp3' };
  }

  const text = sniffText(b);
  if (text) return text;
  return { kind: 'unknown' };
}

function sniffText(b: Uint8Array): SniffKind | undefined {
  let start = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3; // UTF-8 BOM
  const sample = b.subarray(start, Math.min(b.length, start + 1024));
  if (sample.length === 0) return undefined;
  // Text: no NUL bytes and almost all printable or whitespace.
  let printable = 0;
  for (const c of sample) {
    if (c === 0) return undefined;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127)) printable++;
  }
  if (printable / sample.length < 0.95) return undefined;
  const s = Buffer.from(sample).toString('utf8').trimStart();
  const lower = s.toLowerCase();
  if (s.startsWith('#EXTM3U') || s.startsWith('#EXT-X-')) return { kind: 'playlist', what: 'an HLS/M3U playlist' };
  if (lower.startsWith('ffconcat')) return { kind: 'playlist', what: 'an ffconcat list' };
  if (/^file\s+['"]?[^\s]/.test(s)) return { kind: 'playlist', what: 'a concat file list' };
  if (lower.startsWith('[playlist]')) return { kind: 'playlist', what: 'a PLS playlist' };
  if (lower.includes('<mpd')) return { kind: 'playlist', what: 'a DASH manifest' };
  if (lower.startsWith('<?xml') && lower.includes('<smil')) return { kind: 'playlist', what: 'a SMIL playlist' };
  if (/^(https?|rtmp|rtsp|file):\/\//.test(lower)) return { kind: 'playlist', what: 'a list of URLs' };
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || lower.includes('<head') || lower.includes('<body')) {
    return { kind: 'text', what: 'an HTML page' };
  }
  if (lower.startsWith('{') || lower.startsWith('[')) return { kind: 'text', what: 'JSON text' };
  return { kind: 'text', what: 'plain text' };
}

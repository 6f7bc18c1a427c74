/**
 * ffmpeg arguments shared by the frame encoder and the plain transcode baseline: libx264 settings
 * and colour handling.
 *
 * Colour: frames reach us as RGB that decode-video.ts converted from YUV with the input's own
 * matrix (ffmpeg's scaler uses the stream's colorspace tag, BT.601 when untagged) and range. The
 * encoder converts back with the same matrix and range and writes the input's tags, so an
 * untouched pixel comes out as the YUV value it went in as, and players show it the same way.
 */
import type { VideoStreamInfo } from './types.js';

export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

/**
 * Output preset and quality when none is asked for: 'faster' at crf 16. Measured with the
 * generation benchmark (15 cases, the same code otherwise): against 'medium' at crf 17, PSNR outside
 * the edit 45.3 vs 45.2 dB and mouth sharpness 0.89 of the source in both, while x264 runs about
 * 1.5x faster (plain 1080p transcodes: 3.6 vs 5.6 s on M003, 6.4 vs 11.6 s on demo1). The price is
 * size: 13-19% larger files on those two clips. 'faster' at crf 17 lost 0.5 dB (44.7). Sync encodes
 * with `-crf 17 -preset slow`: pass those to match it, at about 3x this encode time.
 */
export const DEFAULT_PRESET: X264Preset = 'faster';

/** x264 constant rate factor (lower is better and bigger); see DEFAULT_PRESET. */
export const DEFAULT_CRF = 16;

export type ColorInfo = Pick<VideoStreamInfo, 'colorRange' | 'colorSpace' | 'colorPrimaries' | 'colorTransfer'>;

// Names ffmpeg 4.1 accepts for -colorspace / -color_primaries / -color_trc (ffprobe prints the same
// names). Anything else (including "unknown") is left untagged rather than failing the encode.
const SPACES = ['rgb', 'bt709', 'fcc', 'bt470bg', 'smpte170m', 'smpte240m', 'ycgco', 'bt2020nc', 'bt2020c', 'smpte2085', 'chroma-derived-nc', 'chroma-derived-c', 'ictcp'];
const PRIMARIES = ['bt709', 'bt470m', 'bt470bg', 'smpte170m', 'smpte240m', 'film', 'bt2020', 'smpte428', 'smpte431', 'smpte432', 'jedec-p22'];
const TRANSFERS = ['bt709', 'gamma22', 'gamma28', 'smpte170m', 'smpte240m', 'linear', 'log100', 'log316', 'iec61966-2-4', 'bt1361e', 'iec61966-2-1', 'bt2020-10', 'bt2020-12', 'smpte2084', 'smpte428', 'arib-std-b67'];

/** Output options tagging the stream with the input's colour description. */
export function colorTagArgs(c: ColorInfo | undefined): string[] {
  if (!c) return [];
  const a: string[] = [];
  if (c.colorRange === 'tv' || c.colorRange === 'pc') a.push('-color_range', c.colorRange);
  if (c.colorSpace && SPACES.includes(c.colorSpace)) a.push('-colorspace', c.colorSpace);
  if (c.colorPrimaries && PRIMARIES.includes(c.colorPrimaries)) a.push('-color_primaries', c.colorPrimaries);
  if (c.colorTransfer && TRANSFERS.includes(c.colorTransfer)) a.push('-color_trc', c.colorTransfer);
  return a;
}

/** The swscale matrix name matching a stream's colorspace tag (what the decoder used). */
export function scaleMatrix(colorSpace: string | undefined): string {
  switch (colorSpace) {
    case 'bt709':
      return 'bt709';
    case 'fcc':
      return 'fcc';
    case 'smpte240m':
      return 'smpte240m';
    case 'bt2020nc':
    case 'bt2020c':
      return 'bt2020';
    default:
      return 'bt601'; // bt470bg, smpte170m and untagged: what ffmpeg's scaler assumes when decoding
  }
}

/** RGB → yuv420p with the input's matrix and range. */
export function rgbToYuvFilter(c: ColorInfo | undefined): string {
  const range = c?.colorRange === 'pc' ? 'pc' : 'tv';
  // accurate rounding + full chroma: the inverse of the exact decode (decode-video.ts `exact`)
  return `scale=out_color_matrix=${scaleMatrix(c?.colorSpace)}:out_range=${range}:flags=accurate_rnd+full_chroma_int,format=yuv420p`;
}

/**
 * x264 tuning on top of every preset but ultrafast: variance-based adaptive quantisation
 * (aq-mode 2) and psy-trellis 0.15. Why: with the defaults x264's macroblock tree starves the edited
 * mouth, whose fine texture changes from frame to frame, of bits. Re-encoding lossless generation
 * outputs (faster, crf 16), the mouth kept 0.89 of its fine detail with the defaults and 0.99 with
 * this (M003; demo1 1.01 → 1.05), PSNR against the lossless frames rose (54.05 → 54.39 dB; demo1
 * 49.73 → 49.86), files grew 1% and 13%, and encoding took 2–3% longer.
 */
export const X264_TUNING = 'aq-mode=2:psy-rd=1.0,0.15';

export function x264Args(preset: X264Preset, crf: number, threads?: number): string[] {
  if (!X264_PRESETS.includes(preset)) throw new Error(`unknown x264 preset "${preset}"`);
  const a = ['-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p'];
  if (preset !== 'ultrafast') a.push('-x264-params', X264_TUNING);
  if (threads) a.push('-threads', String(threads));
  return a;
}

/**
 * ffmpeg arguments shared by the frame encoder and the plain transcode baseline: libx264 settings
 * and colour handling.
 *
 * Colour: frames reach us as RGB that decode-video.ts converted from YUV with the input's own
 * matrix (ffmpeg's scaler uses the stream's colorspace tag, BT.601 when untagged) and range. The
 * encoder converts back with the same matrix and range and writes the input's tags, so an
 * untouched pixel comes out as the YUV value it went in as, and players show it the same way.
 */
import type { VideoStreamInfo, YuvFormat } from './types.js';

export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

/**
 * Output preset and quality when none is asked for: 'veryfast' at crf 15, with trellis switched on
 * (see x264Tuning). Why: x264 is the largest share of a generation's CPU, and this spends about a
 * quarter less of it than 'faster' at crf 16 (the session-3 default) for the same picture.
 * Measured by re-encoding three lossless generation outputs (M003 1080p, demo1 1080x1920,
 * KatieHill 512²) with both: PSNR against the lossless frames +0.31 / −0.21 / +0.43 dB, mouth detail
 * kept 0.99 / 1.07 / 0.97 (faster: 0.96 / 1.01 / 0.94), files 7–13% larger, x264 CPU time 20–27%
 * lower. Without trellis, veryfast keeps only 0.89 / 0.99 / 0.91 of the mouth detail. The generation
 * benchmark's table is the check on all cases. Sync encodes with `-crf 17 -preset slow`: pass those
 * to match it, at several times this encode time.
 */
export const DEFAULT_PRESET: X264Preset = 'veryfast';

/** x264 constant rate factor (lower is better and bigger); see DEFAULT_PRESET. */
export const DEFAULT_CRF = 15;

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

/**
 * The tuning for a preset. Psy-trellis only acts when trellis quantisation is on, which superfast
 * and veryfast switch off; for them it is switched back on (final-macroblock trellis, as in
 * faster), which is what keeps the mouth's detail at veryfast (see DEFAULT_PRESET).
 */
export function x264Tuning(preset: X264Preset): string | undefined {
  if (preset === 'ultrafast') return undefined;
  return preset === 'superfast' || preset === 'veryfast' ? `${X264_TUNING}:trellis=1` : X264_TUNING;
}

export function x264Args(preset: X264Preset, crf: number, threads?: number): string[] {
  if (!X264_PRESETS.includes(preset)) throw new Error(`unknown x264 preset "${preset}"`);
  const a = ['-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p'];
  const tuning = x264Tuning(preset);
  if (tuning) a.push('-x264-params', tuning);
  if (threads) a.push('-threads', String(threads));
  return a;
}

/**
 * libx265 tuning for deeper output: variance AQ with a dark-scene bias (aq-mode 3), no sample
 * adaptive offset, a lighter deblocking filter, and rate-distortion-optimised quantisation with a
 * psycho-visual bias (rdoq-level 2, psy-rdoq 0.5; the veryfast preset switches RDOQ off). Why: with
 * x265's defaults the edited mouth's fine texture is smoothed away. Re-encoding a lossless 10-bit
 * generation output (M003 as 10-bit HLG ← W040, veryfast; scripts/experiment-encoder.ts), the mouth
 * region kept 0.73 of its Laplacian variance at CRF 18 with the defaults, 0.80 at CRF 15; SAO off,
 * aq-mode 3 and deblock −1 together 0.95 at CRF 15 (3.4 Mbit/s), and with RDOQ as here 1.04
 * (3.7 Mbit/s, 17% more encode time; psy-rdoq 1.0 gave 1.06, rdoq-level 1 1.10: more texture than
 * the lossless frames have). x264's CRF 15 on the 8-bit clip: 4.9 Mbit/s.
 */
export const X265_TUNING = 'aq-mode=3:no-sao=1:deblock=-1,-1:rdoq-level=2:psy-rdoq=0.5';

/**
 * The video encoder for frames of a layout, in one place for the frame encoder and the transcode
 * baseline: RGB and 8-bit 4:2:0 planes become 8-bit 4:2:0 H.264 (x264Args); deeper planes keep
 * their format in HEVC (hevcArgs).
 */
export function videoCodecArgs(format: 'rgb24' | YuvFormat, preset: X264Preset, crf: number, threads?: number): string[] {
  return format === 'rgb24' || format === 'yuv420p' ? x264Args(preset, crf, threads) : hevcArgs(preset, crf, threads, format);
}

/**
 * libx265 settings for planes deeper than 8 bits (`pixFmt`, kept as it is: HEVC Main 10 for 10-bit
 * 4:2:0, the RExt profiles for 4:2:2, 4:4:4 and 12 bits) at the same preset name and CRF number as
 * x264 (with X265_TUNING), tagged hvc1 (Apple's players refuse HEVC tagged hev1). CRF 0 (x264's
 * lossless) is x265's lossless mode.
 */
function hevcArgs(preset: X264Preset, crf: number, threads: number | undefined, pixFmt: YuvFormat): string[] {
  if (!X264_PRESETS.includes(preset)) throw new Error(`unknown x264 preset "${preset}"`);
  const params = crf === 0 ? 'log-level=error:lossless=1' : `log-level=error:${X265_TUNING}`;
  const a = ['-c:v', 'libx265', '-preset', preset, ...(crf === 0 ? [] : ['-crf', String(crf)]), '-pix_fmt', pixFmt, '-x265-params', params, '-tag:v', 'hvc1'];
  if (threads) a.push('-threads', String(threads));
  return a;
}

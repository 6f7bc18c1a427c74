/**
 * Planar YUV frames and the colour conversions the renderer needs on one region of such a frame:
 * 8-bit 4:2:0 (yuv420p, as H.264 stores nearly all video), and 10- or 12-bit 4:2:0, 4:2:2 and 4:4:4
 * (HDR phone footage, 10-bit cameras, ProRes and DNxHR masters). A deeper frame's bytes hold 16-bit
 * little-endian samples; the region's RGB is on one 0–255 scale at every depth, so the renderer does
 * not see the difference, and only the edit is quantised to the frame's own depth.
 *
 * Why: generation changes only the lower face. Converting every whole frame to RGB for the render
 * and back to YUV for the encoder cost more at 1080p than the edit itself (two full-frame swscale
 * passes, twice the pipe bytes). In YUV the decoded planes go to the encoder untouched, so every
 * sample outside the edit is the decoded input's by construction, and only the edited region is
 * converted.
 *
 * Conversions follow the stream's matrix (BT.601/709/2020, FCC, SMPTE 240M; untagged = BT.601, as
 * ffmpeg's scaler assumes) and range (tv 16–235/240 or pc 0–255, scaled to the depth). Subsampled
 * chroma is interpolated as if each sample sat at the centre of its luma pixels (2×2 in 4:2:0, 2×1
 * in 4:2:2), as ffmpeg 4.1's scaler does: the source mouths are cut from ffmpeg's RGB decode, and the
 * two must agree (measured: mean difference 0.7 levels on a blurred test pattern, 1.9 with H.264's
 * left siting; both about 0.3 on real footage).
 */
import { scaleMatrix, type ColorInfo } from './encode-args.js';
import type { VideoFrame, YuvFormat, YuvFrame, YuvMatrix } from './types.js';

export type { YuvFormat, YuvFrame, YuvMatrix };

/** Chroma subsampling (shift of x and y) and bits per sample of each planar format. */
const FORMATS: Record<YuvFormat, { sx: 0 | 1; sy: 0 | 1; depth: 8 | 10 | 12 }> = {
  yuv420p: { sx: 1, sy: 1, depth: 8 },
  yuv420p10le: { sx: 1, sy: 1, depth: 10 },
  yuv422p10le: { sx: 1, sy: 0, depth: 10 },
  yuv444p10le: { sx: 0, sy: 0, depth: 10 },
  yuv420p12le: { sx: 1, sy: 1, depth: 12 },
  yuv422p12le: { sx: 1, sy: 0, depth: 12 },
  yuv444p12le: { sx: 0, sy: 0, depth: 12 },
};

/** Bits per sample of a planar format. */
export function yuvDepth(format: YuvFormat): 8 | 10 | 12 {
  return FORMATS[format].depth;
}

/**
 * The planar formats the pipeline renders on directly. The others take the RGB path: 8-bit 4:2:2
 * and 4:4:4 among them, which would need H.264's 4:2:2/4:4:4 profiles (few players) to be kept.
 */
export function isPlanarYuv(pixelFormat: string | undefined): pixelFormat is YuvFormat {
  return pixelFormat !== undefined && Object.hasOwn(FORMATS, pixelFormat);
}

/** Whether a decoded frame is planar YUV (else packed RGB). */
export function isYuvFrame(f: VideoFrame): f is YuvFrame {
  return f.format !== undefined && f.format !== 'rgb24';
}

/** A frame's samples: its bytes, or for deeper formats their 16-bit view (the buffer is not copied). */
export function yuvSamples(data: Uint8Array, format: YuvFormat): Uint8Array | Uint16Array {
  if (FORMATS[format].depth === 8) return data;
  if (data.byteOffset % 2) throw new RangeError('a 16-bit frame buffer must start on an even byte');
  return new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
}

/** Where the planes of a frame lie, in samples. */
export interface YuvLayout {
  /** Chroma plane width and height. */
  cw: number;
  ch: number;
  uOffset: number;
  vOffset: number;
  /** Samples of the whole frame. */
  samples: number;
  /** Chroma subsampling shifts: a chroma sample covers 2^sx × 2^sy luma pixels. */
  sx: 0 | 1;
  sy: 0 | 1;
}

export function yuvLayout(format: YuvFormat, width: number, height: number): YuvLayout {
  const { sx, sy } = FORMATS[format];
  const cw = (width + sx) >> sx;
  const ch = (height + sy) >> sy;
  const uOffset = width * height;
  const vOffset = uOffset + cw * ch;
  return { cw, ch, uOffset, vOffset, samples: vOffset + cw * ch, sx, sy };
}

/** The 8-bit 4:2:0 layout, its size in bytes (= samples). */
export type Yuv420Layout = Pick<YuvLayout, 'cw' | 'ch' | 'uOffset' | 'vOffset'> & { bytes: number };

/** The 4:2:0 layout (8-bit: bytes = samples). */
export function yuv420Layout(width: number, height: number): Yuv420Layout {
  const { cw, ch, uOffset, vOffset, samples } = yuvLayout('yuv420p', width, height);
  return { cw, ch, uOffset, vOffset, bytes: samples };
}

/** Bytes of one packed frame: rgb24, or planes (two bytes a sample above 8 bits). */
export function frameBytes(format: 'rgb24' | YuvFormat, width: number, height: number): number {
  if (format === 'rgb24') return width * height * 3;
  return yuvLayout(format, width, height).samples * (FORMATS[format].depth > 8 ? 2 : 1);
}

const KR_KB: Record<string, [number, number]> = {
  bt601: [0.299, 0.114],
  bt709: [0.2126, 0.0722],
  fcc: [0.3, 0.11],
  smpte240m: [0.212, 0.087],
  bt2020: [0.2627, 0.0593],
};

/** The matrix a stream's colour tags describe (what decode-video.ts's RGB conversion also uses). */
export function yuvMatrix(c: ColorInfo | undefined): YuvMatrix {
  const [kr, kb] = KR_KB[scaleMatrix(c?.colorSpace)];
  return { kr, kb, full: c?.colorRange === 'pc' };
}

/**
 * Per-range and depth scale and offset: luma code = yOff + yScale · value (value 0..255), chroma
 * code = cMid + cScale · value (value −127.5..127.5); codes run 0..max. Limited range is the 8-bit
 * codes times 2^(depth−8) (64–940 luma, 64–960 chroma at 10 bits); full range spans 0..2^depth−1.
 */
function rangeOf(m: YuvMatrix, depth: 8 | 10 | 12): { yScale: number; yOff: number; cScale: number; cMid: number; max: number } {
  const max = (1 << depth) - 1;
  const q = 1 << (depth - 8);
  if (m.full) return { yScale: max / 255, yOff: 0, cScale: max / 255, cMid: 1 << (depth - 1), max };
  return { yScale: (219 / 255) * q, yOff: 16 * q, cScale: (224 / 255) * q, cMid: 128 * q, max };
}

/**
 * RGB of a region [x, y, w, h] (inside the frame), 3 floats per pixel, not rounded or clamped: Y of
 * the result converted back is the frame's luma exactly, so an unchanged pixel blends back to itself.
 * Chroma is interpolated bilinearly between its sample positions. `out` (3 floats per region
 * pixel) is filled when given, so a per-frame caller can reuse one buffer.
 */
export function yuvRegionToRgb(f: YuvFrame, region: readonly [number, number, number, number], out?: Float32Array): Float32Array {
  const [rx, ry, rw, rh] = region;
  const { width: W } = f;
  const data = yuvSamples(f.data, f.format);
  const { cw, ch, uOffset, vOffset, sx, sy } = yuvLayout(f.format, f.width, f.height);
  const { kr, kb } = f.matrix;
  const kg = 1 - kr - kb;
  const { yScale, yOff, cScale, cMid } = rangeOf(f.matrix, yuvDepth(f.format));
  if (!out) out = new Float32Array(rw * rh * 3);
  else if (out.length !== rw * rh * 3) throw new RangeError(`yuvRegionToRgb: out holds ${out.length} floats, the region needs ${rw * rh * 3}`);
  // per column: chroma sample pair and weight (subsampled: samples centred on their luma pixels)
  const cx0 = new Int32Array(rw), cx1 = new Int32Array(rw);
  const fx = new Float32Array(rw);
  for (let x = 0; x < rw; x++) {
    const p = sx ? Math.max(0, (rx + x - 0.5) / 2) : rx + x;
    const a = Math.min(cw - 1, Math.floor(p));
    cx0[x] = a;
    cx1[x] = Math.min(cw - 1, a + 1);
    fx[x] = p - Math.floor(p);
  }
  regionToRgbRows(data, W, rx, ry, rw, rh, cw, ch, sy, uOffset, vOffset, kr, kb, kg, yScale, yOff, cScale, cMid, cx0, cx1, fx, out);
  return out;
}

/*
 * The pixel loops of the two region functions are functions of their own that take only typed
 * arrays and numbers: a frame object of a shape V8 has not seen then costs a recompile of the
 * small outer function, not the rest of the loop in the interpreter (see synthesis/render.ts).
 */

function regionToRgbRows(data: Uint8Array | Uint16Array, W: number, rx: number, ry: number, rw: number, rh: number, cw: number, ch: number, sy: number, uOffset: number, vOffset: number, kr: number, kb: number, kg: number, yScale: number, yOff: number, cScale: number, cMid: number, cx0: Int32Array, cx1: Int32Array, fx: Float32Array, out: Float32Array): void {
  for (let y = 0; y < rh; y++) {
    const p = sy ? Math.max(0, (ry + y - 0.5) / 2) : ry + y;
    const r0 = Math.min(ch - 1, Math.floor(p));
    const r1 = Math.min(ch - 1, r0 + 1);
    const fy = p - Math.floor(p);
    const yo = (ry + y) * W + rx;
    for (let x = 0; x < rw; x++) {
      const a = fx[x];
      const i00 = r0 * cw + cx0[x], i01 = r0 * cw + cx1[x], i10 = r1 * cw + cx0[x], i11 = r1 * cw + cx1[x];
      const u = (1 - fy) * ((1 - a) * data[uOffset + i00] + a * data[uOffset + i01]) + fy * ((1 - a) * data[uOffset + i10] + a * data[uOffset + i11]);
      const v = (1 - fy) * ((1 - a) * data[vOffset + i00] + a * data[vOffset + i01]) + fy * ((1 - a) * data[vOffset + i10] + a * data[vOffset + i11]);
      const luma = (data[yo + x] - yOff) / yScale;
      const pb = (u - cMid) / cScale;
      const pr = (v - cMid) / cScale;
      const r = luma + 2 * (1 - kr) * pr;
      const b = luma + 2 * (1 - kb) * pb;
      const o = (y * rw + x) * 3;
      out[o] = r;
      out[o + 1] = (luma - kr * r - kb * b) / kg;
      out[o + 2] = b;
    }
  }
}

/** The region as a packed rgb24 patch (rounded and clamped), for code that samples pixels. */
export function yuvRegionToRgb8(f: YuvFrame, region: readonly [number, number, number, number]): Uint8Array {
  const rgb = yuvRegionToRgb(f, region);
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = rgb[i] < 0 ? 0 : rgb[i] > 255 ? 255 : Math.round(rgb[i]);
  return out;
}

/**
 * Blends new colour into a region of the frame, in place: each pixel moves from its own value
 * towards `rgb` by `alpha` (0..1; 3 floats of rgb and one alpha per region pixel). Blending in YUV
 * is the same as blending in RGB, since the conversion is affine. A chroma sample moves by the mean
 * of its (up to) four pixels' pulls, so a 2×2 block with no pixel of alpha > 0 keeps its exact bytes.
 * Returns the number of luma pixels written.
 */
export function blendRgbIntoYuv(f: YuvFrame, region: readonly [number, number, number, number], rgb: Float32Array, alpha: Float32Array): number {
  const [rx, ry, rw, rh] = region;
  const { width: W, height: H } = f;
  const data = yuvSamples(f.data, f.format);
  const { cw, uOffset, vOffset, sx, sy } = yuvLayout(f.format, W, H);
  const { kr, kb } = f.matrix;
  const kg = 1 - kr - kb;
  const { yScale, yOff, cScale, cMid, max } = rangeOf(f.matrix, yuvDepth(f.format));
  // chroma blocks (the luma pixels of one chroma sample) the region touches, and the summed pull on each
  const bx0 = rx >> sx, by0 = ry >> sy;
  const bw = ((rx + rw - 1) >> sx) - bx0 + 1, bh = ((ry + rh - 1) >> sy) - by0 + 1;
  const du = new Float32Array(bw * bh), dv = new Float32Array(bw * bh);
  const touched = new Uint8Array(bw * bh);
  const changed = blendLuma(data, W, rx, ry, rw, rh, cw, sx, sy, uOffset, vOffset, kr, kb, kg, yScale, yOff, cScale, cMid, max, bx0, by0, bw, rgb, alpha, du, dv, touched);
  blendChroma(data, W, H, cw, sx, sy, uOffset, vOffset, max, bx0, by0, bw, bh, du, dv, touched);
  return changed;
}

/** Luma written in place; each chroma block's summed pull gathered in du/dv (see blendRgbIntoYuv). */
function blendLuma(data: Uint8Array | Uint16Array, W: number, rx: number, ry: number, rw: number, rh: number, cw: number, sx: number, sy: number, uOffset: number, vOffset: number, kr: number, kb: number, kg: number, yScale: number, yOff: number, cScale: number, cMid: number, max: number, bx0: number, by0: number, bw: number, rgb: Float32Array, alpha: Float32Array, du: Float32Array, dv: Float32Array, touched: Uint8Array): number {
  let changed = 0;
  for (let y = 0; y < rh; y++) {
    const yy = ry + y;
    const brow = ((yy >> sy) - by0) * bw;
    const crow = (yy >> sy) * cw;
    for (let x = 0; x < rw; x++) {
      const i = y * rw + x;
      const a = alpha[i];
      if (!(a > 0)) continue;
      const r = rgb[i * 3], g = rgb[i * 3 + 1], b = rgb[i * 3 + 2];
      const luma = kr * r + kg * g + kb * b;
      const yi = yy * W + rx + x;
      const yNew = data[yi] + a * (yOff + yScale * luma - data[yi]);
      data[yi] = yNew < 0 ? 0 : yNew > max ? max : Math.round(yNew);
      const xx = rx + x;
      const k = brow + ((xx >> sx) - bx0);
      const ci = crow + (xx >> sx);
      const u = cMid + (cScale * (b - luma)) / (2 * (1 - kb));
      const v = cMid + (cScale * (r - luma)) / (2 * (1 - kr));
      du[k] += a * (u - data[uOffset + ci]);
      dv[k] += a * (v - data[vOffset + ci]);
      touched[k] = 1;
      changed++;
    }
  }
  return changed;
}

/** Each touched chroma sample moves by the mean pull of its block's pixels. */
function blendChroma(data: Uint8Array | Uint16Array, W: number, H: number, cw: number, sx: number, sy: number, uOffset: number, vOffset: number, max: number, bx0: number, by0: number, bw: number, bh: number, du: Float32Array, dv: Float32Array, touched: Uint8Array): void {
  for (let by = 0; by < bh; by++) {
    const cy = by0 + by;
    // luma pixels in this block (fewer on the last row/column of an odd-sized frame)
    const rows = Math.min(1 << sy, H - (cy << sy));
    for (let bx = 0; bx < bw; bx++) {
      const k = by * bw + bx;
      if (!touched[k]) continue;
      const cx = bx0 + bx;
      const n = rows * Math.min(1 << sx, W - (cx << sx));
      const ci = cy * cw + cx;
      const u = data[uOffset + ci] + du[k] / n;
      const v = data[vOffset + ci] + dv[k] / n;
      data[uOffset + ci] = u < 0 ? 0 : u > max ? max : Math.round(u);
      data[vOffset + ci] = v < 0 ? 0 : v > max ? max : Math.round(v);
    }
  }
}

/**
 * A copy of a planar frame grown to even width/height by repeating its last column and row (in each
 * plane that grows: subsampled chroma planes already cover ⌈w/2⌉ and keep their size), written
 * into `out` when given (the even size's byte count).
 */
export function padYuvToEven(data: Uint8Array, width: number, height: number, out?: Uint8Array, format: YuvFormat = 'yuv420p'): Uint8Array {
  const ow = width + (width % 2);
  const oh = height + (height % 2);
  out ??= new Uint8Array(frameBytes(format, ow, oh));
  if (ow === width && oh === height) {
    out.set(data);
    return out;
  }
  const from = yuvSamples(data, format);
  const to = yuvSamples(out, format);
  const src = yuvLayout(format, width, height);
  const dst = yuvLayout(format, ow, oh);
  padPlane(from, 0, width, height, to, 0, ow, oh);
  padPlane(from, src.uOffset, src.cw, src.ch, to, dst.uOffset, dst.cw, dst.ch);
  padPlane(from, src.vOffset, src.cw, src.ch, to, dst.vOffset, dst.cw, dst.ch);
  return out;
}

/** One plane (w × h at `a`) into a plane at least as large (ow × oh at `b`), edges repeated. */
function padPlane(from: Uint8Array | Uint16Array, a: number, w: number, h: number, to: Uint8Array | Uint16Array, b: number, ow: number, oh: number): void {
  for (let y = 0; y < oh; y++) {
    const so = a + Math.min(y, h - 1) * w;
    const row = b + y * ow;
    to.set(from.subarray(so, so + w), row);
    for (let x = w; x < ow; x++) to[row + x] = from[so + w - 1];
  }
}

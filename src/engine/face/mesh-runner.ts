/**
 * Runs the face models on one RGB frame inside a worker: the blazeface detector on a downscaled
 * copy of the frame (only at shot starts, when a track is lost, and periodically), and the mesh
 * model on a rotated crop around each tracked face taken from the native-resolution frame.
 * Cropping ourselves (instead of Human's detect() with its frame-diff cache) keeps per-frame cost
 * at one mesh inference (~15 ms; ~50 ms for the attention mesh) plus a 192x192 resample.
 */
import { ATTENTION_LIPS, LM } from './landmarks.js';
import type { HumanInstance, MeshModel } from './human-loader.js';

export const MESH_INPUT = 192;

/** Square region of interest, rotated by `angle` (radians, face roll) around its centre. */
export interface Roi {
  cx: number;
  cy: number;
  size: number;
  angle: number;
}

export interface FrameView {
  width: number;
  height: number;
  /** Packed rgb24. */
  data: Uint8Array;
}

export interface MeshResult {
  /** Flat x,y,z in frame pixels (z scaled like x). */
  mesh: Float32Array;
  /** Mesh confidence 0..1 from the model's face flag. */
  score: number;
  roi: Roi;
}

export interface Detection {
  /** [x, y, w, h] of the detector's (enlarged, square) box in frame pixels. */
  box: [number, number, number, number];
  score: number;
  /** The ROI the mesh should be run on. */
  roi: Roi;
}

/** Bilinear, rotated resample of the ROI into a normalised float tensor buffer (0..1, HWC). */
export function sampleRoi(frame: FrameView, roi: Roi, out: Float32Array, n = MESH_INPUT): void {
  const { width: w, height: h, data } = frame;
  const cos = Math.cos(roi.angle);
  const sin = Math.sin(roi.angle);
  const step = roi.size / n;
  // Fast path when the rotated square lies inside the frame with a pixel to spare (the usual
  // case): no bounds checks per sample.
  const reach = (roi.size / 2) * (Math.abs(cos) + Math.abs(sin)) + 2;
  if (roi.cx - reach >= 0 && roi.cy - reach >= 0 && roi.cx + reach < w && roi.cy + reach < h) {
    sampleInside(data, w, roi, cos, sin, step, out, n);
    return;
  }
  let o = 0;
  for (let v = 0; v < n; v++) {
    const ly = (v + 0.5) * step - roi.size / 2;
    for (let u = 0; u < n; u++) {
      const lx = (u + 0.5) * step - roi.size / 2;
      const x = roi.cx + cos * lx - sin * ly - 0.5;
      const y = roi.cy + sin * lx + cos * ly - 0.5;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      // outside the frame reads as black, like the zero padding Human's cropAndResize uses
      const xa = x0 < 0 || x0 >= w ? -1 : x0;
      const xb = x0 + 1 < 0 || x0 + 1 >= w ? -1 : x0 + 1;
      const ya = y0 < 0 || y0 >= h ? -1 : y0;
      const yb = y0 + 1 < 0 || y0 + 1 >= h ? -1 : y0 + 1;
      for (let c = 0; c < 3; c++) {
        const p00 = xa >= 0 && ya >= 0 ? data[(ya * w + xa) * 3 + c] : 0;
        const p10 = xb >= 0 && ya >= 0 ? data[(ya * w + xb) * 3 + c] : 0;
        const p01 = xa >= 0 && yb >= 0 ? data[(yb * w + xa) * 3 + c] : 0;
        const p11 = xb >= 0 && yb >= 0 ? data[(yb * w + xb) * 3 + c] : 0;
        const top = p00 + (p10 - p00) * fx;
        const bot = p01 + (p11 - p01) * fx;
        out[o++] = (top + (bot - top) * fy) / 255;
      }
    }
  }
}

function sampleInside(data: Uint8Array, w: number, roi: Roi, cos: number, sin: number, step: number, out: Float32Array, n: number): void {
  const half = roi.size / 2;
  const k = 1 / 255;
  let o = 0;
  for (let v = 0; v < n; v++) {
    const ly = (v + 0.5) * step - half;
    // position of u = 0, advanced by (cos, sin)·step per sample along the row
    let x = roi.cx + cos * (0.5 * step - half) - sin * ly - 0.5;
    let y = roi.cy + sin * (0.5 * step - half) + cos * ly - 0.5;
    const dx = cos * step, dy = sin * step;
    for (let u = 0; u < n; u++, x += dx, y += dy) {
      const x0 = Math.floor(x), y0 = Math.floor(y);
      const fx = x - x0, fy = y - y0;
      const i00 = (y0 * w + x0) * 3;
      const i01 = i00 + w * 3;
      for (let c = 0; c < 3; c++) {
        const p00 = data[i00 + c], p10 = data[i00 + 3 + c];
        const p01 = data[i01 + c], p11 = data[i01 + 3 + c];
        const top = p00 + (p10 - p00) * fx;
        const bot = p01 + (p11 - p01) * fx;
        out[o++] = (top + (bot - top) * fy) * k;
      }
    }
  }
}

/** Area-average downscale of an RGB frame by an integer factor (cheap input for the detector). */
export function downscale(frame: FrameView, factor: number): FrameView {
  if (factor <= 1) return frame;
  const w = Math.floor(frame.width / factor);
  const h = Math.floor(frame.height / factor);
  const out = new Uint8Array(w * h * 3);
  const src = frame.data;
  const sw = frame.width;
  const area = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < factor; dy++) {
        let i = ((y * factor + dy) * sw + x * factor) * 3;
        for (let dx = 0; dx < factor; dx++, i += 3) {
          r += src[i];
          g += src[i + 1];
          b += src[i + 2];
        }
      }
      const o = (y * w + x) * 3;
      out[o] = r / area;
      out[o + 1] = g / area;
      out[o + 2] = b / area;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Pad bottom/right to a square with black: blazeface sees a square input, and Human's own
 * `square` padding mis-maps boxes back (its unpadding is marked TODO and shifts boxes up).
 */
export function padSquare(frame: FrameView): FrameView {
  const side = Math.max(frame.width, frame.height);
  if (frame.width === side && frame.height === side) return frame;
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < frame.height; y++) out.set(frame.data.subarray(y * frame.width * 3, (y + 1) * frame.width * 3), y * side * 3);
  return { width: side, height: side, data: out };
}

/** The ROI MediaPipe uses for tracking: the landmarks' extent, squared, scaled 1.5, rotated by the eye line. */
export function roiFromMesh(mesh: ArrayLike<number>): Roi {
  const n = Math.min(468, mesh.length / 3);
  const rx = mesh[LM.rightEyeOuter * 3], ry = mesh[LM.rightEyeOuter * 3 + 1];
  const lx = mesh[LM.leftEyeOuter * 3], ly = mesh[LM.leftEyeOuter * 3 + 1];
  const angle = Math.atan2(ly - ry, lx - rx);
  // extent in the face-aligned frame so a tilted head does not inflate the box
  const cos = Math.cos(-angle), sin = Math.sin(-angle);
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = mesh[i * 3], y = mesh[i * 3 + 1];
    const u = cos * x - sin * y;
    const v = sin * x + cos * y;
    if (u < minU) minU = u;
    if (u > maxU) maxU = u;
    if (v < minV) minV = v;
    if (v > maxV) maxV = v;
  }
  const cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
  // back to frame coordinates
  const cx = Math.cos(angle) * cu - Math.sin(angle) * cv;
  const cy = Math.sin(angle) * cu + Math.cos(angle) * cv;
  return { cx, cy, size: 1.5 * Math.max(maxU - minU, maxV - minV), angle };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export class MeshRunner {
  private readonly input = new Float32Array(MESH_INPUT * MESH_INPUT * 3);
  constructor(private readonly human: HumanInstance, readonly meshModel: MeshModel) {}

  private get model(): any {
    return this.human.models.models?.facemesh ?? this.human.models.facemesh;
  }

  /** One mesh inference on the ROI; mesh in frame pixels. */
  async mesh(frame: FrameView, roi: Roi): Promise<MeshResult> {
    const tf = this.human.tf;
    sampleRoi(frame, roi, this.input);
    const t = tf.tensor4d(this.input, [1, MESH_INPUT, MESH_INPUT, 3], 'float32');
    const outs = this.model.execute(t) as any[];
    t.dispose();
    try {
      const flagT = outs.find((o) => o.shape[o.shape.length - 1] === 1);
      const meshT = outs.find((o) => o.size === 1404);
      let flag = (await flagT.data())[0] as number;
      if (flag < 0 || flag > 1) flag = sigmoid(flag);
      const raw = (await meshT.data()) as Float32Array;
      const pts = new Float32Array(this.meshModel === 'attention' ? 478 * 3 : 468 * 3);
      pts.set(raw.subarray(0, 1404));
      if (this.meshModel === 'attention') {
        // refined lips replace the base mesh's lip points (x,y only; z stays from the base mesh)
        const lips = outs.find((o) => o.size === 160);
        if (lips) {
          const l = (await lips.data()) as Float32Array;
          for (let i = 0; i < ATTENTION_LIPS.length; i++) {
            pts[ATTENTION_LIPS[i] * 3] = l[2 * i];
            pts[ATTENTION_LIPS[i] * 3 + 1] = l[2 * i + 1];
          }
        }
        // iris centres + 4 points each, at the mean eye depth
        const irises = outs.filter((o) => o.size === 10);
        let k = 468;
        for (const ir of irises.slice(0, 2)) {
          const d = (await ir.data()) as Float32Array;
          for (let i = 0; i < 5; i++, k++) {
            pts[k * 3] = d[2 * i];
            pts[k * 3 + 1] = d[2 * i + 1];
            pts[k * 3 + 2] = pts[(k < 473 ? LM.rightEyeOuter : LM.leftEyeOuter) * 3 + 2];
          }
        }
      }
      // crop pixels -> frame pixels
      const s = roi.size / MESH_INPUT;
      const cos = Math.cos(roi.angle), sin = Math.sin(roi.angle);
      for (let i = 0; i < pts.length; i += 3) {
        const lx = (pts[i] - MESH_INPUT / 2) * s;
        const ly = (pts[i + 1] - MESH_INPUT / 2) * s;
        pts[i] = roi.cx + cos * lx - sin * ly;
        pts[i + 1] = roi.cy + sin * lx + cos * ly;
        pts[i + 2] = pts[i + 2] * s;
      }
      return { mesh: pts, score: flag, roi };
    } finally {
      for (const o of outs) o.dispose();
    }
  }

  /**
   * Face detection on the whole frame (downscaled so the long side is ~640 px: blazeface sees a
   * 256x256 square anyway). Boxes come back in native frame pixels.
   */
  async detect(frame: FrameView): Promise<Detection[]> {
    const tf = this.human.tf;
    const factor = Math.max(1, Math.floor(Math.max(frame.width, frame.height) / 640));
    const small = padSquare(downscale(frame, factor));
    const t = tf.tensor3d(small.data, [small.height, small.width, 3], 'int32');
    let res: any;
    try {
      res = await this.human.detect(t, { face: { mesh: { enabled: false }, attention: { enabled: false } } });
    } finally {
      t.dispose();
    }
    const out: Detection[] = [];
    for (const f of res.face ?? []) {
      const [x, y, w, h] = f.box as number[];
      const box: [number, number, number, number] = [x * factor, y * factor, w * factor, h * factor];
      // detector keypoints: 0 right eye, 1 left eye (image left/right), 2 nose, 3 mouth
      const kp = f.mesh as number[][];
      let angle = 0;
      if (kp?.length >= 2) angle = Math.atan2(kp[1][1] - kp[0][1], kp[1][0] - kp[0][0]);
      const size = Math.max(w, h) * factor;
      out.push({ box, score: f.boxScore ?? f.score ?? 0, roi: { cx: (x + w / 2) * factor, cy: (y + h / 2) * factor, size: size * 1.1, angle } });
    }
    return out;
  }
}

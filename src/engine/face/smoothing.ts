/**
 * Whole-shot, zero-phase smoothing of face meshes.
 *
 * Each frame's mesh is split into head motion and face deformation: a 2D similarity transform
 * (translation, scale, rotation) aligns the rigid points (forehead, nose bridge, eye corners,
 * temples) to the segment's mean shape. Then
 * - the head pose (tx, ty, log-scale, angle) is smoothed lightly, so real head motion is kept;
 * - the aligned, head-free coordinates are smoothed per point with a strength that depends on the
 *   point: rigid points strongly (they should not move relative to the skull at all), jaw
 *   moderately, lips lightly (they carry the speech);
 * - the mesh is rebuilt from smoothed pose x smoothed shape.
 * Every filter is symmetric (a Savitzky-Golay or Gaussian kernel applied over past and future
 * frames), so there is no lag. Segment ends use odd reflection (2·x0 - x[k]) so a ramp continues
 * straight to the end instead of bending toward a constant.
 */
import { JAW_POINTS, LIP_POINTS, RIGID_POINTS } from './landmarks.js';

export interface SmoothingParams {
  /** Gaussian sigma (frames) for rigid points in the head frame. */
  rigidSigma: number;
  /** Gaussian sigma for the remaining face points. */
  faceSigma: number;
  /** Savitzky-Golay half-window for jaw points (quadratic fit). */
  jawHalf: number;
  /** Savitzky-Golay half-window for lip points (quadratic fit: keeps peaks). */
  lipHalf: number;
  /** Savitzky-Golay half-window for the head pose. */
  poseHalf: number;
}

// rigidSigma 6 (was 3): rigid points do not deform, so stronger smoothing of their head-aligned shape
// costs nothing; it took smoothed jitter from 0.50-0.57 to 0.34-0.46 of raw on five shared clips
// where 3 left it above half, with the lip curves unchanged (correlation and peak ratio identical).
export const DEFAULT_SMOOTHING: SmoothingParams = { rigidSigma: 6, faceSigma: 1.5, jawHalf: 3, lipHalf: 2, poseHalf: 2 };

export const SMOOTHING_METHOD = 'head-aligned zero-phase (similarity-aligned shape: gaussian rigid/face, savitzky-golay jaw/lips; savitzky-golay pose)';

/** Symmetric kernel filter with odd-reflection padding: zero phase, no end bending on ramps. */
export function filterSymmetric(x: ArrayLike<number>, kernel: number[]): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const h = (kernel.length - 1) / 2;
  if (n === 0) return out;
  const at = (i: number): number => {
    if (n === 1) return x[0];
    if (i < 0) return 2 * x[0] - x[Math.min(n - 1, -i)];
    if (i >= n) return 2 * x[n - 1] - x[Math.max(0, 2 * (n - 1) - i)];
    return x[i];
  };
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = -h; k <= h; k++) s += kernel[k + h] * at(i + k);
    out[i] = s;
  }
  return out;
}

export function gaussianKernel(sigma: number): number[] {
  if (sigma <= 0) return [1];
  const h = Math.ceil(3 * sigma);
  const k: number[] = [];
  let s = 0;
  for (let i = -h; i <= h; i++) {
    const v = Math.exp((-i * i) / (2 * sigma * sigma));
    k.push(v);
    s += v;
  }
  return k.map((v) => v / s);
}

/** Savitzky-Golay smoothing kernel, quadratic/cubic fit over 2·half+1 samples. */
export function savitzkyGolayKernel(half: number): number[] {
  if (half <= 0) return [1];
  const m = half;
  const norm = ((2 * m + 3) * (2 * m + 1) * (2 * m - 1)) / 3;
  const k: number[] = [];
  for (let i = -m; i <= m; i++) k.push((3 * m * (m + 1) - 1 - 5 * i * i) / norm);
  return k;
}

export interface Similarity {
  tx: number;
  ty: number;
  /** log of scale. */
  ls: number;
  angle: number;
}

/** Least-squares similarity mapping `src` points onto `dst` points (2D Procrustes / Umeyama). */
export function fitSimilarity(src: ArrayLike<number>, dst: ArrayLike<number>, idx: readonly number[]): Similarity {
  let sx = 0, sy = 0, dx = 0, dy = 0;
  const n = idx.length;
  for (const i of idx) {
    sx += src[i * 3];
    sy += src[i * 3 + 1];
    dx += dst[i * 3];
    dy += dst[i * 3 + 1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let a = 0, b = 0, ss = 0;
  for (const i of idx) {
    const px = src[i * 3] - sx, py = src[i * 3 + 1] - sy;
    const qx = dst[i * 3] - dx, qy = dst[i * 3 + 1] - dy;
    a += px * qx + py * qy;
    b += px * qy - py * qx;
    ss += px * px + py * py;
  }
  const scale = Math.hypot(a, b) / (ss || 1);
  const angle = Math.atan2(b, a);
  const c = scale * Math.cos(angle), s = scale * Math.sin(angle);
  return { tx: dx - (c * sx - s * sy), ty: dy - (s * sx + c * sy), ls: Math.log(scale || 1), angle };
}

export function applySimilarity(t: Similarity, x: number, y: number): [number, number] {
  const sc = Math.exp(t.ls);
  const c = sc * Math.cos(t.angle), s = sc * Math.sin(t.angle);
  return [c * x - s * y + t.tx, s * x + c * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const sc = Math.exp(-t.ls);
  const c = sc * Math.cos(-t.angle), s = sc * Math.sin(-t.angle);
  return { tx: -(c * t.tx - s * t.ty), ty: -(s * t.tx + c * t.ty), ls: -t.ls, angle: -t.angle };
}

/**
 * Smooth one contiguous run of meshes of one face (same point count). Returns new flat arrays.
 * Runs shorter than 3 frames are returned unchanged. Holds the whole run: for tests and callers
 * with the meshes in hand; the face stage streams (smoothMeshRunStreaming).
 */
export function smoothMeshRun(meshes: ArrayLike<number>[], params: SmoothingParams = DEFAULT_SMOOTHING): Float64Array[] {
  const out: Float64Array[] = [];
  smoothMeshRunStreaming(meshes.length, (t) => meshes[t], (_t, m) => out.push(Float64Array.from(m)), params);
  return out;
}

/**
 * The same smoothing, streamed: a run's meshes are read through `read` (three times each, in
 * order; the array it returns is only used until the next call) and every smoothed mesh goes to
 * `emit` in frame order (in a buffer the next call reuses). Every filter is a finite kernel, so
 * only the aligned shapes of a window of 2·h + 1 frames (h: the widest kernel's half, 18 frames
 * by default) are held, and a whole 10-minute shot costs what a short one does (a run held whole
 * took 17 KB a frame: 250 MB for 10 minutes of 25 fps). The arithmetic is that of
 * filterSymmetric in the same order, so the meshes are the same to the last bit.
 * `onRaw(t, mesh)` sees each mesh as it is read the last time, once its smoothing no longer needs it.
 */
export function smoothMeshRunStreaming<M extends ArrayLike<number>>(
  T: number,
  read: (t: number) => M,
  emit: (t: number, mesh: Float64Array) => void,
  params: SmoothingParams = DEFAULT_SMOOTHING,
  onRaw?: (t: number, mesh: M) => void,
): void {
  if (T === 0) return;
  if (T < 3) {
    for (let t = 0; t < T; t++) {
      const m = read(t);
      onRaw?.(t, m);
      emit(t, Float64Array.from(m));
    }
    return;
  }
  // reference shape: the mean of the shapes aligned to the run's middle frame (one refinement)
  const mid = Math.floor(T / 2);
  const middle = Float64Array.from(read(mid));
  const len = middle.length;
  const P = len / 3;
  const rigid = RIGID_POINTS.filter((i) => i < P);
  const ref = new Float64Array(len);
  const scratch = new Float64Array(len);
  {
    for (let t = 0; t < T; t++) {
      const m = t === mid ? middle : read(t); // the same values: the copy is exact
      transformMesh(invertSimilarity(fitSimilarity(middle, m, rigid)), m, scratch, P);
      for (let k = 0; k < len; k++) ref[k] += scratch[k] / T;
    }
  }
  // each frame's head pose (ref -> frame), as fitted (the shapes are aligned with these) and unwrapped
  const fitted: Similarity[] = [];
  for (let t = 0; t < T; t++) fitted.push(fitSimilarity(ref, read(t), rigid));
  const angle = new Float64Array(T);
  angle[0] = fitted[0].angle;
  // unwrap angles so smoothing does not cross the ±pi seam
  for (let t = 1; t < T; t++) {
    let a = fitted[t].angle;
    while (a - angle[t - 1] > Math.PI) a -= 2 * Math.PI;
    while (a - angle[t - 1] < -Math.PI) a += 2 * Math.PI;
    angle[t] = a;
  }
  const pk = savitzkyGolayKernel(Math.min(params.poseHalf, Math.floor((T - 1) / 2)));
  const sm = {
    tx: filterSymmetric(fitted.map((p) => p.tx), pk),
    ty: filterSymmetric(fitted.map((p) => p.ty), pk),
    ls: filterSymmetric(fitted.map((p) => p.ls), pk),
    angle: filterSymmetric(angle, pk),
  };
  const kinds = new Uint8Array(P); // 0 face, 1 rigid, 2 jaw, 3 lips
  for (const i of rigid) kinds[i] = 1;
  for (const i of JAW_POINTS) if (i < P) kinds[i] = 2;
  for (const i of LIP_POINTS) if (i < P) kinds[i] = 3;
  const kernels = [
    gaussianKernel(params.faceSigma),
    gaussianKernel(params.rigidSigma),
    savitzkyGolayKernel(Math.min(params.jawHalf, Math.floor((T - 1) / 2))),
    savitzkyGolayKernel(Math.min(params.lipHalf, Math.floor((T - 1) / 2))),
  ];
  // the aligned (head-free) shapes of frames t - h .. t + h, frame j in slot j % W
  const h = Math.max(...kernels.map((k) => (k.length - 1) / 2));
  const W = Math.min(T, 2 * h + 1);
  const window = Array.from({ length: W }, () => new Float64Array(len));
  // frame j's value of coordinate q as filterSymmetric reads it, with its odd reflection at the
  // run's ends (the window holds every frame a sum near an end reaches)
  const at = (j: number, q: number): number => {
    if (j < 0) return 2 * window[0][q] - window[Math.min(T - 1, -j) % W][q];
    if (j >= T) return 2 * window[(T - 1) % W][q] - window[Math.max(0, 2 * (T - 1) - j) % W][q];
    return window[j % W][q];
  };
  let loaded = 0;
  const out = new Float64Array(len);
  for (let t = 0; t < T; t++) {
    for (; loaded <= Math.min(T - 1, t + h); loaded++) {
      const m = read(loaded);
      transformMesh(invertSimilarity(fitted[loaded]), m, window[loaded % W], P);
      onRaw?.(loaded, m);
    }
    for (let i = 0; i < P; i++) {
      const kernel = kernels[kinds[i]];
      const hk = (kernel.length - 1) / 2;
      const inside = t - hk >= 0 && t + hk < T;
      for (let c = 0; c < 3; c++) {
        const q = i * 3 + c;
        let s = 0;
        if (inside) for (let k = -hk; k <= hk; k++) s += kernel[k + hk] * window[(t + k) % W][q];
        else for (let k = -hk; k <= hk; k++) s += kernel[k + hk] * at(t + k, q);
        out[q] = s;
      }
    }
    transformMesh({ tx: sm.tx[t], ty: sm.ty[t], ls: sm.ls[t], angle: sm.angle[t] }, out, out, P);
    emit(t, out);
  }
}

/** Applies a similarity to P mesh points (x, y by the transform, z by its scale); dst may be src. */
export function transformMesh(sim: Similarity, src: ArrayLike<number>, dst: Float64Array, P: number): Float64Array {
  const sc = Math.exp(sim.ls);
  for (let i = 0; i < P; i++) {
    const [x, y] = applySimilarity(sim, src[i * 3], src[i * 3 + 1]);
    dst[i * 3] = x;
    dst[i * 3 + 1] = y;
    dst[i * 3 + 2] = src[i * 3 + 2] * sc;
  }
  return dst;
}

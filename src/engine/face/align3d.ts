/**
 * Rigid 3D alignment with scale (Horn's closed form with unit quaternions): the rotation, scale and
 * translation that best map one set of mesh points onto another in least squares. The face mesh
 * has depth (z scaled like x), so a head turn — which a 2D similarity cannot undo, because the
 * projected shape itself changes — is removed as head motion, and what is left is the landmarks'
 * own frame-to-frame noise.
 */

export interface Similarity3 {
  /** Row-major 3x3 rotation. */
  r: number[];
  scale: number;
  t: [number, number, number];
}

/** Aligns src onto dst over the points `idx` (flat x,y,z arrays). */
export function fitSimilarity3(src: ArrayLike<number>, dst: ArrayLike<number>, idx: readonly number[]): Similarity3 {
  const n = idx.length;
  const cs = [0, 0, 0], cd = [0, 0, 0];
  for (const i of idx) for (let k = 0; k < 3; k++) {
    cs[k] += src[i * 3 + k] / n;
    cd[k] += dst[i * 3 + k] / n;
  }
  // cross-covariance M = Σ (src - cs)(dst - cd)^T
  const M = new Array(9).fill(0);
  let ss = 0;
  for (const i of idx) {
    const p = [src[i * 3] - cs[0], src[i * 3 + 1] - cs[1], src[i * 3 + 2] - cs[2]];
    const q = [dst[i * 3] - cd[0], dst[i * 3 + 1] - cd[1], dst[i * 3 + 2] - cd[2]];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) M[a * 3 + b] += p[a] * q[b];
    ss += p[0] * p[0] + p[1] * p[1] + p[2] * p[2];
  }
  const [Sxx, Sxy, Sxz, Syx, Syy, Syz, Szx, Szy, Szz] = M;
  const N = [
    [Sxx + Syy + Szz, Syz - Szy, Szx - Sxz, Sxy - Syx],
    [Syz - Szy, Sxx - Syy - Szz, Sxy + Syx, Szx + Sxz],
    [Szx - Sxz, Sxy + Syx, -Sxx + Syy - Szz, Syz + Szy],
    [Sxy - Syx, Szx + Sxz, Syz + Szy, -Sxx - Syy + Szz],
  ];
  // largest eigenvector of N by power iteration on N + c·I (c makes every eigenvalue positive)
  const c = Math.abs(Sxx) + Math.abs(Syy) + Math.abs(Szz) + Math.abs(Sxy) + Math.abs(Syx) + Math.abs(Sxz) + Math.abs(Szx) + Math.abs(Syz) + Math.abs(Szy) + 1e-9;
  let v = [1, 0, 0, 0];
  for (let it = 0; it < 100; it++) {
    const w = [0, 1, 2, 3].map((r) => N[r][0] * v[0] + N[r][1] * v[1] + N[r][2] * v[2] + N[r][3] * v[3] + c * v[r]);
    const norm = Math.hypot(w[0], w[1], w[2], w[3]) || 1;
    const next = w.map((x) => x / norm);
    const d = Math.abs(next[0] - v[0]) + Math.abs(next[1] - v[1]) + Math.abs(next[2] - v[2]) + Math.abs(next[3] - v[3]);
    v = next;
    if (d < 1e-12) break;
  }
  const [q0, qx, qy, qz] = v;
  const r = [
    q0 * q0 + qx * qx - qy * qy - qz * qz, 2 * (qx * qy - q0 * qz), 2 * (qx * qz + q0 * qy),
    2 * (qy * qx + q0 * qz), q0 * q0 - qx * qx + qy * qy - qz * qz, 2 * (qy * qz - q0 * qx),
    2 * (qz * qx - q0 * qy), 2 * (qz * qy + q0 * qx), q0 * q0 - qx * qx - qy * qy + qz * qz,
  ];
  // scale = Σ q·(R p) / Σ |p|²
  let dot = 0;
  for (const i of idx) {
    const p = [src[i * 3] - cs[0], src[i * 3 + 1] - cs[1], src[i * 3 + 2] - cs[2]];
    const q = [dst[i * 3] - cd[0], dst[i * 3 + 1] - cd[1], dst[i * 3 + 2] - cd[2]];
    for (let a = 0; a < 3; a++) dot += q[a] * (r[a * 3] * p[0] + r[a * 3 + 1] * p[1] + r[a * 3 + 2] * p[2]);
  }
  const scale = ss > 0 ? dot / ss : 1;
  const t: [number, number, number] = [0, 1, 2].map((a) => cd[a] - scale * (r[a * 3] * cs[0] + r[a * 3 + 1] * cs[1] + r[a * 3 + 2] * cs[2])) as [number, number, number];
  return { r, scale, t };
}

export function applySimilarity3(s: Similarity3, x: number, y: number, z: number): [number, number, number] {
  const { r, scale, t } = s;
  return [
    scale * (r[0] * x + r[1] * y + r[2] * z) + t[0],
    scale * (r[3] * x + r[4] * y + r[5] * z) + t[1],
    scale * (r[6] * x + r[7] * y + r[8] * z) + t[2],
  ];
}

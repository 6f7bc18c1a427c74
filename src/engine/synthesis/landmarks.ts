/**
 * MediaPipe face-mesh index sets used by the synthesis stage, and the face-aligned frame in which
 * mouths from different frames are compared (translation, rotation and scale removed).
 */

export const OUTER_LIP = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];
export const INNER_LIP = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95];
/** Upper half of the inner ring, corner to corner (78 … 308), and the lower half (308 … 78). */
export const INNER_UPPER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
export const INNER_LOWER = [308, 324, 318, 402, 317, 14, 87, 178, 88, 95, 78];
export const OUTER_UPPER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291];
export const OUTER_LOWER = [291, 375, 321, 405, 314, 17, 84, 181, 91, 146, 61];
export const LIPS = [...OUTER_LIP, ...INNER_LIP];

/** Face oval, clockwise from the forehead centre. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172,
  58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];

export const EYE_OUTER_RIGHT = 33;
export const EYE_OUTER_LEFT = 263;
export const NOSE_TIP = 1;
export const SUBNASALE = 2;
export const CHIN = 152;

/** Points that do not move when speaking (eye corners, nose bridge and tip): used to align two frames. */
export const STABLE = [33, 263, 133, 362, 168, 6, 197, 195, 5, 4, 1, 98, 327];

export type Point = [number, number];

export function pt(mesh: ArrayLike<number>, i: number): Point {
  return [mesh[i * 3], mesh[i * 3 + 1]];
}

/** Similarity transform x' = a*x - b*y + tx, y' = b*x + a*y + ty (complex multiply + shift). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function applySim(s: Similarity, x: number, y: number): Point {
  return [s.a * x - s.b * y + s.tx, s.b * x + s.a * y + s.ty];
}

export function invertSim(s: Similarity): Similarity {
  const d = s.a * s.a + s.b * s.b;
  const a = s.a / d;
  const b = -s.b / d;
  // x = inv(R)(x' - t)
  return { a, b, tx: -(a * s.tx - b * s.ty), ty: -(b * s.tx + a * s.ty) };
}

/** Least-squares similarity mapping points `from` onto `to` (closed form in complex numbers). */
export function fitSimilarity(from: Point[], to: Point[]): Similarity {
  const n = from.length;
  let fx = 0, fy = 0, tx = 0, ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i][0]; fy += from[i][1]; tx += to[i][0]; ty += to[i][1];
  }
  fx /= n; fy /= n; tx /= n; ty /= n;
  let re = 0, im = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const ax = from[i][0] - fx, ay = from[i][1] - fy;
    const bx = to[i][0] - tx, by = to[i][1] - ty;
    // (b) * conj(a)
    re += bx * ax + by * ay;
    im += by * ax - bx * ay;
    den += ax * ax + ay * ay;
  }
  const a = den > 0 ? re / den : 1;
  const b = den > 0 ? im / den : 0;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

/**
 * Maps image pixels into the face-aligned frame: origin between the outer eye corners, x along the
 * eye line, unit = eye distance, y pointing down the face.
 */
export function faceFrame(mesh: ArrayLike<number>): Similarity {
  const [rx, ry] = pt(mesh, EYE_OUTER_RIGHT);
  const [lx, ly] = pt(mesh, EYE_OUTER_LEFT);
  // image → aligned: send right-eye corner to (-0.5, 0) and left-eye corner to (0.5, 0)
  return fitSimilarity([[rx, ry], [lx, ly]], [[-0.5, 0], [0.5, 0]]);
}

/** Inter-ocular distance in pixels. */
export function eyeDistance(mesh: ArrayLike<number>): number {
  const [rx, ry] = pt(mesh, EYE_OUTER_RIGHT);
  const [lx, ly] = pt(mesh, EYE_OUTER_LEFT);
  return Math.hypot(lx - rx, ly - ry);
}

/** Lip points (outer ring then inner ring) in the face-aligned frame, flat. */
export function lipShape(mesh: ArrayLike<number>): number[] {
  const f = faceFrame(mesh);
  const out: number[] = [];
  for (const i of LIPS) {
    const [x, y] = applySim(f, mesh[i * 3], mesh[i * 3 + 1]);
    out.push(x, y);
  }
  return out;
}

/** Root-mean-square distance between two flat shapes of equal length. */
export function shapeDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / Math.max(1, a.length / 2));
}

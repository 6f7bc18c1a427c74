/**
 * Per-observation geometry from a mesh: eye distance, head pose, and the mouth measures
 * (lip gap, jaw, width, all divided by the eye distance), plus the visibility rules.
 */
import { LM, LIPS_LOWER_OUTER, LIPS_UPPER_OUTER } from './landmarks.js';
import type { MouthMeasures, Pose } from './types.js';

const p = (m: ArrayLike<number>, i: number): [number, number, number] => [m[i * 3], m[i * 3 + 1], m[i * 3 + 2]];
const dist2 = (a: number[], b: number[]): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

export function eyeDistance(mesh: ArrayLike<number>): number {
  return dist2(p(mesh, LM.rightEyeOuter), p(mesh, LM.leftEyeOuter));
}

export function lipGap(mesh: ArrayLike<number>): number {
  return dist2(p(mesh, LM.upperLipInner), p(mesh, LM.lowerLipInner)) / (eyeDistance(mesh) || 1);
}

/**
 * Head pose from the mesh's 3D axes: x along the eye corners, y forehead to chin, z their cross
 * product (facemesh z is in the same units as x and y). Yaw > 0: the face turns toward image
 * right. A 2D cue (nose tip between the cheek contour points) backs up yaw on near-profile faces,
 * where the model's depth tends to flatten.
 */
export function headPose(mesh: ArrayLike<number>): Pose {
  const r = p(mesh, LM.rightEyeOuter), l = p(mesh, LM.leftEyeOuter);
  const top = p(mesh, LM.foreheadTop), chin = p(mesh, LM.chin);
  const norm = (v: number[]): number[] => {
    const n = Math.hypot(v[0], v[1], v[2]) || 1;
    return [v[0] / n, v[1] / n, v[2] / n];
  };
  const x = norm([l[0] - r[0], l[1] - r[1], l[2] - r[2]]);
  let y = norm([chin[0] - top[0], chin[1] - top[1], chin[2] - top[2]]);
  const z = norm([x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]]);
  y = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]];
  const roll = Math.atan2(x[1], x[0]);
  // the side of the face turning away gets deeper (MediaPipe z grows away from the camera)
  const yaw3d = Math.asin(Math.max(-1, Math.min(1, x[2])));
  const pitch = Math.asin(Math.max(-1, Math.min(1, y[2])));
  // 2D cue: where the nose tip sits between the face contour's sides (234 right, 454 left)
  const nose = p(mesh, LM.noseTip), cr = p(mesh, 234), cl = p(mesh, 454);
  const dr = dist2(nose, cr), dl = dist2(nose, cl);
  // nose tip ~1 half-face-width in front of the contour points: asym ~ tan(yaw)
  const asym = (dr - dl) / (dr + dl || 1);
  const yaw2d = Math.atan(asym);
  // take the larger magnitude: both cues under-estimate rather than over-estimate turning
  const yaw = Math.abs(yaw2d) > Math.abs(yaw3d) ? yaw2d : yaw3d;
  return { yaw: round4(yaw), pitch: round4(pitch), roll: round4(roll) };
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

export interface VisibilityInputs {
  score: number;
  frameWidth: number;
  frameHeight: number;
  /** 0..1 occlusion evidence (0 = clean), from the appearance check. */
  occlusion?: number;
}

const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));

/** Yaw (radians) from which the mouth starts to hide, and where it counts as fully hidden. */
export const YAW_SOFT = 0.55;
export const YAW_HARD = 0.9;

export function mouthMeasures(mesh: ArrayLike<number>, pose: Pose, v: VisibilityInputs): MouthMeasures {
  const eye = eyeDistance(mesh) || 1;
  const gap = dist2(p(mesh, LM.upperLipInner), p(mesh, LM.lowerLipInner)) / eye;
  const jaw = dist2(p(mesh, LM.noseTip), p(mesh, LM.chin)) / eye;
  const width = dist2(p(mesh, LM.mouthCornerRight), p(mesh, LM.mouthCornerLeft)) / eye;
  const reasons: [number, string][] = [];
  reasons.push([clamp01((YAW_HARD - Math.abs(pose.yaw)) / (YAW_HARD - YAW_SOFT)), 'profile']);
  reasons.push([clamp01((v.score - 0.3) / 0.4), 'low-confidence']);
  const lip = [...LIPS_UPPER_OUTER, ...LIPS_LOWER_OUTER, LM.chin];
  let inside = 0;
  for (const i of lip) {
    const x = mesh[i * 3], y = mesh[i * 3 + 1];
    if (x >= 0 && y >= 0 && x < v.frameWidth && y < v.frameHeight) inside++;
  }
  reasons.push([clamp01((inside / lip.length - 0.6) / 0.4), 'out-of-frame']);
  if (v.occlusion !== undefined) reasons.push([clamp01(1 - v.occlusion), 'occluded']);
  reasons.sort((a, b) => a[0] - b[0]);
  const visibility = Math.round(reasons[0][0] * 1000) / 1000;
  const out: MouthMeasures = { lipGap: round4(gap), jaw: round4(jaw), width: round4(width), visibility };
  if (visibility < 0.5) out.hiddenReason = reasons[0][1];
  return out;
}

/**
 * Draws what the face stage saw onto a frame: boxes, lip contours, head pose, the shot cut
 * marker and the mouth-visibility flag. Used by `resync analyze --overlay` to check tracking by eye.
 */
import type { FrameAnalysis, TrackDocument, FaceObservation } from '../face/types.js';
import { drawRect, drawPolyline, drawText, drawLine, drawDot, fillRect, type Image, type Color } from './raster.js';

// MediaPipe face-mesh indices of the lip contours (same in the 468 and 478-point meshes).
const LIPS_OUTER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];
const LIPS_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95];
const FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109];
const NOSE_TIP = 1;

function points(mesh: ArrayLike<number>, idx: number[]): Array<[number, number]> {
  return idx.map((i) => [mesh[i * 3], mesh[i * 3 + 1]] as [number, number]);
}

function drawFace(img: Image, face: FaceObservation, selected: boolean, scale: number): void {
  const boxColor: Color = selected ? [40, 220, 90] : [160, 160, 160];
  const t = Math.max(2, Math.round(2 * scale));
  const [x, y, w, h] = face.box;
  drawRect(img, x, y, w, h, boxColor, t);
  const mesh = face.meshSmoothed ?? face.mesh;
  if (mesh.length >= 468 * 3) {
    drawPolyline(img, points(mesh, FACE_OVAL), [90, 140, 255], Math.max(1, Math.round(scale)), true);
    const visible = face.mouth.visibility >= 0.5;
    const lipColor: Color = visible ? [255, 60, 60] : [255, 200, 0];
    drawPolyline(img, points(mesh, LIPS_OUTER), lipColor, t, true);
    drawPolyline(img, points(mesh, LIPS_INNER), [255, 255, 255], Math.max(1, Math.round(scale)), true);
    // Pose: a line from the nose tip in the direction the head points (yaw/pitch).
    const nx = mesh[NOSE_TIP * 3];
    const ny = mesh[NOSE_TIP * 3 + 1];
    const len = w * 0.6;
    drawLine(img, nx, ny, nx + Math.sin(face.pose.yaw) * len, ny - Math.sin(face.pose.pitch) * len, [0, 230, 255], t);
    drawDot(img, nx, ny, t + 1, [0, 230, 255]);
  }
  const s = Math.max(1, Math.round(scale));
  const deg = (r: number): string => String(Math.round((r * 180) / Math.PI));
  const label = `#${face.trackId} ${Math.round(face.score * 100)}% Y${deg(face.pose.yaw)} P${deg(face.pose.pitch)} R${deg(face.pose.roll)}`;
  drawText(img, label, x, Math.max(0, y - 10 * s), boxColor, s);
  const m = face.mouth;
  const mouthLabel = m.visibility >= 0.5 ? `MOUTH ${Math.round(m.visibility * 100)}% GAP ${m.lipGap.toFixed(2)}` : `MOUTH HIDDEN ${(m.hiddenReason ?? '').toUpperCase()}`;
  drawText(img, mouthLabel, x, y + h + 3 * s, m.visibility >= 0.5 ? [255, 255, 255] : [255, 200, 0], s);
}

export function drawFrameOverlay(img: Image, frame: FrameAnalysis, doc: TrackDocument): void {
  const scale = Math.max(1, img.width / 640);
  const s = Math.round(scale);
  for (const f of frame.faces) drawFace(img, f, f.trackId === doc.selectedTrackId, scale);
  const shot = doc.shots[frame.shot];
  const isShotStart = shot && shot.start === frame.index && frame.index > 0;
  if (isShotStart) {
    fillRect(img, 0, 0, img.width, 12 * s, shot.kind === 'cut' ? [255, 0, 0] : [255, 140, 0], 0.8);
  }
  const status = frame.faces.length === 0 ? 'NO FACE' : `${frame.faces.length} FACE${frame.faces.length > 1 ? 'S' : ''}`;
  drawText(img, `F${frame.index} T${frame.time.toFixed(2)} SHOT ${frame.shot}${isShotStart ? ' ' + shot.kind.toUpperCase() : ''} ${status}`, 4 * s, 16 * s, [255, 255, 255], s);
}

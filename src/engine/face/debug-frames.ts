/**
 * Debug overlays: decode a few frames of the source again and draw each face's smoothed mesh,
 * lip contours and box (the selected track in magenta, others in white), plus a zoomed mouth
 * inset for small faces. For looking at results, not for production output.
 */
import { decodeVideoFrames } from '../media/decode-video.js';
import { writePng } from '../output/png.js';
import { cropZoom, drawFace, type Canvas } from './draw-debug.js';
import type { TrackDocument } from './types.js';

export async function writeDebugFrames(doc: TrackDocument, frameIndices: number[], outPrefix: string): Promise<string[]> {
  const want = new Set(frameIndices);
  const last = Math.max(...frameIndices);
  const written: string[] = [];
  for await (const fr of decodeVideoFrames(doc.source.path, { width: doc.source.width, height: doc.source.height, maxFrames: last + 1 })) {
    if (!want.has(fr.index)) continue;
    const c: Canvas = { width: fr.width, height: fr.height, data: fr.data };
    const fa = doc.frames[fr.index];
    for (const face of fa?.faces ?? []) {
      drawFace(c, face.meshSmoothed ?? face.mesh, { box: face.box, label: face.trackId === doc.selectedTrackId ? [255, 0, 255] : [255, 255, 255] });
    }
    const path = `${outPrefix}-${String(fr.index).padStart(5, '0')}.png`;
    const sel = fa?.faces.find((f) => f.trackId === doc.selectedTrackId) ?? fa?.faces[0];
    if (sel && sel.box[2] < 300) {
      // small face: write a 3x zoom of the face next to the full frame
      const [x, y, w, h] = sel.box;
      const z = cropZoom(c, x - w * 0.15, y - h * 0.15, w * 1.3, h * 1.3, Math.max(2, Math.floor(400 / w)));
      writePng(path.replace(/\.png$/, '-zoom.png'), z.data, z.width, z.height);
      written.push(path.replace(/\.png$/, '-zoom.png'));
    }
    writePng(path, c.data, c.width, c.height);
    written.push(path);
  }
  return written;
}

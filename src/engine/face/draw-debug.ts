/**
 * Tiny overlay drawing for looking at results: points, polylines and boxes straight into an rgb24
 * buffer (no canvas dependency). Used by the debug PNG writer and handy in later stages.
 */
import { FACE_OVAL, LIPS_LOWER_INNER, LIPS_LOWER_OUTER, LIPS_UPPER_INNER, LIPS_UPPER_OUTER } from './landmarks.js';
import type { Box } from './types.js';

export type Rgb = [number, number, number];

export interface Canvas {
  width: number;
  height: number;
  data: Uint8Array;
}

export function plot(c: Canvas, x: number, y: number, color: Rgb, radius = 0): void {
  const xi = Math.round(x), yi = Math.round(y);
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const px = xi + dx, py = yi + dy;
      if (px < 0 || py < 0 || px >= c.width || py >= c.height) continue;
      const o = (py * c.width + px) * 3;
      c.data[o] = color[0];
      c.data[o + 1] = color[1];
      c.data[o + 2] = color[2];
    }
  }
}

export function line(c: Canvas, x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
  const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
  for (let i = 0; i <= n; i++) plot(c, x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n, color);
}

export function rect(c: Canvas, box: Box, color: Rgb): void {
  const [x, y, w, h] = box;
  line(c, x, y, x + w, y, color);
  line(c, x + w, y, x + w, y + h, color);
  line(c, x + w, y + h, x, y + h, color);
  line(c, x, y + h, x, y, color);
}

export function polyline(c: Canvas, mesh: ArrayLike<number>, idx: readonly number[], color: Rgb, closed = false): void {
  for (let i = 0; i + 1 < idx.length; i++) line(c, mesh[idx[i] * 3], mesh[idx[i] * 3 + 1], mesh[idx[i + 1] * 3], mesh[idx[i + 1] * 3 + 1], color);
  if (closed && idx.length > 2) {
    const a = idx[idx.length - 1], b = idx[0];
    line(c, mesh[a * 3], mesh[a * 3 + 1], mesh[b * 3], mesh[b * 3 + 1], color);
  }
}

/** All mesh points as dots, face oval, outer lips (red) and inner lips (yellow). */
export function drawFace(c: Canvas, mesh: ArrayLike<number>, opts: { box?: Box; dots?: Rgb; label?: Rgb } = {}): void {
  const n = mesh.length / 3;
  const dot = opts.dots ?? [0, 200, 255];
  for (let i = 0; i < n; i++) plot(c, mesh[i * 3], mesh[i * 3 + 1], dot);
  polyline(c, mesh, FACE_OVAL, [0, 255, 0], true);
  polyline(c, mesh, LIPS_UPPER_OUTER, [255, 0, 0]);
  polyline(c, mesh, LIPS_LOWER_OUTER, [255, 0, 0]);
  polyline(c, mesh, LIPS_UPPER_INNER, [255, 255, 0]);
  polyline(c, mesh, LIPS_LOWER_INNER, [255, 255, 0]);
  if (opts.box) rect(c, opts.box, opts.label ?? [255, 0, 255]);
}

/** Copy a region out (for zoomed views of small faces) and scale it up by an integer factor. */
export function cropZoom(c: Canvas, x: number, y: number, w: number, h: number, zoom: number): Canvas {
  x = Math.max(0, Math.min(c.width - 1, Math.round(x)));
  y = Math.max(0, Math.min(c.height - 1, Math.round(y)));
  w = Math.max(1, Math.min(c.width - x, Math.round(w)));
  h = Math.max(1, Math.min(c.height - y, Math.round(h)));
  const out = new Uint8Array(w * zoom * h * zoom * 3);
  for (let yy = 0; yy < h * zoom; yy++) {
    for (let xx = 0; xx < w * zoom; xx++) {
      const s = ((y + Math.floor(yy / zoom)) * c.width + x + Math.floor(xx / zoom)) * 3;
      const o = (yy * w * zoom + xx) * 3;
      out[o] = c.data[s];
      out[o + 1] = c.data[s + 1];
      out[o + 2] = c.data[s + 2];
    }
  }
  return { width: w * zoom, height: h * zoom, data: out };
}

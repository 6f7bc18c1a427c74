/**
 * Tiny drawing kit on packed RGB buffers, for diagnostic overlays, plots and contact sheets.
 * Deliberately simple: lines, rectangles, dots and a 5×7 bitmap font, all clipped to the image.
 */

export interface Image {
  width: number;
  height: number;
  data: Uint8Array;
}

export type Color = [number, number, number];

export function createImage(width: number, height: number, fill: Color = [0, 0, 0]): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = fill[0];
    data[i + 1] = fill[1];
    data[i + 2] = fill[2];
  }
  return { width, height, data };
}

export function setPixel(img: Image, x: number, y: number, c: Color, alpha = 1): void {
  x = Math.round(x);
  y = Math.round(y);
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = (y * img.width + x) * 3;
  if (alpha >= 1) {
    img.data[o] = c[0];
    img.data[o + 1] = c[1];
    img.data[o + 2] = c[2];
  } else {
    img.data[o] = img.data[o] * (1 - alpha) + c[0] * alpha;
    img.data[o + 1] = img.data[o + 1] * (1 - alpha) + c[1] * alpha;
    img.data[o + 2] = img.data[o + 2] * (1 - alpha) + c[2] * alpha;
  }
}

export function fillRect(img: Image, x: number, y: number, w: number, h: number, c: Color, alpha = 1): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(img.width, Math.round(x + w));
  const y1 = Math.min(img.height, Math.round(y + h));
  for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) setPixel(img, xx, yy, c, alpha);
}

export function drawDot(img: Image, x: number, y: number, r: number, c: Color): void {
  const rr = r * r;
  for (let dy = -Math.ceil(r); dy <= Math.ceil(r); dy++) {
    for (let dx = -Math.ceil(r); dx <= Math.ceil(r); dx++) if (dx * dx + dy * dy <= rr) setPixel(img, x + dx, y + dy, c);
  }
}

export function drawLine(img: Image, x0: number, y0: number, x1: number, y1: number, c: Color, thickness = 1): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(dx), Math.abs(dy))));
  const r = (thickness - 1) / 2;
  for (let i = 0; i <= steps; i++) {
    const x = x0 + (dx * i) / steps;
    const y = y0 + (dy * i) / steps;
    if (r <= 0) setPixel(img, x, y, c);
    else drawDot(img, x, y, r, c);
  }
}

export function drawRect(img: Image, x: number, y: number, w: number, h: number, c: Color, thickness = 1): void {
  drawLine(img, x, y, x + w, y, c, thickness);
  drawLine(img, x + w, y, x + w, y + h, c, thickness);
  drawLine(img, x + w, y + h, x, y + h, c, thickness);
  drawLine(img, x, y + h, x, y, c, thickness);
}

export function drawPolyline(img: Image, pts: Array<[number, number]>, c: Color, thickness = 1, closed = false): void {
  for (let i = 1; i < pts.length; i++) drawLine(img, pts[i - 1][0], pts[i - 1][1], pts[i][0], pts[i][1], c, thickness);
  if (closed && pts.length > 2) drawLine(img, pts[pts.length - 1][0], pts[pts.length - 1][1], pts[0][0], pts[0][1], c, thickness);
}

// 5×7 font: each glyph is 7 rows of 5 bits (MSB = left column).
const FONT: Record<string, number[]> = {
  '0': [14, 17, 19, 21, 25, 17, 14], '1': [4, 12, 4, 4, 4, 4, 14], '2': [14, 17, 1, 2, 4, 8, 31], '3': [31, 2, 4, 2, 1, 17, 14],
  '4': [2, 6, 10, 18, 31, 2, 2], '5': [31, 16, 30, 1, 1, 17, 14], '6': [6, 8, 16, 30, 17, 17, 14], '7': [31, 1, 2, 4, 8, 8, 8],
  '8': [14, 17, 17, 14, 17, 17, 14], '9': [14, 17, 17, 15, 1, 2, 12],
  A: [14, 17, 17, 31, 17, 17, 17], B: [30, 17, 17, 30, 17, 17, 30], C: [14, 17, 16, 16, 16, 17, 14], D: [28, 18, 17, 17, 17, 18, 28],
  E: [31, 16, 16, 30, 16, 16, 31], F: [31, 16, 16, 30, 16, 16, 16], G: [14, 17, 16, 23, 17, 17, 15], H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14], J: [7, 2, 2, 2, 2, 18, 12], K: [17, 18, 20, 24, 20, 18, 17], L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17], N: [17, 17, 25, 21, 19, 17, 17], O: [14, 17, 17, 17, 17, 17, 14], P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13], R: [30, 17, 17, 30, 20, 18, 17], S: [15, 16, 16, 14, 1, 1, 30], T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14], V: [17, 17, 17, 17, 17, 10, 4], W: [17, 17, 17, 21, 21, 21, 10], X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4], Z: [31, 1, 2, 4, 8, 16, 31],
  ' ': [0, 0, 0, 0, 0, 0, 0], '.': [0, 0, 0, 0, 0, 12, 12], ',': [0, 0, 0, 0, 12, 4, 8], ':': [0, 12, 12, 0, 12, 12, 0],
  '-': [0, 0, 0, 31, 0, 0, 0], '+': [0, 4, 4, 31, 4, 4, 0], '/': [1, 1, 2, 4, 8, 16, 16], '=': [0, 0, 31, 0, 31, 0, 0],
  '%': [24, 25, 2, 4, 8, 19, 3], '(': [2, 4, 8, 8, 8, 4, 2], ')': [8, 4, 2, 2, 2, 4, 8], '_': [0, 0, 0, 0, 0, 0, 31],
  '#': [10, 10, 31, 10, 31, 10, 10], '?': [14, 17, 1, 2, 4, 0, 4], '!': [4, 4, 4, 4, 4, 0, 4], '<': [2, 4, 8, 16, 8, 4, 2],
  '>': [8, 4, 2, 1, 2, 4, 8], "'": [4, 4, 8, 0, 0, 0, 0], '[': [14, 8, 8, 8, 8, 8, 14], ']': [14, 2, 2, 2, 2, 2, 14],
  '|': [4, 4, 4, 4, 4, 4, 4], '*': [0, 4, 21, 14, 21, 4, 0],
};

/** Width in pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale = 1): number {
  return text.length * 6 * scale;
}

/** Draws text (upper-cased; unknown glyphs become '?') with a dark backing box for legibility. */
export function drawText(img: Image, text: string, x: number, y: number, c: Color = [255, 255, 255], scale = 1, backing = true): void {
  const s = text.toUpperCase();
  if (backing) fillRect(img, x - scale, y - scale, textWidth(s, scale) + scale, 9 * scale, [0, 0, 0], 0.55);
  for (let i = 0; i < s.length; i++) {
    const g = FONT[s[i]] ?? FONT['?'];
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 5; col++) {
        if (g[row] & (16 >> col)) fillRect(img, x + (i * 6 + col) * scale, y + row * scale, scale, scale, c);
      }
    }
  }
}

/** Copies `src` into `dst` at (x, y), scaling by nearest neighbour to w×h. */
export function blit(dst: Image, src: Image, x: number, y: number, w = src.width, h = src.height): void {
  for (let yy = 0; yy < h; yy++) {
    const sy = Math.min(src.height - 1, Math.floor((yy * src.height) / h));
    const dy = y + yy;
    if (dy < 0 || dy >= dst.height) continue;
    for (let xx = 0; xx < w; xx++) {
      const dx = x + xx;
      if (dx < 0 || dx >= dst.width) continue;
      const sx = Math.min(src.width - 1, Math.floor((xx * src.width) / w));
      const so = (sy * src.width + sx) * 3;
      const o = (dy * dst.width + dx) * 3;
      dst.data[o] = src.data[so];
      dst.data[o + 1] = src.data[so + 1];
      dst.data[o + 2] = src.data[so + 2];
    }
  }
}

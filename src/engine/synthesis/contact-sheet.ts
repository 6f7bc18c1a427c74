/**
 * Before/after contact sheets of the mouth region, for looking at the synthesis output: one column
 * per frame, the input crop above the rendered crop, each labelled.
 */
import type { RgbFrame } from '../media/types.js';
import { blit, createImage, drawText, type Image } from '../output/raster.js';
import type { RectTuple } from './raster-ops.js';

export interface SheetCell {
  before: RgbFrame;
  after: RgbFrame;
  /** Crop shown (frame pixels). */
  crop: RectTuple;
  label: string;
}

function crop(f: RgbFrame, r: RectTuple): Image {
  const [x, y, w, h] = r;
  const img = createImage(w, h);
  for (let yy = 0; yy < h; yy++) {
    for (let xx = 0; xx < w; xx++) {
      const sx = Math.min(f.width - 1, Math.max(0, x + xx)), sy = Math.min(f.height - 1, Math.max(0, y + yy));
      const so = (sy * f.width + sx) * 3, o = (yy * w + xx) * 3;
      img.data[o] = f.data[so]; img.data[o + 1] = f.data[so + 1]; img.data[o + 2] = f.data[so + 2];
    }
  }
  return img;
}

/** Lays cells out left to right (wrapping after `perRow`), each cell `cellSize` wide, before over after. */
export function contactSheet(cells: SheetCell[], cellSize = 200, perRow = 6): Image {
  const rows = Math.ceil(cells.length / perRow);
  const cols = Math.min(perRow, cells.length);
  const cellH = cellSize * 2 + 14;
  const sheet = createImage(cols * (cellSize + 4), rows * (cellH + 4), [40, 40, 40]);
  cells.forEach((c, i) => {
    const x = (i % perRow) * (cellSize + 4);
    const y = Math.floor(i / perRow) * (cellH + 4);
    const aspect = c.crop[3] / c.crop[2];
    const h = Math.round(cellSize * Math.min(1, aspect));
    blit(sheet, crop(c.before, c.crop), x, y + 12, cellSize, h);
    blit(sheet, crop(c.after, c.crop), x, y + 12 + cellSize + 2, cellSize, h);
    drawText(sheet, c.label, x + 2, y + 2, [255, 255, 0]);
  });
  return sheet;
}

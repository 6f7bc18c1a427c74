/**
 * Before/after preview of a synthesis plan on the real video: decodes the clip, renders the chosen
 * frames and writes a contact sheet of mouth crops (input above, output below, labelled
 * "frame>source t<target gap> o<synthesised opening>"). For looking at results, not for output.
 */
import type { TrackDocument } from '../face/types.js';
import { decodeVideoFrames } from '../media/decode-video.js';
import type { RgbFrame } from '../media/types.js';
import { writePng } from '../output/png.js';
import { selectedFace } from './candidates.js';
import { contactSheet, type SheetCell } from './contact-sheet.js';
import type { RectTuple } from './raster-ops.js';
import { renderVideo } from './stream.js';
import type { SynthesisPlan, TargetList } from './types.js';

export interface PreviewOptions {
  /** Width of one cell in the sheet (default 200). */
  cellSize?: number;
  perRow?: number;
}

/** Mouth crop around the selected face's lower half. */
function mouthCrop(doc: TrackDocument, frame: number): RectTuple | null {
  const face = selectedFace(doc, frame);
  if (!face) return null;
  const [bx, by, bw, bh] = face.box;
  return [Math.round(bx + bw * 0.15), Math.round(by + bh * 0.45), Math.round(bw * 0.7), Math.round(bh * 0.62)];
}

export async function writePreview(
  doc: TrackDocument,
  plan: SynthesisPlan,
  targets: TargetList,
  frames: number[],
  outPath: string,
  opts: PreviewOptions = {},
): Promise<{ width: number; height: number; cells: number }> {
  const want = new Set(frames);
  const { width, height } = doc.source;
  const open = (): AsyncGenerator<RgbFrame> => decodeVideoFrames(doc.source.path, { width, height });
  const before = new Map<number, RgbFrame>();
  for await (const f of open()) if (want.has(f.index)) before.set(f.index, f);
  const cells: SheetCell[] = [];
  for await (const r of renderVideo(doc, plan, open)) {
    if (!want.has(r.frame.index)) continue;
    const crop = mouthCrop(doc, r.frame.index);
    const b = before.get(r.frame.index);
    if (!crop || !b) continue;
    const e = plan.entries[r.frame.index];
    const t = targets.at(r.frame.index);
    const what = e.action === 'edit' ? `${e.source}${e.blend ? '+' + e.blend.source : ''}` : e.reason;
    const label = `${r.frame.index}>${what} t${t ? t.lipGap.toFixed(2) : '-'}${e.action === 'edit' && e.openBy > 0 ? ' o' + e.openBy.toFixed(2) : ''}`;
    cells.push({ before: b, after: r.frame, crop, label });
  }
  const sheet = contactSheet(cells, opts.cellSize ?? 200, opts.perRow ?? 6);
  writePng(outPath, sheet.data, sheet.width, sheet.height);
  return { width: sheet.width, height: sheet.height, cells: cells.length };
}

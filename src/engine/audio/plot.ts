/**
 * A picture of a mouth track: waveform on top, then the articulation curves, all on one time
 * axis (ticks every second, taller every 5 s), so timing and silence behaviour can be checked by
 * eye. Optional reference curve (e.g. the mouth tracked in a real video) is drawn in white over
 * the lip-gap panel. No fonts: the legend is the colour scheme documented in PLOT_LEGEND.
 */
import { writePng } from '../output/png.js';
import type { MouthTrack } from './types.js';

type Rgb = [number, number, number];

export const PLOT_LEGEND = {
  waveform: 'grey, top panel',
  lipGap: 'orange (panel 2); reference in white',
  jaw: 'blue (panel 2)',
  width: 'green (panel 3, centre line = neutral; up = spread, down = rounded)',
  closure: 'red (panel 4)',
  labiodental: 'purple (panel 4)',
  voice: 'yellow band under panel 4',
};

const COLORS: Record<string, Rgb> = {
  lipGap: [255, 150, 40],
  jaw: [70, 140, 255],
  width: [80, 210, 100],
  closure: [240, 60, 60],
  labiodental: [190, 100, 255],
  voice: [230, 210, 60],
  ref: [255, 255, 255],
};

export interface PlotOptions {
  width?: number;
  /** A reference lip-gap series on the track's time grid (any scale: it is min-max normalised). */
  reference?: ArrayLike<number>;
}

export function renderMouthPlot(samples: Float32Array, sampleRate: number, track: MouthTrack, opts: PlotOptions = {}): { rgb: Uint8Array; width: number; height: number } {
  const W = opts.width ?? Math.min(2400, Math.max(800, Math.round(track.duration * 120)));
  const panels = [110, 150, 90, 90];
  const gap = 8;
  const H = panels.reduce((a, b) => a + b + gap, 0) + 24;
  const rgb = new Uint8Array(W * H * 3).fill(18);
  const put = (x: number, y: number, c: Rgb): void => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const o = (Math.floor(y) * W + Math.floor(x)) * 3;
    rgb[o] = c[0];
    rgb[o + 1] = c[1];
    rgb[o + 2] = c[2];
  };
  const vline = (x: number, y0: number, y1: number, c: Rgb): void => {
    for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++) put(x, y, c);
  };
  const dur = Math.max(track.duration, 1e-3);
  const xOf = (t: number): number => (t / dur) * (W - 1);
  const tops: number[] = [];
  let y = 4;
  for (const h of panels) {
    tops.push(y);
    for (let x = 0; x < W; x++) for (let yy = y; yy < y + h; yy++) put(x, yy, [28, 28, 32]);
    y += h + gap;
  }
  // Waveform: min/max per pixel column.
  const [wt, wh] = [tops[0], panels[0]];
  const spp = samples.length / W;
  let peak = 1e-6;
  for (const v of samples) peak = Math.max(peak, Math.abs(v));
  for (let x = 0; x < W; x++) {
    let lo = 0;
    let hi = 0;
    for (let i = Math.floor(x * spp); i < Math.min(samples.length, Math.floor((x + 1) * spp)); i++) {
      lo = Math.min(lo, samples[i]);
      hi = Math.max(hi, samples[i]);
    }
    vline(x, wt + wh / 2 - (hi / peak) * (wh / 2 - 2), wt + wh / 2 - (lo / peak) * (wh / 2 - 2), [150, 150, 150]);
  }
  const curve = (vals: number[], top: number, h: number, lo: number, hi: number, c: Rgb): void => {
    let prev: [number, number] | null = null;
    track.frames.forEach((f, i) => {
      const px = xOf(f.t);
      const py = top + h - 2 - ((Math.min(hi, Math.max(lo, vals[i])) - lo) / (hi - lo)) * (h - 4);
      if (prev) {
        const steps = Math.max(1, Math.ceil(Math.max(Math.abs(px - prev[0]), Math.abs(py - prev[1]))));
        for (let s = 0; s <= steps; s++) put(prev[0] + ((px - prev[0]) * s) / steps, prev[1] + ((py - prev[1]) * s) / steps, c);
      }
      prev = [px, py];
    });
  };
  const F = track.frames;
  const maxGap = Math.max(1, ...F.map((f) => f.lipGap), ...F.map((f) => f.jaw));
  if (opts.reference) {
    const ref = Array.from(opts.reference).slice(0, F.length);
    const fin = ref.filter(Number.isFinite);
    const lo = Math.min(...fin);
    const hi = Math.max(...fin);
    curve(ref.map((v) => (Number.isFinite(v) ? ((v - lo) / (hi - lo || 1)) * maxGap : 0)), tops[1], panels[1], 0, maxGap, COLORS.ref);
  }
  curve(F.map((f) => f.jaw), tops[1], panels[1], 0, maxGap, COLORS.jaw);
  curve(F.map((f) => f.lipGap), tops[1], panels[1], 0, maxGap, COLORS.lipGap);
  for (let x = 0; x < W; x++) put(x, tops[2] + panels[2] / 2, [60, 60, 60]);
  curve(F.map((f) => f.width), tops[2], panels[2], -1, 1, COLORS.width);
  curve(F.map((f) => f.closure), tops[3], panels[3], 0, 1.05, COLORS.closure);
  curve(F.map((f) => f.labiodental), tops[3], panels[3], 0, 1.05, COLORS.labiodental);
  // Voice band and time ticks.
  const vb = tops[3] + panels[3] + 2;
  for (const f of F) {
    const x0 = Math.floor(xOf(f.t));
    const x1 = Math.ceil(xOf(f.t + 1 / track.fps));
    const c = COLORS.voice.map((v) => Math.round(v * f.voice)) as Rgb;
    for (let x = x0; x < x1; x++) for (let yy = vb; yy < vb + 6; yy++) put(x, yy, c);
  }
  for (let s = 0; s <= dur; s++) {
    const x = Math.round(xOf(s));
    vline(x, H - 14, H - (s % 5 === 0 ? 2 : 8), [200, 200, 200]);
    for (const top of tops) put(x, top, [90, 90, 90]);
  }
  return { rgb, width: W, height: H };
}

export function writeMouthPlot(path: string, samples: Float32Array, sampleRate: number, track: MouthTrack, opts: PlotOptions = {}): void {
  const { rgb, width, height } = renderMouthPlot(samples, sampleRate, track, opts);
  writePng(path, rgb, width, height);
}

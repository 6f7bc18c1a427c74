/**
 * Fits the audio stage's mouth targets to the person on screen. Targets come in absolute
 * MouthMeasures units, but people open their mouths by different amounts and have different jaw
 * lengths and mouth widths, so a curve predicted for "a speaker" can ask for openings this person
 * never makes (no sample to show) or stay inside a small part of their range. This maps each
 * measure's spread onto the candidate bank's spread: lip gap by its 5th/95th percentiles, jaw and
 * width by a shift of their medians.
 */
import type { MouthCandidate, MouthTarget } from './types.js';

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, q * (sorted.length - 1)));
  const lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

export function fitTargetsToBank<T extends MouthTarget | undefined>(targets: ReadonlyArray<T>, bank: MouthCandidate[]): T[] {
  const present = targets.filter((t): t is NonNullable<T> => t !== undefined);
  if (present.length < 2 || bank.length < 2) return targets.slice();
  const sort = (v: number[]): number[] => v.slice().sort((a, b) => a - b);
  const tg = sort(present.map((t) => t.lipGap));
  const bg = sort(bank.map((c) => c.lipGap));
  const t5 = quantile(tg, 0.05), t95 = quantile(tg, 0.95);
  const b5 = quantile(bg, 0.05), b95 = quantile(bg, 0.95);
  const scale = t95 - t5 > 1e-6 ? (b95 - b5) / (t95 - t5) : 1;
  const jawShift = quantile(sort(bank.map((c) => c.jaw)), 0.5) - quantile(sort(present.map((t) => t.jaw)), 0.5);
  const widthShift = quantile(sort(bank.map((c) => c.width)), 0.5) - quantile(sort(present.map((t) => t.width)), 0.5);
  return targets.map((t) => {
    if (t === undefined) return t;
    const lipGap = Math.max(0, b5 + (t.lipGap - t5) * scale);
    return { ...t, lipGap, jaw: t.jaw + jawShift, width: t.width + widthShift } as T;
  });
}

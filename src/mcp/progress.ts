/**
 * Engine stage progress → one 0..100 figure for the whole generation. Analysis and rendering
 * are the long stages (each ~40% on a typical clip); speech synthesis and the mouth/plan steps are short.
 */
const RANGES: Record<string, [number, number]> = {
  tts: [0, 5],
  inputs: [5, 8],
  analyze: [8, 50],
  mouth: [50, 53],
  plan: [53, 58],
  render: [58, 99],
};

export function overallPercent(stage: string, done: number, total: number): number {
  const r = RANGES[stage];
  if (!r) return 0;
  const f = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  return Math.round(r[0] + f * (r[1] - r[0]));
}

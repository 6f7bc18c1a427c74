/**
 * Model names accepted by `generate` (Sync's names, so API clients work unchanged). All of them
 * run the same sample-based engine; they differ in how much of the shot is planned at once and how
 * fine the lip contours are, trading speed for quality. Every one gives real lip sync.
 */
export const MODELS = ['sync-3', 'lipsync-2-pro', 'lipsync-2'] as const;
export type ModelName = (typeof MODELS)[number];

export interface ModelSettings {
  /** Plan whole shots at once (null), or independent chunks of this many seconds (like chunked models). */
  chunkSeconds: number | null;
  /** Candidate mouths kept per frame in the dynamic programme. */
  beam: number;
  /** Face mesh used for tracking: the refined-lips attention mesh is ~2.5× slower. */
  mesh: 'facemesh' | 'attention';
  description: string;
}

export const MODEL_SETTINGS: Record<ModelName, ModelSettings> = {
  'sync-3': { chunkSeconds: null, beam: 12, mesh: 'facemesh', description: 'whole-shot planning: every frame of a shot is chosen together (default)' },
  'lipsync-2-pro': { chunkSeconds: 2, beam: 16, mesh: 'attention', description: 'refined-lips mesh, planned in 2-second chunks (slower tracking, finer lip contours)' },
  'lipsync-2': { chunkSeconds: 2, beam: 6, mesh: 'facemesh', description: 'planned in 2-second chunks with a narrow search (fastest)' },
};

export function isModelName(s: string): s is ModelName {
  return (MODELS as readonly string[]).includes(s);
}

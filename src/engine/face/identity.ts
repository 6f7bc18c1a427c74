/**
 * Face identity embeddings (Human's face-description model) for checking that an edited video
 * still shows the same person. Runs on the main thread on a handful of frames: a measuring tool
 * for benchmarks and tests, not part of the per-frame pipeline.
 */
import { loadHuman, type HumanInstance } from './human-loader.js';
import { decodeVideoFrames } from '../media/decode-video.js';
import { probeMedia } from '../media/probe.js';

let human: Promise<HumanInstance> | undefined;

async function instance(): Promise<HumanInstance> {
  human ??= loadHuman({ mesh: 'facemesh', description: true });
  return human;
}

/** Embedding of the largest face in each of the given frames (null where no face was found). */
export async function faceEmbeddings(path: string, frames: number[]): Promise<Array<number[] | null>> {
  const h = await instance();
  const info = await probeMedia(path);
  const v = info.video!;
  const want = new Set(frames);
  const last = Math.max(...frames);
  const out = new Map<number, number[] | null>();
  for await (const f of decodeVideoFrames(path, { width: v.width, height: v.height, maxFrames: last + 1 })) {
    if (!want.has(f.index)) continue;
    const t = h.tf.tensor3d(f.data, [f.height, f.width, 3], 'int32');
    const batch = h.tf.expandDims(h.tf.cast(t, 'float32'), 0);
    try {
      const res = await h.detect(batch);
      const faces = (res.face ?? []) as Array<{ box: number[]; embedding?: number[] }>;
      const best = faces.filter((x) => x.embedding && x.embedding.length).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
      out.set(f.index, best ? Array.from(best.embedding!) : null);
    } finally {
      h.tf.dispose([t, batch]);
    }
  }
  return frames.map((i) => out.get(i) ?? null);
}

/** Human's similarity of two embeddings, 0 (different people) .. 1 (identical). */
export async function embeddingSimilarity(a: number[], b: number[]): Promise<number> {
  const h = await instance();
  return h.match.similarity(a, b) as number;
}

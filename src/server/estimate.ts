/**
 * Cost estimates with Sync's prices (USD per output second at 25 fps, billed per frame), so a
 * client that budgets with them sees familiar numbers. Resync itself costs nothing to run.
 */
import { openAudioInput, openVideoInput } from '../engine/media/validate.js';
import { isModelName, type ModelName } from '../engine/generate/models.js';
import { isResyncError } from '../engine/errors.js';
import { ApiError, badRequest } from './errors.js';
import type { App } from './context.js';
import type { CreateRequest } from './validate.js';
import { resolveMediaRef } from './files.js';
import { checkAssets } from './create.js';
import { estimatedSpeechSeconds } from './tts-input.js';

export const PRICE_PER_SECOND: Record<ModelName, number> = { 'sync-3': 0.133, 'lipsync-2-pro': 0.083, 'lipsync-2': 0.05 };
const round = (x: number): number => Math.round(x * 10000) / 10000;

/** POST /v2/analyze/cost: reads the inputs' durations and applies the sync_mode's length rule. */
export async function estimateCost(app: App, keyId: string, req: CreateRequest): Promise<Array<{ estimatedFrameCount: number; estimatedGenerationCost: number }>> {
  checkAssets(app, keyId, req);
  const base = app.publicUrl();
  const inputOpts = { allowPrivate: app.cfg.allowPrivateUrls, allowHosts: app.cfg.allowHosts, maxBytes: app.cfg.maxUploadBytes, timeoutMs: 60_000 };
  const visual = req.input.find((m) => m.type === 'video' || m.type === 'image')!;
  const text = req.input.find((m) => m.type === 'text');
  const audios = req.input.filter((m) => m.type === 'audio');
  const opened: Array<{ cleanup(): Promise<void> }> = [];
  try {
    const v = await openVideoInput(resolveMediaRef(app.db, keyId, visual, base), { ...inputOpts, allowImage: true });
    opened.push(v);
    const vDur = v.info.isStillImage ? 0 : v.info.duration ?? 0;
    let out: number;
    if (req.segments) {
      out = vDur;
    } else {
      let aDur: number;
      if (text) {
        aDur = estimatedSpeechSeconds(text);
      } else {
        const a = await openAudioInput(resolveMediaRef(app.db, keyId, audios[0], base), inputOpts);
        opened.push(a);
        aDur = a.info.duration ?? 0;
      }
      const mode = req.options.sync_mode ?? 'cut_off';
      out = v.info.isStillImage ? aDur : mode === 'cut_off' ? Math.min(vDur, aDur) : mode === 'silence' ? Math.max(vDur, aDur) : aDur;
    }
    const frames = Math.round(out * 25);
    return [{ estimatedFrameCount: frames, estimatedGenerationCost: round((frames / 25) * PRICE_PER_SECOND[req.model]) }];
  } catch (e) {
    if (isResyncError(e)) throw new ApiError(422, e.code, e.message);
    throw e;
  } finally {
    for (const o of opened) await o.cleanup();
  }
}

/** POST /v2/generations/estimate: `{model, duration, fps?}` → frames and cost, no media read. */
export function estimateFromDuration(body: unknown): { estimatedFrameCount: number; estimatedGenerationCost: number; estimatedCredits: null } {
  if (typeof body !== 'object' || body === null) throw badRequest('body must be {model, duration, fps?}');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !isModelName(b.model)) throw new ApiError(422, 'cost_estimate_unavailable', `no estimate for model "${String(b.model)}"`);
  if (typeof b.duration !== 'number' || !(b.duration > 0) || !Number.isFinite(b.duration)) throw badRequest('duration must be a positive number of seconds');
  const fps = b.fps === undefined ? 30 : b.fps;
  if (typeof fps !== 'number' || !(fps > 0 && fps <= 240)) throw badRequest('fps must be a number from 0 to 240');
  const frames = Math.ceil(b.duration * fps);
  return { estimatedFrameCount: frames, estimatedGenerationCost: round(b.duration * PRICE_PER_SECOND[b.model]), estimatedCredits: null };
}

/**
 * A text `input` item (Sync's shape) → a speech file the generation uses as its audio and keeps as
 * `synthesizedAudioUrl`. Shared by the API server, the CLI's --text and the MCP server so all three
 * validate and name things the same way.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ResyncError } from '../errors.js';
import { ttsProviders, type TtsProviders } from './config.js';
import { MAX_SCRIPT_CHARS, type TtsAudio } from './types.js';

/** `input[].provider` of a `{ type: "text" }` item. */
export interface TextProviderSpec {
  name?: string;
  voiceId?: string;
  script: string;
  stability?: number;
  similarityBoost?: number;
}

export interface SpokenFile extends TtsAudio {
  path: string;
  provider: string;
}

/** Validates a `{ type: "text", provider: {...} }` item's provider object (wire shape, untrusted). */
export function parseTextProvider(value: unknown): TextProviderSpec {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ResyncError('invalid_argument', 'a text input needs provider: { name, voiceId, script }');
  }
  const p = value as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    if (p[k] === undefined || p[k] === null) return undefined;
    if (typeof p[k] !== 'string') throw new ResyncError('invalid_argument', `provider.${k} must be a string`);
    return p[k] as string;
  };
  const unit = (k: string): number | undefined => {
    if (p[k] === undefined || p[k] === null) return undefined;
    if (typeof p[k] !== 'number' || !(p[k] >= 0 && p[k] <= 1)) throw new ResyncError('invalid_argument', `provider.${k} must be a number between 0 and 1`);
    return p[k] as number;
  };
  const script = str('script');
  if (!script || !script.trim()) throw new ResyncError('invalid_argument', 'provider.script must be a non-empty string');
  if (script.length > MAX_SCRIPT_CHARS) throw new ResyncError('invalid_argument', `provider.script is longer than ${MAX_SCRIPT_CHARS} characters`);
  return { name: str('name'), voiceId: str('voiceId'), script, stability: unit('stability'), similarityBoost: unit('similarityBoost') };
}

/** Refuses a text input before any work is queued: unknown provider, unknown voice. */
export async function checkTextProvider(spec: TextProviderSpec, providers: TtsProviders = ttsProviders()): Promise<void> {
  const provider = providers.get(spec.name);
  await provider.validate?.({ script: spec.script, voiceId: spec.voiceId });
}

/** Synthesises `spec` into `dir/<baseName>.<ext>`. */
export async function speakToFile(spec: TextProviderSpec, dir: string, baseName = 'speech', opts: { providers?: TtsProviders; signal?: AbortSignal } = {}): Promise<SpokenFile> {
  const provider = (opts.providers ?? ttsProviders()).get(spec.name);
  const audio = await provider.synthesize({ script: spec.script, voiceId: spec.voiceId, stability: spec.stability, similarityBoost: spec.similarityBoost, signal: opts.signal });
  const path = join(dir, `${baseName}.${audio.extension}`);
  await writeFile(path, audio.data);
  return { ...audio, path, provider: provider.name };
}

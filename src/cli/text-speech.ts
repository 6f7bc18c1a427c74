/**
 * `--text "…" --voice en [--tts-provider espeak]`: the CLI's text input. The script is spoken into a
 * temporary file that stands in for --audio, and removed when the command ends (the output
 * carries the speech as its sound track).
 */
import { rm } from 'node:fs/promises';
import { makeTempDir } from '../engine/temp-dirs.js';
import { parseTextProvider, speakToFile } from '../engine/tts/speak.js';

export async function withSpeechFromText<T>(script: string, voice: string | undefined, provider: string | undefined, use: (audioPath: string) => Promise<T>): Promise<T> {
  const spec = parseTextProvider({ name: provider, voiceId: voice, script });
  const dir = await makeTempDir('tts');
  try {
    const spoken = await speakToFile(spec, dir);
    return await use(spoken.path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `resync generate --video <path|url> --audio <path|url> --out <file.mp4> [--model sync-3]
 *  [--sync-mode cut_off] [--temperature 0.5] [--speaker x,y[@frame]] [--report report.json]`
 * The product's core contract (Resync is benchmarked through exactly this form).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs, stringFlag, numberFlag, UsageError } from '../args.js';
import { ProgressReporter, pickProgressMode } from '../progress.js';
import { parseSpeaker } from '../speaker.js';
import { generate } from '../../engine/generate/generate.js';
import { isModelName, MODELS } from '../../engine/generate/models.js';
import { isSyncMode, SYNC_MODES } from '../../engine/generate/timeline.js';
import { X264_PRESETS, DEFAULT_PRESET, type X264Preset } from '../../engine/media/encode.js';
import { DEFAULT_CRF } from '../../engine/media/encode-args.js';
import { withSpeechFromText } from '../text-speech.js';

const USAGE =
  'usage: resync generate --video <path|url> (--audio <path|url> | --text "script" [--voice en] [--tts-provider espeak]) --out <file.mp4> [--model sync-3|lipsync-2-pro|lipsync-2]\n' +
  '         [--sync-mode cut_off|loop|bounce|silence|remap] [--temperature 0.5] [--speaker x,y[@frame]] [--report report.json]\n' +
  `         [--preset ${DEFAULT_PRESET}] [--crf ${DEFAULT_CRF}] [--h264] [--json]\n` +
  '  --h264: always write 8-bit 4:2:0 H.264 (plays everywhere); by default 10/12-bit and 4:2:2/4:4:4 input keeps its format in HEVC';

export async function generateCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ['video', 'audio', 'text', 'voice', 'tts-provider', 'out', 'model', 'sync-mode', 'temperature', 'speaker', 'report', 'preset', 'crf'], booleans: ['json', 'help', 'h264'] });
  if (p.flags.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
  const video = stringFlag(p, 'video');
  const audio = stringFlag(p, 'audio');
  const out = stringFlag(p, 'out');
  const text = stringFlag(p, 'text');
  if (!video || !out || (audio === undefined) === (text === undefined)) throw new UsageError('--video, --out and one of --audio or --text are required');
  const model = stringFlag(p, 'model') ?? 'sync-3';
  if (!isModelName(model)) throw new UsageError(`--model must be one of ${MODELS.join(', ')}`);
  const syncMode = stringFlag(p, 'sync-mode') ?? 'cut_off';
  if (!isSyncMode(syncMode)) throw new UsageError(`--sync-mode must be one of ${SYNC_MODES.join(', ')}`);
  const temperature = numberFlag(p, 'temperature', 0, 1) ?? 0.5;
  const preset = stringFlag(p, 'preset') ?? DEFAULT_PRESET;
  if (!(X264_PRESETS as readonly string[]).includes(preset)) throw new UsageError(`--preset must be one of ${X264_PRESETS.join(', ')}`);
  const crf = numberFlag(p, 'crf', 0, 51) ?? DEFAULT_CRF;
  const json = p.flags.json === true;
  const progress = new ProgressReporter(pickProgressMode(json));

  const run = (speech: string): ReturnType<typeof generate> => generate({
    video,
    audio: speech,
    output: out,
    model,
    syncMode,
    temperature,
    speaker: parseSpeaker(stringFlag(p, 'speaker')),
    preset: preset as X264Preset,
    crf,
    h264Only: p.flags.h264 === true,
    onProgress: (stage, done, total) => progress.update({ stage, done, total, unit: stage === 'analyze' || stage === 'render' ? 'frames' : 'steps' }),
  });
  const { report } = text !== undefined ? await withSpeechFromText(text, stringFlag(p, 'voice'), stringFlag(p, 'tts-provider'), run) : await run(audio!);
  progress.endStage();
  const reportPath = stringFlag(p, 'report');
  if (reportPath) await writeFile(reportPath, JSON.stringify(report, null, 1));
  const f = report.frames;
  if (json) {
    process.stdout.write(JSON.stringify({ type: 'result', output: out, frames: f, syncConfidence: report.syncConfidence, timings: report.timings, ...(reportPath ? { report: reportPath } : {}) }) + '\n');
  } else {
    process.stdout.write(
      `${out}: ${f.total} frames (${report.output.duration.toFixed(2)} s), edited ${f.edited}, passed through ${f.passedThrough} (occluded ${f.occluded}, no face ${f.noFace})` +
        `${f.closedMouthOpened ? `, closed mouth opened in ${f.closedMouthOpened}` : ''}; sync confidence ${report.syncConfidence.toFixed(2)}\n`,
    );
    process.stdout.write(`stage seconds: ${Object.entries(report.timings).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}\n`);
    if (reportPath) process.stdout.write(`report: ${reportPath}\n`);
  }
  return 0;
}

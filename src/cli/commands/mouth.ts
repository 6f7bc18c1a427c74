/**
 * `resync mouth <audio|video|url> [--fps 25] [--out mouth.json] [--plot mouth.png]
 *   [--temperature 0.5] [--lead-ms N] [--speaker profile.json]`
 *
 * Prints (or writes) the per-frame articulation targets for the input's audio; --plot draws the
 * waveform and the curves on one time axis. --speaker applies a speaker profile (resync.speaker
 * JSON, as written by `resync mouth --fit-speaker`). --fit-speaker <video> learns that profile
 * from a video of the person speaking (its own audio and tracked mouth) and writes it to --out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, stringFlag, numberFlag, UsageError } from '../args.js';
import { mouthFromFile } from '../../engine/audio/mouth.js';
import { writeMouthPlot, PLOT_LEGEND } from '../../engine/audio/plot.js';
import { decodeAudio } from '../../engine/media/decode-audio.js';
import { ResyncError } from '../../engine/errors.js';
import type { SpeakerProfile } from '../../engine/audio/types.js';

const HELP = `usage: resync mouth <audio|video|url> [options]
  --fps N            output frame rate (default 25; 23.976, 29.97, 60... all fine)
  --out FILE         write the mouth track JSON here (default: stdout)
  --plot FILE.png    draw waveform + curves on one time axis
  --temperature T    expressiveness 0..1 (default 0.5)
  --lead-ms N        override how far the mouth leads the sound (ms)
  --speaker FILE     apply a speaker profile (resync.speaker JSON)
  --fit-speaker      treat the input as a video of the speaker: learn and write their profile`;

export async function mouthCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ['fps', 'out', 'plot', 'temperature', 'lead-ms', 'speaker'], booleans: ['help', 'fit-speaker'] });
  if (p.flags.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (p.positionals.length !== 1) throw new UsageError('expected exactly one input (audio, video or URL)');
  const input = p.positionals[0];
  const out = stringFlag(p, 'out');
  if (p.flags['fit-speaker']) {
    const { speakerProfileFromVideo } = await import('../../engine/audio/speaker-video.js');
    const profile = await speakerProfileFromVideo(input);
    const json = JSON.stringify(profile, null, 2) + '\n';
    if (out) writeFileSync(out, json);
    else process.stdout.write(json);
    process.stderr.write(`speaker fit: r=${profile.fitR} lead=${profile.leadMs ?? 'n/a'} ms over ${profile.frames} frames\n`);
    return 0;
  }
  const fps = numberFlag(p, 'fps', 1, 240) ?? 25;
  const temperature = numberFlag(p, 'temperature', 0, 1) ?? 0.5;
  const leadMs = numberFlag(p, 'lead-ms', -500, 500);
  const speakerPath = stringFlag(p, 'speaker');
  let speaker: SpeakerProfile | undefined;
  if (speakerPath) {
    speaker = JSON.parse(readFileSync(speakerPath, 'utf8')) as SpeakerProfile;
    if (speaker.format !== 'resync.speaker') throw new UsageError(`${speakerPath} is not a resync.speaker profile`);
  }
  const track = await mouthFromFile(input, { fps, temperature, leadMs, speaker });
  if (track.stats.voicedFraction === 0) {
    process.stderr.write(`resync mouth: warning: ${new ResyncError('generation_no_speech_detected').message} The mouth stays at rest.\n`);
  }
  const json = JSON.stringify(track) + '\n';
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
  const plot = stringFlag(p, 'plot');
  if (plot) {
    const pcm = await decodeAudio(input, { sampleRate: 16000 });
    writeMouthPlot(plot, pcm.samples, pcm.sampleRate, track);
    process.stderr.write(`plot: ${plot} (${Object.entries(PLOT_LEGEND).map(([k, v]) => `${k}: ${v}`).join('; ')})\n`);
  }
  process.stderr.write(`mouth: ${track.frames.length} frames at ${fps} fps, ${track.duration.toFixed(2)} s, voiced ${(track.stats.voicedFraction * 100).toFixed(0)}%, lead ${track.settings.leadMs} ms\n`);
  return 0;
}

/**
 * `resync analyze <video|url> [--out track.json] [--overlay overlay.mp4] [--speaker x,y[@frame]]
 *  [--mesh facemesh|attention] [--json]`: whole-shot face analysis, written as a track file
 * (format resync.track v1, see docs/track-format.md) and optionally drawn over the video.
 */
import { parseArgs, stringFlag, UsageError } from '../args.js';
import { ProgressReporter, pickProgressMode } from '../progress.js';
import { parseSpeaker } from '../speaker.js';
import { openVideoInput } from '../../engine/media/validate.js';
import { analyzeVideo } from '../../engine/face/analyze.js';
import { writeTrack } from '../../engine/face/track-io.js';
import { renderOverlayVideo } from '../../engine/output/overlay-video.js';

export async function analyzeCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ['out', 'overlay', 'speaker', 'mesh', 'max-frames'], booleans: ['json', 'help'] });
  if (p.flags.help) {
    process.stdout.write('usage: resync analyze <video|url> [--out track.json] [--overlay overlay.mp4] [--speaker x,y[@frame]] [--mesh facemesh|attention] [--max-frames N] [--json]\n');
    return 0;
  }
  const input = p.positionals[0];
  if (!input || p.positionals.length > 1) throw new UsageError('give exactly one video path or URL');
  const mesh = stringFlag(p, 'mesh') ?? 'facemesh';
  if (mesh !== 'facemesh' && mesh !== 'attention') throw new UsageError('--mesh must be facemesh or attention');
  const maxFrames = stringFlag(p, 'max-frames') ? Number(stringFlag(p, 'max-frames')) : undefined;
  if (maxFrames !== undefined && !(Number.isInteger(maxFrames) && maxFrames > 0)) throw new UsageError('--max-frames must be a positive integer');
  const speaker = parseSpeaker(stringFlag(p, 'speaker'));
  const json = p.flags.json === true;
  const progress = new ProgressReporter(pickProgressMode(json));

  const opened = await openVideoInput(input);
  try {
    const doc = await analyzeVideo(opened.path, {
      speaker,
      mesh,
      maxFrames,
      onProgress: (u) => progress.update({ stage: u.stage, done: u.frame, total: u.totalFrames }),
    });
    progress.endStage();
    doc.source.path = opened.source;
    const out = stringFlag(p, 'out');
    if (out) await writeTrack(out, doc);
    const overlay = stringFlag(p, 'overlay');
    if (overlay) {
      await renderOverlayVideo(opened.path, opened.info, doc, overlay, (done, total) => progress.update({ stage: 'overlay', done, total }));
      progress.endStage();
    }
    const summary = {
      frames: doc.frames.length,
      fps: Math.round(doc.source.fps * 1000) / 1000,
      shots: doc.shots.length,
      tracks: doc.tracks.length,
      selectedTrackId: doc.selectedTrackId,
      framesWithFace: doc.stats.framesWithFace,
      framesWithSelected: doc.stats.framesWithSelected,
      mouthHiddenFrames: doc.frames.filter((f) => f.faces.some((o) => o.trackId === doc.selectedTrackId && o.mouth.visibility < 0.5)).length,
      seconds: progress.stageTimes,
      ...(out ? { track: out } : {}),
      ...(overlay ? { overlay } : {}),
    };
    if (json) process.stdout.write(JSON.stringify({ type: 'result', ...summary }) + '\n');
    else {
      process.stdout.write(
        `${summary.frames} frames, ${summary.shots} shot(s), ${summary.tracks} track(s); face in ${summary.framesWithFace} frames, ` +
          `selected track ${summary.selectedTrackId ?? 'none'} in ${summary.framesWithSelected}; mouth hidden in ${summary.mouthHiddenFrames}\n`,
      );
      if (out) process.stdout.write(`track: ${out}\n`);
      if (overlay) process.stdout.write(`overlay: ${overlay}\n`);
      if (doc.selectedTrackId === null) process.stdout.write('no face was found in this video\n');
    }
    return 0;
  } finally {
    await opened.cleanup();
  }
}

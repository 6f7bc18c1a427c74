/**
 * Re-indexes a track document onto an output timeline (sync_mode): output frame i carries the
 * analysis of input frame sourceFrames[i]. A new shot starts wherever the input shot changes or
 * the timeline jumps (a loop restarting), so whole-shot planning never smooths across a jump;
 * a bounce turning round or a held frame is continuous and stays in one shot.
 */
import type { Shot, TrackDocument } from '../face/types.js';

export function trackOnTimeline(doc: TrackDocument, sourceFrames: ArrayLike<number>, fps: number): TrackDocument {
  const frames: TrackDocument['frames'] = [];
  const shots: Shot[] = [];
  const selectedByShot: Array<number | null> = [];
  let prev = -1;
  for (let i = 0; i < sourceFrames.length; i++) {
    const s = Math.min(sourceFrames[i], doc.frames.length - 1);
    const fa = doc.frames[s];
    const newInputShot = i > 0 && doc.frames[prev].shot !== fa.shot;
    if (i === 0 || newInputShot || Math.abs(s - prev) > 1) {
      if (shots.length) shots[shots.length - 1].end = i;
      shots.push({ start: i, end: sourceFrames.length, kind: i === 0 ? 'start' : newInputShot ? doc.shots[fa.shot]?.kind ?? 'cut' : 'cut' });
      selectedByShot.push(doc.selectedByShot ? doc.selectedByShot[fa.shot] ?? null : doc.selectedTrackId);
    }
    const time = Math.round((i / fps) * 1e6) / 1e6;
    // an input frame that keeps its place (cut_off, the usual case) is shared, not copied: a long
    // clip's document is one entry a frame, and a copy of each doubled it
    const same = fa.index === i && fa.time === time && fa.shot === shots.length - 1;
    frames.push(same ? fa : { ...fa, index: i, time, shot: shots.length - 1 });
    prev = s;
  }
  return {
    ...doc,
    source: { ...doc.source, fps, frameCount: frames.length, duration: frames.length / fps },
    shots,
    selectedByShot,
    frames,
  };
}

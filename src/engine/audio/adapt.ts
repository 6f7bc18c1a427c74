/**
 * Speaker adaptation: from a video of the person speaking (its own audio plus the mouth the face
 * stage tracked), learn how this person's mouth follows their voice: their rest pose and range in
 * face units, a per-channel linear remap of the general model, and their audio-to-mouth lead.
 * Applied to new audio through MouthOptions.speaker.
 */
import { articulation100 } from './mouth.js';
import type { Articulation } from './articulate.js';
import { Retimer } from './retime.js';
import { MouthModel } from './model.js';
import { loadDefaultModel } from './stream.js';
import { pearson, percentile } from './stats.js';
import type { MouthFrame, SpeakerProfile, FaceMapping } from './types.js';
import type { TrackDocument } from '../face/types.js';

/** The tracked mouth of one face, on the video's frame grid. NaN where not measured. */
export interface MouthSeries {
  fps: number;
  lipGap: number[];
  jaw: number[];
  width: number[];
  visibility: number[];
}

/** The selected track's mouth measures from a face-stage track document. */
export function mouthSeriesFromTrack(doc: TrackDocument): MouthSeries {
  const s: MouthSeries = { fps: doc.source.fps, lipGap: [], jaw: [], width: [], visibility: [] };
  for (const f of doc.frames) {
    const face = f.faces.find((x) => x.trackId === doc.selectedTrackId);
    s.lipGap.push(face ? face.mouth.lipGap : NaN);
    s.jaw.push(face ? face.mouth.jaw : NaN);
    s.width.push(face ? face.mouth.width : NaN);
    s.visibility.push(face ? face.mouth.visibility : 0);
  }
  return s;
}

/** General-model articulation on a video's frame grid with a given lead (untempered). */
export function predictOnGrid(art: Articulation[], fps: number, frames: number, leadMs: number): MouthFrame[] {
  const rt = new Retimer(fps, leadMs);
  const out = rt.push(art);
  out.push(...rt.flush(frames / fps));
  return out.slice(0, frames);
}

const LEAD_RANGE_MS = 200;

/**
 * The lead carried over to new audio. Visible speech moves with or ahead of the sound (onsets up
 * to ~200 ms early), so the search is limited to 0..200 ms: a best fit outside it is the clip's own
 * audio/video offset (which new audio does not share) or noise. Within it the general model's lead
 * is kept unless the speaker's own fits clearly better, because on a few seconds of video the
 * correlation is flat over a wide range of shifts. Found on KatieHill driven by its own voice:
 * the unconstrained fit chose -120 ms and the output mouth trailed the real one by 2-5 frames.
 */
const LEAD_MIN_MS = 0;
const LEAD_MAX_MS = 200;
const LEAD_MARGIN_R = 0.02;

function plausibleLead(rAt: Map<number, number>, generalLead: number): number {
  let best = { lead: generalLead, r: rAt.get(Math.round(generalLead / 10) * 10) ?? -Infinity };
  const general = best.r;
  for (const [lead, r] of rAt) if (lead >= LEAD_MIN_MS && lead <= LEAD_MAX_MS && r > best.r) best = { lead, r };
  return best.r - general >= LEAD_MARGIN_R ? best.lead : generalLead;
}

export function fitSpeakerProfile(samples16k: Float32Array, series: MouthSeries, model: MouthModel = loadDefaultModel()): SpeakerProfile {
  return fitSpeakerProfileTo(articulation100(samples16k, model), series, model);
}

/**
 * The fit itself, from the general model's articulation of the speaker's voice (`articulation100`
 * of the video's own sound with the same model). Split out so a caller can run the model over the
 * sound while the face is still being tracked.
 */
export function fitSpeakerProfileTo(art: Articulation[], series: MouthSeries, model: MouthModel = loadDefaultModel()): SpeakerProfile {
  const n = series.lipGap.length;
  const ok = series.lipGap.map((v, i) => Number.isFinite(v) && series.visibility[i] >= 0.5);
  const pick = (a: ArrayLike<number>): number[] => Array.from(a).filter((_, i) => ok[i]);
  // Alignment: the shift that best lines the general model's lip gap up with the tracked one.
  // The range and gain below are learned at that shift, whatever its cause.
  const rAt = new Map<number, number>();
  let best = { lead: model.weights.leadMs, r: -Infinity };
  for (let lead = -LEAD_RANGE_MS; lead <= LEAD_RANGE_MS; lead += 10) {
    const p = predictOnGrid(art, series.fps, n, lead);
    const r = pearson(pick(p.map((f) => f.lipGap)), pick(series.lipGap));
    rAt.set(lead, r);
    if (r > best.r) best = { lead, r };
  }
  const speakerLead = plausibleLead(rAt, model.weights.leadMs);
  const pred = predictOnGrid(art, series.fps, n, best.lead);
  const voice = pred.map((f) => f.voice);
  const face = {} as FaceMapping;
  const remap = {} as SpeakerProfile['remap'];
  for (const c of ['lipGap', 'jaw', 'width'] as const) {
    const truth = series[c];
    const silent = truth.filter((v, i) => ok[i] && voice[i] < 0.2);
    const vals = pick(truth);
    // Rest: what the face does in pauses; without pauses, the closed end of its range.
    const rest = silent.length >= 10 ? percentile(silent, 50) : percentile(vals, c === 'width' ? 50 : 5);
    const spread = c === 'width' ? (percentile(vals, 95) - percentile(vals, 5)) / 2 : percentile(vals, 95) - rest;
    const scale = Math.max(spread, 1e-3);
    face[c] = { rest: round4(rest), scale: round4(scale) };
    // value' = gain·value + offset·voice, least squares over visible frames.
    let sxx = 0, sxv = 0, svv = 0, sxy = 0, svy = 0;
    for (let i = 0; i < n; i++) {
      if (!ok[i]) continue;
      const x = pred[i][c];
      const v = voice[i];
      const y = (truth[i] - rest) / scale;
      sxx += x * x;
      sxv += x * v;
      svv += v * v;
      sxy += x * y;
      svy += v * y;
    }
    const det = sxx * svv - sxv * sxv;
    let gain = 1;
    let offset = 0;
    if (det > 1e-9) {
      gain = (sxy * svv - svy * sxv) / det;
      offset = (sxx * svy - sxv * sxy) / det;
    }
    // A weak or inverted fit must not flatten or flip the mouth: keep the remap in a sane range.
    gain = Math.min(3, Math.max(0.3, gain));
    offset = Math.min(0.5, Math.max(-0.5, offset));
    remap[c] = { gain: round4(gain), offset: round4(offset) };
  }
  face.source = 'speaker';
  return {
    format: 'resync.speaker',
    version: 1,
    remap,
    face,
    leadMs: best.r >= 0.3 ? speakerLead : null,
    fitR: round4(best.r),
    frames: ok.filter(Boolean).length,
  };
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/**
 * Audio stage hand-off: the "mouth track" (format resync.mouth, version 1). Plain JSON so
 * `resync mouth --out mouth.json` can be read back by the synthesis stage and by people.
 *
 * Values are articulation targets in face-independent units: 0 is the speaker's rest pose and 1
 * their typical wide articulation. `face` says how to turn them into measurements on a
 * particular face (same units as the face stage's MouthMeasures: fractions of the eye distance):
 * measure = rest + value × scale.
 */

export const MOUTH_FORMAT = 'resync.mouth';
export const MOUTH_VERSION = 1;

export const CHANNELS = ['lipGap', 'jaw', 'width', 'closure', 'labiodental'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface MouthFrame {
  /** Seconds: the frame's presentation time on the output grid (index / fps). */
  t: number;
  /** Inner-lip opening, 0 (lips together / rest) .. 1 (wide open); may exceed 1 slightly. */
  lipGap: number;
  /** Jaw opening, 0 (rest) .. 1. */
  jaw: number;
  /** Mouth width relative to rest: -1 rounded (oo) .. 0 neutral .. +1 spread (ee). */
  width: number;
  /** Lips pressed together for p/b/m, 0..1. */
  closure: number;
  /** Lower lip against the upper teeth for f/v, 0..1. */
  labiodental: number;
  /** Voice activity, 0..1 (0: silence, the mouth should rest). */
  voice: number;
}

/** How the unitless channels map to one face (MouthMeasures units: fractions of eye distance). */
export interface FaceMapping {
  lipGap: { rest: number; scale: number };
  jaw: { rest: number; scale: number };
  width: { rest: number; scale: number };
  /** Where the mapping came from: 'general' defaults or 'speaker' (learned from the video). */
  source: 'general' | 'speaker';
}

export interface MouthTrack {
  format: typeof MOUTH_FORMAT;
  version: typeof MOUTH_VERSION;
  fps: number;
  /** Seconds of audio covered. */
  duration: number;
  /** Settings that shaped the values, so a track can be reproduced. */
  settings: {
    temperature: number;
    /** How far the mouth leads the sound, ms (applied: frame t shows audio at t + lead). */
    leadMs: number;
    model: string;
    speakerAdapted: boolean;
  };
  face: FaceMapping;
  frames: MouthFrame[];
  stats: {
    /** Fraction of frames with voice ≥ 0.5. */
    voicedFraction: number;
  };
}

/** Per-speaker adjustment learned from a video of that person speaking (see adapt.ts). */
export interface SpeakerProfile {
  format: 'resync.speaker';
  version: 1;
  /** Per-channel linear remap of the general model's value: value' = gain·value + offset. */
  remap: Record<'lipGap' | 'jaw' | 'width', { gain: number; offset: number }>;
  face: FaceMapping;
  /** Lead measured on this speaker (ms), or null when the fit was too weak to trust. */
  leadMs: number | null;
  /** Correlation of the general model with this speaker's tracked lip gap (diagnostic). */
  fitR: number;
  frames: number;
}

export interface MouthOptions {
  /** Output frame rate (any positive value: 23.976, 25, 29.97, 60...). Default 25. */
  fps?: number;
  /** Expressiveness 0..1, default 0.5: scales deviation from rest (0.5 = as modelled). */
  temperature?: number;
  /** Overrides the model's lead, ms. */
  leadMs?: number;
  speaker?: SpeakerProfile;
}

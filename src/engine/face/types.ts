/**
 * Face stage hand-off: the "track file" (format resync.track, version 1). Everything here is plain
 * JSON so `resync analyze --out track.json` can be read back by later stages and by people.
 * Coordinates are pixels in the display-oriented frame; angles are radians.
 */

export const TRACK_FORMAT = 'resync.track';
export const TRACK_VERSION = 1;

/** [x, y, width, height] in pixels. */
export type Box = [number, number, number, number];

export interface Pose {
  /** Turn left/right; 0 is frontal. */
  yaw: number;
  /** Nod up/down. */
  pitch: number;
  /** In-plane tilt. */
  roll: number;
}

/**
 * Mouth measurements taken from the (smoothed) mesh, normalised by the inter-ocular distance so
 * they compare across face sizes. These are the ground truth the audio stage learns from.
 */
export interface MouthMeasures {
  /** Inner-lip gap (upper inner lip to lower inner lip, centre), / eye distance. */
  lipGap: number;
  /** Nose tip to chin, / eye distance (grows when the jaw opens). */
  jaw: number;
  /** Mouth corner to corner, / eye distance. */
  width: number;
  /** 0 = mouth hidden or not trustworthy (turned away, occluded), 1 = clearly visible. */
  visibility: number;
  /** Why visibility is low, when it is: 'profile' | 'occluded' | 'low-confidence' | 'out-of-frame'. */
  hiddenReason?: string;
}

export interface FaceObservation {
  trackId: number;
  box: Box;
  /** Detection/mesh confidence 0..1. */
  score: number;
  /**
   * Flat [x0, y0, z0, x1, y1, z1, ...] mesh as the model gave it (468 or 478 points), rounded to
   * 0.1 px. Held as 32-bit floats outside the JS heap: a whole clip's meshes are most of the
   * document, and as plain arrays they cost 23 KB a frame of V8 heap (1 GB for 30 min at 25 fps).
   * Track files store them as JSON arrays (track-io.ts). A generation keeps them in a temporary
   * file instead, read back on access (mesh-store.ts, stored-face.ts): the property may be a getter.
   */
  mesh: Float32Array;
  /** Same layout after whole-shot zero-phase smoothing. */
  meshSmoothed?: Float32Array;
  pose: Pose;
  mouth: MouthMeasures;
}

export interface FrameAnalysis {
  index: number;
  /** Seconds on the processing grid (index / fps). */
  time: number;
  /** Index into `shots`. */
  shot: number;
  /** Faces found in this frame (empty when none: never an error). */
  faces: FaceObservation[];
}

export interface Shot {
  /** First frame (inclusive). */
  start: number;
  /** Last frame (exclusive). */
  end: number;
  /** How this shot began. */
  kind: 'start' | 'cut' | 'fade';
}

export interface FaceTrackSummary {
  id: number;
  shot: number;
  firstFrame: number;
  lastFrame: number;
  /** Frames where this track has an observation. */
  frames: number;
  meanBox: Box;
}

/** How to choose the person to sync (Sync's active_speaker_detection semantics). */
export type SpeakerSelection =
  | { mode: 'auto' }
  | { mode: 'point'; x: number; y: number; frame: number }
  | { mode: 'boxes'; boxes: Record<number, Box> };

export interface TrackDocument {
  format: typeof TRACK_FORMAT;
  version: typeof TRACK_VERSION;
  source: {
    path: string;
    width: number;
    height: number;
    fps: number;
    frameCount: number;
    duration: number;
    rotation: number;
  };
  settings: {
    mesh: 'facemesh' | 'attention';
    speaker: SpeakerSelection;
    smoothing: { method: string; [k: string]: unknown };
  };
  shots: Shot[];
  tracks: FaceTrackSummary[];
  /** Track chosen by the speaker selection; null when no face was found anywhere. */
  selectedTrackId: number | null;
  /** The chosen track in each shot (index = shot), null where a shot has no face. */
  selectedByShot?: Array<number | null>;
  frames: FrameAnalysis[];
  stats: {
    framesWithFace: number;
    framesWithSelected: number;
    /** Seconds spent, by step. */
    timings: Record<string, number>;
  };
}

export interface AnalyzeProgress {
  stage: string;
  frame: number;
  totalFrames: number;
}

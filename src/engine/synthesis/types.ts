/**
 * Synthesis stage hand-offs (sample-based lip sync, Video Rewrite / Synthesizing Obama family).
 * Everything here is plain data that can be written to JSON and read back: a plan can be made,
 * dumped, inspected and rendered later.
 */

/** What the audio stage asks the mouth to do on one output frame, in MouthMeasures units (/ eye distance). */
export interface MouthTarget {
  lipGap: number;
  jaw: number;
  width: number;
  /** 0..1: how strongly the lips must be shut (p/b/m). */
  closure?: number;
}

/**
 * The targets of a run of output frames, index = frame (undefined: no target, the frame is left as
 * it is). An array is one; generation computes them from the mouth track on demand instead of
 * holding an object a frame (generate/targets.ts).
 */
export interface TargetList {
  readonly length: number;
  at(frame: number): MouthTarget | undefined;
  slice(start: number, end: number): Array<MouthTarget | undefined>;
}

/** One usable source frame of the shot: its mouth, described so targets and neighbours can be compared. */
export interface MouthCandidate {
  /** Frame index in the track document (= decoded frame index). */
  frame: number;
  lipGap: number;
  jaw: number;
  width: number;
  /** Lip points (outer then inner ring) in the face-aligned frame, flat [x0, y0, x1, y1, ...], / eye distance. */
  shape: number[];
  /** Head pose of the source frame (radians); a candidate turned differently from the target warps badly. */
  yaw: number;
  pitch: number;
}

export const PASS_REASONS = ['no-target', 'no-face', 'occluded', 'profile', 'low-visibility', 'no-candidates'] as const;
export type PassReason = (typeof PASS_REASONS)[number];

/** Per output frame: either the source frame whose mouth is rendered in, or why the frame is left as it is. */
export type PlanEntry =
  | {
      frame: number;
      action: 'edit';
      /** Frame index of the chosen source mouth (may equal `frame`). */
      source: number;
      /** Unary (match) cost of the chosen candidate; lower is better. */
      matchCost: number;
      /** Transition cost paid to arrive at this choice from the previous frame's choice. */
      transitionCost: number;
      /** Extra inner-lip opening (/ eye distance) to synthesise because no open mouth exists in the shot; 0 normally. */
      openBy: number;
      /**
       * Set on the frames right after a jump: morph towards the mouth that would have come next
       * without the jump (`source`), with this weight, so the change is spread over frames instead of popping.
       */
      blend?: { source: number; weight: number };
      /**
       * Edit strength 0..1 (absent = 1): frames next to a passed-through stretch fade the edit in
       * and out so the mouth does not snap back to the original in one frame.
       */
      strength?: number;
    }
  | { frame: number; action: 'pass'; reason: PassReason };

/** Lower-face warp model shared by all frames of a shot: which mesh points move and how they are triangulated. */
export interface ShotGeometry {
  /** Mesh point indices used as warp control points (lower face). */
  points: number[];
  /** How strongly each control point follows the source mouth (1) or stays at the target's own position (0). */
  follow: number[];
  /**
   * Extra control points outside the face contour (so the chin/neck strip can stretch): each is
   * mesh point `base[i]` pushed away from the mouth centre by `push` (fraction of its distance).
   */
  outerBase: number[];
  outerPush: number;
  /** Triangles over [points..., outer points...] as index triples into that combined list. */
  triangles: number[];
  /** Mask polygon (mesh point indices, in order) around the lower face. */
  maskLoop: number[];
}

export interface ShotPlan {
  shot: number;
  start: number;
  end: number;
  /** Number of usable candidate mouths found in the shot. */
  candidates: number;
  /** Largest lip gap among the candidates (a closed-mouth shot has no open samples). */
  maxCandidateGap: number;
  /** 10th–90th percentile range of the candidates' lip gaps (a still photo's is 0). */
  candidateGapSpread: number;
  /** True when the shot has no opening to borrow (all shut, or all alike): the opener makes it. */
  opener: boolean;
  geometry: ShotGeometry | null;
}

export interface SynthesisPlan {
  format: 'resync.synthesis-plan';
  version: 1;
  trackId: number | null;
  width: number;
  height: number;
  shots: ShotPlan[];
  /** One entry per output frame (index = frame). */
  entries: PlanEntry[];
  stats: { edited: number; passed: number; occluded: number; noFace: number; jumps: number; meanMatchCost: number; planMs: number };
}

export interface PlanOptions {
  /** Mouth visibility below this passes the frame through (default 0.5). */
  minVisibility?: number;
  /** Candidates kept per frame in the dynamic programme (default 12). */
  beam?: number;
  /** Weights of the unary match cost. */
  weights?: Partial<MatchWeights>;
  /** Cost of jumping to a non-consecutive source frame (default 0.06). */
  jumpCost?: number;
  /** Cost of holding the same source frame (default 0.008): a frozen mouth looks dead. */
  holdCost?: number;
  /** Weight of the lip-shape difference across a jump (default 0.5). */
  shapeJumpWeight?: number;
  /**
   * 'absolute' (default): targets are used as given. 'fit-bank': each shot's targets are first
   * mapped onto the range of its candidate mouths (see target-fit.ts); not applied to closed-mouth shots.
   */
  targetScale?: 'absolute' | 'fit-bank';
  /** Frames over which an edit fades out into / in from a passed-through stretch (default 2). */
  fadeFrames?: number;
  /** Cost bonus for keeping a frame's own mouth when it fits the target (default 0.01). */
  selfBonus?: number;
  /** Morph across jumps between non-consecutive source frames (default true). */
  morphJumps?: boolean;
  /** A shot whose largest candidate lip gap is below this is treated as closed-mouth footage (default 0.12). */
  openGapThreshold?: number;
  /**
   * A shot whose candidates' lip gaps span less than this (10th–90th percentile, / eye distance)
   * is treated the same way, however open they are: a still photo, an expression held (default 0.03).
   */
  minGapSpread?: number;
  /**
   * The lip gap the targets show at rest (the mouth track's face mapping). In closed-mouth footage
   * the shown mouth is the person's rest, whatever its own gap, so the opening added is the
   * target's excess over this. Without it, the target is reached from the shown mouth's own gap.
   */
  restLipGap?: number;
}

export interface MatchWeights {
  lipGap: number;
  width: number;
  jaw: number;
  /** Penalty per unit of candidate lip gap when the target asks for closure. */
  closure: number;
  /** Penalty per radian of yaw/pitch difference between candidate and target frame. */
  pose: number;
}

/** Per-frame report row (what happened to each output frame). */
export interface FrameReport {
  frame: number;
  action: 'edit' | 'pass';
  reason?: PassReason;
  source?: number;
  matchCost?: number;
  openBy?: number;
  /** Pixels changed (inside the mask's bounding region). */
  changedRegion?: [number, number, number, number];
  renderMs?: number;
}

/**
 * MediaPipe face-mesh indices this stage relies on (same numbering for the 468-point facemesh and
 * the 478-point attention mesh; 468..477 are the iris points of the latter).
 */
export const LM = {
  /** Outer eye corners: the eye distance every measure is normalised by, and the roll axis. */
  rightEyeOuter: 33,
  leftEyeOuter: 263,
  rightEyeInner: 133,
  leftEyeInner: 362,
  foreheadTop: 10,
  chin: 152,
  noseTip: 1,
  /** Inner lips, centre: the lip gap. */
  upperLipInner: 13,
  lowerLipInner: 14,
  upperLipOuter: 0,
  lowerLipOuter: 17,
  mouthCornerRight: 61,
  mouthCornerLeft: 291,
} as const;

export const LIPS_UPPER_OUTER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291];
export const LIPS_LOWER_OUTER = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291];
export const LIPS_UPPER_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
export const LIPS_LOWER_INNER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308];

/** Face oval, for drawing and for the mouth-out-of-frame check. */
export const FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109];

/** Every lip point (outer, inner and the two semi rings the attention model refines). */
export const LIP_POINTS: readonly number[] = [
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409,
  78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13, 312, 311, 310, 415,
  76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306, 184, 74, 73, 72, 11, 302, 303, 304, 408,
  62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292, 183, 42, 41, 38, 12, 268, 271, 272, 407,
];

/** The attention model's 80 lip outputs, in output order (from MediaPipe's refinement config). */
export const ATTENTION_LIPS = LIP_POINTS;

/**
 * Points that move with the skull only (forehead, nose bridge, eye corners, temples, cheekbones):
 * used to measure jitter after removing head motion, and smoothed more strongly.
 */
export const RIGID_POINTS: readonly number[] = [10, 151, 9, 8, 168, 6, 197, 195, 5, 4, 1, 33, 133, 263, 362, 127, 356, 234, 454, 70, 300, 105, 334, 107, 336, 116, 345, 123, 352];

/** Jaw/chin points: move with speech, but less than lips. */
export const JAW_POINTS: readonly number[] = [152, 148, 176, 149, 150, 136, 172, 58, 377, 400, 378, 379, 365, 397, 288, 175, 199, 200, 18, 32, 262, 140, 369, 171, 396];

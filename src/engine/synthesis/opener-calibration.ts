/**
 * How far to part the lips to show a requested extra lip gap. Lip gaps are in the face tracker's
 * units (the targets and the candidate measures both come from it), and the tracker reads a painted
 * opening as smaller than its geometric size: thin dark slits barely register. Measured by rendering
 * openings on closed-mouth frames and re-tracking them (Katie Hill 512², PC-AVS 00473 224², the
 * suite's face-photo clip 400×480), median of 5 frames each, minus the closed-mouth reading:
 *
 *   geometric opening  0.06   0.09   0.12   0.15   0.20   0.25   0.30
 *   tracked increase   0.012  0.025  0.038  0.058  0.11   0.175  0.214
 *
 * The inverse of that curve maps a requested gap (tracker units) to the opening to draw, so the
 * rendered mouth measures what was asked. Beyond the table the slope is taken as 1.
 */

const TRACKED = [0, 0.012, 0.025, 0.038, 0.058, 0.11, 0.175, 0.214];
const GEOMETRIC = [0, 0.06, 0.09, 0.12, 0.15, 0.2, 0.25, 0.3];

/** Geometric opening (/ eye distance) that the tracker reads as `gap` more than the closed mouth. */
export function openingForGap(gap: number): number {
  if (!(gap > 0)) return 0;
  const n = TRACKED.length;
  if (gap >= TRACKED[n - 1]) return GEOMETRIC[n - 1] + (gap - TRACKED[n - 1]);
  let i = 1;
  while (TRACKED[i] < gap) i++;
  const t = (gap - TRACKED[i - 1]) / (TRACKED[i] - TRACKED[i - 1]);
  return GEOMETRIC[i - 1] + t * (GEOMETRIC[i] - GEOMETRIC[i - 1]);
}

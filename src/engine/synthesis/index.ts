/**
 * Synthesis stage (sample-based lip sync, Video Rewrite / Synthesizing Obama family).
 *
 * Plan (planVideo, mesh data only): per shot, a bank of the selected person's visible mouths; per
 * output frame the K best by match to the audio's mouth target (plus continuations of the previous
 * frame's choices); Viterbi over the whole shot with transition costs that favour running through
 * consecutive source frames; morphs across the remaining jumps; fades next to passed-through frames;
 * synthetic opening for closed-mouth footage.
 *
 * Render (renderFrame / renderVideo, per frame): target geometry = the target frame's own lower-face
 * mesh points moved towards the chosen source's mouth (aligned by a similarity on stable points,
 * each point by its follow weight); piecewise-affine warp of the source's lower face into it over a
 * fixed per-shot triangulation; low-frequency gain-map colour match on the surrounding skin;
 * optional painted mouth opening; feathered-mask blend. Pixels outside the mask stay bit-identical.
 */
export * from './types.js';
export { planVideo, planShot, matchCost, DEFAULT_WEIGHTS } from './plan.js';
export { buildCandidateBank, selectedFace, workingMesh } from './candidates.js';
export { buildShotGeometry, frameControlPoints, targetControlPoints } from './geometry.js';
export { renderFrame, sourceRegion, cropPatch, wholeFramePatch, type RenderOptions, type RenderResult, type SourceMouth } from './render.js';
export { renderVideo, summariseReports, type RenderedFrame } from './stream.js';
export { warpTriangles, type RgbPatch } from './warp.js';
export { buildReport, type SynthesisReport } from './report.js';
export { contactSheet, type SheetCell } from './contact-sheet.js';
export { CropStore } from './crop-store.js';
export { fitTargetsToBank } from './target-fit.js';
export { writePreview, type PreviewOptions } from './preview.js';

/** Synthesis stage (sample-based lip sync): plan which source mouth goes where, then render it in. */
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

/**
 * Face analysis entry point: video in, track document out.
 *
 * Streaming: frames come one at a time from ffmpeg at native size and are transferred (not
 * copied) to a pool of two workers; only landmarks are kept. The main thread owns tracking: each
 * frame is sent with the ROI of every live track (from the latest finished frame; up to
 * IN_FLIGHT frames are in the pipeline, so the ROI can be a frame or two old, which the 1.5x ROI
 * margin absorbs). The full detector runs at shot starts (hard cuts are detected on the fly from
 * frame statistics), when a track is lost, and every `detectEvery` frames to pick up new faces.
 * After the pass: shots (cuts + fades), track linking, whole-shot zero-phase mesh smoothing,
 * pose, mouth measures with visibility (incl. occlusion), speaker selection.
 */
import { probeMedia } from '../media/probe.js';
import { decodeVideoFrames, decodedFrameBytes } from '../media/decode-video.js';
import { BufferPool } from '../media/buffer-pool.js';
import type { RgbFrame as VideoFrame } from '../media/types.js';
import { ResyncError } from '../errors.js';
import type { FacePool } from './pool.js';
import { acquireFacePool, type FacePoolCache, type FacePoolLease } from './pool-cache.js';
import type { MediaInfo } from '../media/types.js';
import { MESH_INPUT, type Roi } from './mesh-runner.js';
import type { FrameResult } from './worker.js';
import { unpackPatch, type MouthPatch } from './appearance.js';
import { frameStats, ShotDetector } from './shots.js';
import { linkTracks, shotOfFrame, summarizeTracks, type LinkFrame } from './tracks.js';
import { DEFAULT_SMOOTHING, SMOOTHING_METHOD, smoothMeshRunStreaming, type SmoothingParams } from './smoothing.js';
import { headPose, mouthMeasures, YAW_SOFT } from './measures.js';
import { trackOcclusion } from './occlusion.js';
import { selectSpeaker } from './speaker.js';
import { toTrackPrecision } from './track-io.js';
import { MemoryMeshStore, type MeshStore } from './mesh-store.js';
import { FaceTable, StoredFace } from './stored-face.js';
import {
  TRACK_FORMAT,
  TRACK_VERSION,
  type AnalyzeProgress,
  type Box,
  type FaceObservation,
  type FrameAnalysis,
  type Pose,
  type SpeakerSelection,
  type TrackDocument,
} from './types.js';

export interface AnalyzeOptions {
  speaker?: SpeakerSelection;
  /** 'facemesh' (468 points, default) or 'attention' (478 points, refined lips and irises). */
  mesh?: 'facemesh' | 'attention';
  onProgress?: (p: AnalyzeProgress) => void;
  maxFrames?: number;
  /** Worker threads (default 2). */
  workers?: number;
  /** Run the detector at least every this many frames (default 30). */
  detectEvery?: number;
  smoothing?: Partial<SmoothingParams>;
  /**
   * Decode at this fraction of the native size. 'auto' (default): look at the first frame and
   * shrink so the smallest face's mesh crop is still >= 1.25x the mesh model's 192 px input
   * (no loss for the mesh, much less decode/convert/transfer work for large faces in big frames).
   * Results are always in native pixels.
   */
  decodeScale?: number | 'auto';
  /** Take the face workers from (and give them back to) this cache of warm pools instead of starting new ones. */
  pools?: FacePoolCache;
  /**
   * Face workers the caller acquired beforehand (so they load while it does other work). The
   * analysis owns the lease from here on and releases it as it would its own; `pools` is then unused.
   */
  lease?: FacePoolLease;
  /** The input's probe, when the caller has it already (saves a second ffprobe run). */
  info?: MediaInfo;
  /**
   * Where the meshes are kept (default: in memory). A generation passes a FileMeshStore so a long
   * clip's meshes wait on disk instead of in memory; the document then reads them from it, and
   * the caller disposes of the store once it is done with the document.
   */
  meshes?: MeshStore;
}

/** Meshes below this confidence are not faces (the model's face flag is ~1 on faces, ~0 off them). */
export const MIN_MESH_SCORE = 0.5;
const IN_FLIGHT_PER_WORKER = 1;

interface Obs {
  trackId: number;
  box: Box;
  score: number;
  /** The model's mesh, in the mesh store. */
  meshKey: number;
  /** The mouth-region appearance (packed by the worker, appearance.ts), in the mesh store too. */
  patchKey: number;
  /** After the pass: the smoothed mesh's key, the head pose from it, and the occlusion evidence. */
  smoothKey: number;
  pose?: Pose;
  occlusion?: number;
}

interface Live {
  roi: Roi;
  epoch: number;
}

function meshBox(mesh: Float32Array): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const n = Math.min(468, mesh.length / 3);
  for (let i = 0; i < n; i++) {
    const x = mesh[i * 3], y = mesh[i * 3 + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const r = (v: number): number => Math.round(v * 10) / 10;
  return [r(x0), r(y0), r(x1 - x0), r(y1 - y0)];
}

function roundInPlace(m: Float32Array): Float32Array {
  for (let k = 0; k < m.length; k++) m[k] = toTrackPrecision(m[k]);
  return m;
}

function roisOverlap(a: Roi, b: Roi): boolean {
  return Math.hypot(a.cx - b.cx, a.cy - b.cy) < 0.35 * Math.max(a.size, b.size);
}

/** What the first look at the video found: the decode scale and the faces (ROIs in native pixels). */
interface FirstLook {
  scale: number;
  rois: Roi[];
}

/**
 * Decode scale from the first frame's faces (1 when there is none: small faces need every pixel).
 * `firstScale` is the size the first frame was decoded at, relative to native.
 */
async function firstLook(pool: FacePool, first: Promise<VideoFrame | null>, firstScale: number): Promise<FirstLook> {
  const fr = await first;
  if (!fr) return { scale: 1, rois: [] };
  const res = await pool.run({ width: fr.width, height: fr.height, data: fr.data, detect: true, rois: [] });
  const rois = res.meshes.filter((m) => m.score >= MIN_MESH_SCORE).map((m) => scaleRoi(m.next, 1 / firstScale));
  if (!rois.length) return { scale: 1, rois };
  return { scale: Math.min(1, Math.max(0.25, (1.25 * MESH_INPUT) / Math.min(...rois.map((r) => r.size)))), rois };
}

function scaleRoi(r: Roi, s: number): Roi {
  return { cx: r.cx * s, cy: r.cy * s, size: r.size * s, angle: r.angle };
}

/**
 * The size the first frame is looked at to choose the decode scale. Frames of 720p and more are
 * halved: the detector sees the whole frame at 256 px either way, and a face that needs the full
 * size (decode scale 1) still measures at least twice the mesh input there. At 1080p this takes
 * ~0.1 s off the start of every analysis (a quarter of the pixels to convert, transfer and search).
 */
function firstFrameScale(width: number, height: number): number {
  return Math.min(width, height) >= 720 ? 0.5 : 1;
}

/** A frame size scaled by `scale`, rounded to even numbers (what the decoder's scaler is asked for). */
function evenScaled(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: Math.max(2, 2 * Math.round((width * scale) / 2)), height: Math.max(2, 2 * Math.round((height * scale) / 2)) };
}

/** The first frame (at `scale` of native size), decoded while the workers load their models. */
async function decodeFirstFrame(path: string, width: number, height: number, scale: number): Promise<VideoFrame | null> {
  const scaleTo = scale < 1 ? { scaleTo: evenScaled(width, height, scale) } : {};
  for await (const fr of decodeVideoFrames(path, { width, height, maxFrames: 1, ...scaleTo })) return fr;
  return null;
}

export async function analyzeVideo(path: string, opts: AnalyzeOptions = {}): Promise<TrackDocument> {
  const t0 = performance.now();
  let video: NonNullable<MediaInfo['video']>;
  try {
    const info = opts.info ?? (await probeMedia(path, { role: 'video' }));
    if (!info.video) throw new ResyncError('generation_input_video_invalid', `no video stream in ${path}`);
    video = info.video;
  } catch (e) {
    // a lease handed in is ours to give back, even when the analysis stops before using it
    await opts.lease?.release(opts.lease.pool.healthy);
    throw e;
  }
  const { width, height, fps, frameCount, rotation } = video;
  const mesh = opts.mesh ?? 'facemesh';
  const speaker = opts.speaker ?? { mode: 'auto' };
  const detectEvery = opts.detectEvery ?? 30;
  const totalFrames = opts.maxFrames ? Math.min(opts.maxFrames, frameCount) : frameCount;
  const progress = (stage: string, frame: number): void => opts.onProgress?.({ stage, frame, totalFrames });

  const lease: FacePoolLease = opts.lease ?? acquireFacePool(mesh, opts.workers ?? 2, opts.pools);
  const store = opts.meshes ?? new MemoryMeshStore();
  const pool = lease.pool;
  let clean = false;
  const timings: Record<string, number> = {};
  const obsByFrame: Obs[][] = [];
  // Shot boundaries are found as the frames stream past; it holds only the last few thumbnails.
  const shotDetector = new ShotDetector();
  const live = new Map<number, Live>();
  let nextTrack = 0;
  let epoch = 0;
  let needDetect = true;
  let lastDetect = -Infinity;
  // Frames dispatched with a detection whose results are not applied yet.
  const pendingDetects = new Set<number>();
  const results = new Map<number, Promise<{ res: FrameResult; epoch: number }>>();
  let nextToApply = 0;
  // Results are applied in frame order at fixed points of the dispatch loop (never when a worker
  // happens to finish), so the tracking state a frame is dispatched with, and so the whole
  // analysis, is the same on every run whatever the machine's load.
  const applyUpTo = async (last: number): Promise<void> => {
    while (nextToApply <= last && results.has(nextToApply)) {
      const d = await results.get(nextToApply)!;
      results.delete(nextToApply);
      pendingDetects.delete(nextToApply);
      apply(nextToApply, d.res, d.epoch);
      nextToApply++;
    }
  };
  let scale = 1;
  let workerDetectMs = 0, workerMeshMs = 0, decodeWait = 0, detectFrames = 0;
  // Frame buffers go round: decoder → worker (transferred) → back with the result → decoder.
  let framePool: BufferPool | null = null;

  const apply = (index: number, res: FrameResult, ep: number): void => {
    framePool?.give(res.frame);
    const out: Obs[] = [];
    const current = ep === epoch;
    for (const m of res.meshes) {
      if (m.score < MIN_MESH_SCORE) {
        if (m.key >= 0 && current) {
          live.delete(m.key);
          needDetect = true;
        }
        continue;
      }
      let id = m.key;
      if (id < 0) {
        // a detection: skip it when a live track already covers that face
        if (current && [...live.values()].some((l) => roisOverlap(l.roi, m.next))) continue;
        id = nextTrack++;
      }
      if (current) {
        // two tracks converging on one face: keep the older one
        const clash = [...live.entries()].find(([k, l]) => k !== id && roisOverlap(l.roi, m.next));
        if (clash && clash[0] < id) {
          live.delete(id);
          continue;
        }
        live.set(id, { roi: m.next, epoch: ep });
      }
      if (scale !== 1) for (let k = 0; k < m.mesh.length; k++) m.mesh[k] /= scale;
      out.push({ trackId: id, box: meshBox(m.mesh), score: Math.round(m.score * 1000) / 1000, meshKey: store.put(m.mesh), patchKey: store.put(m.patch), smoothKey: -1 });
    }
    obsByFrame[index] = out;
    workerDetectMs += res.ms.detect;
    workerMeshMs += res.ms.mesh;
    progress('analyze', index + 1);
  };

  const tLoop = performance.now();
  try {
    const auto = opts.decodeScale === undefined || opts.decodeScale === 'auto';
    // Model loading (~0.25 s) and the first-frame decode (~0.1–0.3 s) overlap: short clips are
    // dominated by this start-up.
    const firstScale = firstFrameScale(width, height);
    const first = auto ? decodeFirstFrame(path, width, height, firstScale) : Promise.resolve(null);
    first.catch(() => {}); // surfaces in chooseScale
    await pool.ready();
    timings.loadModels = (performance.now() - tLoop) / 1000;
    const look = auto ? await firstLook(pool, first, firstScale) : { scale: Math.min(1, opts.decodeScale as number), rois: [] };
    scale = look.scale;
    const { width: dw, height: dh } = evenScaled(width, height, scale);
    if (scale < 1) scale = dw / width;
    // The faces of the first look are tracks from the start: frame 0 is tracked from them instead
    // of searched again, and frame 1 need not wait for that search (both workers start at once).
    for (const roi of look.rois) live.set(nextTrack++, { roi: scaleRoi(roi, scale), epoch });
    if (live.size) {
      needDetect = false;
      lastDetect = 0;
    }
    timings.decodeScale = scale;
    // Frame i is tracked from the state after frame i - lag: lag frames are in flight at once.
    const lag = pool.size * IN_FLIGHT_PER_WORKER;
    let tWait = performance.now();
    const decodeOpts = { width, height, maxFrames: opts.maxFrames, nominalFps: fps, ...(scale < 1 ? { scaleTo: { width: dw, height: dh } } : {}) };
    framePool = new BufferPool(decodedFrameBytes(decodeOpts), lag + 4);
    for await (const frame of decodeVideoFrames(path, { ...decodeOpts, pool: framePool })) {
      decodeWait += performance.now() - tWait;
      if (shotDetector.push(frameStats(frame.width, frame.height, frame.data))) {
        epoch++;
        live.clear();
        needDetect = true;
      }
      await applyUpTo(frame.index - lag);
      // when the only way to get a face is a detection already under way, wait for it instead of
      // racing a second detection on the other worker
      if (live.size === 0 && pendingDetects.size > 0) await applyUpTo(frame.index - 1);
      const detect = needDetect || live.size === 0 || frame.index - lastDetect >= detectEvery;
      if (detect) {
        lastDetect = frame.index;
        needDetect = false;
        pendingDetects.add(frame.index);
        detectFrames++;
      }
      const rois = [...live.entries()].map(([key, l]) => ({ key, roi: l.roi }));
      const ep = epoch;
      const pending = pool.run({ width: frame.width, height: frame.height, data: frame.data, detect, rois }).then((res) => ({ res, epoch: ep }));
      pending.catch(() => {}); // a failure surfaces when applyUpTo awaits it, not as an unhandled rejection
      results.set(frame.index, pending);
      tWait = performance.now();
    }
    await applyUpTo(Infinity);
    clean = true;
  } finally {
    await lease.release(clean);
  }
  const nFrames = shotDetector.count;
  timings.track = (performance.now() - tLoop) / 1000 - (timings.loadModels ?? 0);
  timings.decodeWait = decodeWait / 1000;
  timings.workerDetect = workerDetectMs / 1000;
  timings.workerMesh = workerMeshMs / 1000;
  timings.detectFrames = detectFrames;

  // shots, then tracks split/linked per shot
  const tPost = performance.now();
  progress('shots', nFrames);
  const shots = shotDetector.finish();
  const link: LinkFrame<Obs>[] = [];
  for (let i = 0; i < nFrames; i++) link.push({ index: i, shot: shotOfFrame(shots, i), faces: obsByFrame[i] ?? [] });
  linkTracks(link);
  const tracks = summarizeTracks(link);

  // smoothing per track, over runs of consecutive frames within its shot
  progress('smooth', nFrames);
  const params: SmoothingParams = { ...DEFAULT_SMOOTHING, ...opts.smoothing };
  // Smoothed meshes are stored at the document's 0.1 px precision as they are made, in 32-bit
  // floats: pose and mouth measures are taken from exactly the mesh a track file would give back,
  // and a long clip's analysis does not hold a double-precision copy of every frame (types.ts).
  // Each mesh is used while it is at hand (pose now, the model's mesh rounded once smoothing has
  // read it the last time). These passes read every frame's arrays through one buffer each
  // (store.read): an array a frame left for the collector cost 230 MB of peak memory at 10 min.
  const byTrack = new Map<number, { frame: number; obs: Obs }[]>();
  for (const f of link) for (const o of f.faces) {
    const list = byTrack.get(o.trackId) ?? [];
    list.push({ frame: f.index, obs: o });
    byTrack.set(o.trackId, list);
  }
  let raw: Float32Array | undefined;
  let rounded = new Float32Array(0);
  for (const list of byTrack.values()) {
    let start = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i === list.length || list[i].frame !== list[i - 1].frame + 1) {
        const run = list.slice(start, i);
        smoothMeshRunStreaming(
          run.length,
          (t) => (raw = store.read(run[t].obs.meshKey, raw)),
          (t, sm) => {
            if (rounded.length !== sm.length) rounded = new Float32Array(sm.length);
            for (let k = 0; k < sm.length; k++) rounded[k] = toTrackPrecision(sm[k]);
            run[t].obs.pose = headPose(rounded);
            run[t].obs.smoothKey = store.putCopy(rounded);
          },
          params,
          (t, m) => store.replace(run[t].obs.meshKey, roundInPlace(m)),
        );
        start = i;
      }
    }
  }

  // occlusion (per track), mouth measures
  progress('measures', nFrames);
  const patch = { buf: undefined as Float32Array | undefined, out: undefined as MouthPatch | undefined };
  const patchAt = (obs: Obs): MouthPatch => (patch.out = unpackPatch((patch.buf = store.read(obs.patchKey, patch.buf)), patch.out));
  for (const list of byTrack.values()) {
    const usable = list.map((r) => r.obs.score >= 0.7 && Math.abs(r.obs.pose!.yaw) < YAW_SOFT);
    const { occlusion: occ } = trackOcclusion((k) => patchAt(list[k].obs), list.length, usable);
    // appearance is only comparable at poses like the reference frames; turned faces are
    // handled by the profile rule instead
    list.forEach((r, k) => {
      if (Math.abs(r.obs.pose!.yaw) < YAW_SOFT) r.obs.occlusion = occ[k];
    });
  }
  let smooth: Float32Array | undefined;
  const table = store instanceof MemoryMeshStore ? undefined : new FaceTable(store);
  const frames: FrameAnalysis[] = link.map((f) => ({
    index: f.index,
    time: Math.round((f.index / fps) * 1e6) / 1e6,
    shot: f.shot,
    faces: f.faces.map((o): FaceObservation => {
      const pose = o.pose!;
      smooth = store.read(o.smoothKey, smooth);
      const mouth = mouthMeasures(smooth, pose, { score: o.score, frameWidth: width, frameHeight: height, occlusion: o.occlusion });
      // in memory, the arrays themselves (a track file's plain face); else read from the store on access
      if (!table) return { trackId: o.trackId, box: o.box, score: o.score, mesh: store.get(o.meshKey), meshSmoothed: store.get(o.smoothKey), pose, mouth };
      return new StoredFace(table, o.meshKey, o.smoothKey, { trackId: o.trackId, box: o.box, score: o.score, pose, mouth });
    }),
  }));

  const sel = selectSpeaker(link, tracks, shots.length, speaker, width, height);
  const selectedSet = new Set(sel.selectedByShot.filter((x): x is number => x !== null));
  timings.post = (performance.now() - tPost) / 1000;
  timings.total = (performance.now() - t0) / 1000;
  progress('done', nFrames);
  const doc: TrackDocument & { selectedByShot: (number | null)[] } = {
    format: TRACK_FORMAT,
    version: TRACK_VERSION,
    source: { path, width, height, fps, frameCount: nFrames, duration: nFrames / fps, rotation },
    settings: { mesh, speaker, smoothing: { method: SMOOTHING_METHOD, ...params } },
    shots,
    tracks,
    selectedTrackId: sel.selectedTrackId,
    selectedByShot: sel.selectedByShot,
    frames,
    stats: {
      framesWithFace: frames.filter((f) => f.faces.length > 0).length,
      framesWithSelected: frames.filter((f) => f.faces.some((x) => selectedSet.has(x.trackId))).length,
      timings,
    },
  };
  return doc;
}

/**
 * `generate`: the product. Video + new speech in, the same video with the chosen person's lower
 * face re-rendered to follow the speech out. Stages, in order:
 *   inputs → face analysis (whole video) → speaker adaptation (the video's own voice and mouth)
 *   → mouth targets from the new audio → output timeline (sync_mode) → whole-shot plan
 *   → render + encode (streaming: frames and crops in bounded memory) → report.
 */
import { openAudioInput, openVideoInput, type OpenInputOptions, type OpenedInput } from '../media/validate.js';
import { VideoEncoder, DEFAULT_PRESET, type X264Preset } from '../media/encode.js';
import { DEFAULT_CRF } from '../media/encode-args.js';
import type { Rect, RgbFrame, VideoFrame } from '../media/types.js';
import { isPlanarYuv, yuvMatrix } from '../media/yuv.js';
import { BufferPool } from '../media/buffer-pool.js';
import { decodedFrameBytes } from '../media/decode-video.js';
import { ResyncError } from '../errors.js';
import { analyzeVideo } from '../face/analyze.js';
import { FileMeshStore } from '../face/mesh-store.js';
import { sweepStaleTempDirs, type TempFile } from '../temp-dirs.js';
import type { SpeakerSelection, TrackDocument } from '../face/types.js';
import { articulation100FromFile, mouthFromFile } from '../audio/mouth.js';
import { PackedMouthTrack } from '../audio/packed-track.js';
import { fitSpeakerProfileTo, mouthSeriesFromTrack } from '../audio/adapt.js';
import type { Articulation } from '../audio/articulate.js';
import type { SpeakerProfile } from '../audio/types.js';
import type { MouthModel } from '../audio/model.js';
import { acquireFacePool, type FacePoolCache, type FacePoolLease } from '../face/pool-cache.js';
import { loadDefaultModel } from '../audio/stream.js';
import { planVideo } from '../synthesis/plan.js';
import { renderVideo } from '../synthesis/stream.js';
import { CropStore } from '../synthesis/crop-store.js';
import type { PlanOptions, SynthesisPlan } from '../synthesis/types.js';
import { MouthTargets } from './targets.js';
import { RenderLog } from './render-log.js';
import { planTimeline, type SyncMode, type Timeline } from './timeline.js';
import { trackOnTimeline } from './timeline-track.js';
import { timelineFrames } from './frame-source.js';
import { composeSegmentSound, segmentSoundChannels, validateSegments, type SegmentSpec, type ResolvedSegment } from './segments.js';
import { MODEL_SETTINGS, type ModelName } from './models.js';
import { buildReport, type GenerateReport } from './report.js';

const SR = 16000;

export interface GenerateOptions {
  /** Video (or still image) path or URL. */
  video: string;
  /** Speech path or URL. With `segments`, the audio inputs are `audioInputs` instead. */
  audio?: string;
  output: string;
  model?: ModelName;
  syncMode?: SyncMode;
  /** 0..1, default 0.5. */
  temperature?: number;
  speaker?: SpeakerSelection;
  /** Different audio for different time ranges of the video (Sync's segments). */
  segments?: SegmentSpec[];
  /** refId → path or URL, for segments. */
  audioInputs?: Record<string, string>;
  preset?: X264Preset;
  crf?: number;
  /**
   * Always write 8-bit 4:2:0 H.264, which every player plays: input deeper than 8 bits is then
   * converted through RGB instead of keeping its depth and chroma in HEVC. Default false.
   */
  h264Only?: boolean;
  /** Input fetching/validation options (URL policy, limits). */
  input?: OpenInputOptions;
  /** Overrides of the synthesis planner's settings (experiments and benchmarks). */
  plan?: Partial<PlanOptions>;
  /**
   * The audio-to-mouth model (default: the shipped weights). Benchmarks pass one trained without
   * the speakers they score, so a clip is never judged by a model that learned from it.
   */
  mouthModel?: MouthModel;
  /** Warm face-worker pools to analyse with (long-running processes; see face/pool-cache.ts). */
  facePools?: FacePoolCache;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface GenerateResult {
  output: string;
  report: GenerateReport;
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const model = opts.model ?? 'sync-3';
  const settings = MODEL_SETTINGS[model];
  if (!settings) throw new ResyncError('invalid_argument', `unknown model "${model}"`);
  const temperature = opts.temperature ?? 0.5;
  if (!(temperature >= 0 && temperature <= 1)) throw new ResyncError('invalid_argument', 'temperature must be between 0 and 1');
  const progress = opts.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      timings[name] = Math.round((timings[name] ?? 0) * 1000 + performance.now() - t) / 1000;
    }
  };

  const opened: OpenedInput[] = [];
  // the composed sound of segments (closed at the end like the inputs)
  const temps: TempFile[] = [];
  // What jobs killed mid-way left in the temporary directory goes first (temp-dirs.ts).
  await sweepStaleTempDirs();
  if (opts.input?.tempDir) await sweepStaleTempDirs(opts.input.tempDir);
  // The clip's face meshes wait in a temporary file, not in memory: they are what would grow
  // with the clip's length (bench memory), and plan and render need a shot's or a frame's at a time.
  const meshes = new FileMeshStore();
  // The face workers start loading their models (~0.3 s) now, while the inputs are checked and
  // the sound is decoded; the analysis takes them over.
  let lease: FacePoolLease | undefined = acquireFacePool(settings.mesh, 2, opts.facePools);
  try {
    // The video and a single speech track are checked (probe and trial decode) at the same time;
    // both are settled before an error is thrown, so whatever either fetched is cleaned up.
    // Segments need the video's length, so their speech is composed after it.
    const [videoOpen, speechOpen] = await time('inputs', () =>
      Promise.allSettled([
        openVideoInput(opts.video, { ...opts.input, allowImage: true }).then((o) => (opened.push(o), o)),
        opts.segments ? undefined : loadSpeech(opts, opened, temps),
      ]),
    );
    if (videoOpen.status === 'rejected') throw videoOpen.reason;
    if (speechOpen.status === 'rejected') throw speechOpen.reason;
    const video = videoOpen.value;
    const v = video.info.video!;
    const still = video.info.isStillImage;

    // New speech: one track, or segments laid over the video's own sound.
    const speech = speechOpen.value ?? (await time('inputs', () => loadSpeech(opts, opened, temps, video)));

    const handed = lease;
    lease = undefined; // the analysis releases it
    const analysis = time('analyze', () =>
      analyzeVideo(video.path, { info: video.info, lease: handed, speaker: opts.speaker, mesh: settings.mesh, meshes, onProgress: (p) => progress('analyze', p.frame, p.totalFrames) }),
    );
    analysis.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled

    // Speaker adaptation: the video's own voice and tracked mouth teach the person's range and
    // timing. The voice side (the general model over the video's sound, main-thread work) runs
    // now, while the workers load their models and the first frame is looked at; only the fit
    // waits for the tracked mouth.
    const mouthModel = opts.mouthModel ?? loadDefaultModel();
    const ownArt = video.info.audio && !still ? await time('adapt', () => ownArticulation(video.path, mouthModel)) : undefined;

    const doc = await analysis;
    if (doc.selectedTrackId === null) throw new ResyncError('generation_no_face_detected', 'no face was found in the video');
    const fps = doc.source.fps;
    const profile = ownArt ? await time('adapt', () => adaptToSpeaker(ownArt, doc, mouthModel)) : undefined;

    // The mouth the new speech asks for, streamed from its file (segments: the composed sound's
    // file) into the model, so its samples are never held whole (a minute is 3.8 MB).
    // held packed while the clip renders (packed-track.ts); the report gets the plain track back
    const mouth = new PackedMouthTrack(await time('mouth', () => mouthFromFile(speech.path, { fps, temperature, speaker: profile }, mouthModel)));
    if (mouth.duration < MIN_SPEECH_SECONDS) throw new ResyncError('generation_input_audio_invalid', 'the audio is shorter than 50 ms');
    progress('mouth', 1, 1);

    let timeline: Timeline;
    let segments: ResolvedSegment[] | undefined;
    if (opts.segments) {
      segments = validateSegments(opts.segments, doc.frames.length / fps, Object.keys(opts.audioInputs ?? {}), fps);
      const src = Int32Array.from({ length: doc.frames.length }, (_, i) => i);
      timeline = { mode: 'cut_off', fps, sourceFrames: src, duration: src.length / fps, audioUsed: src.length / fps };
    } else {
      timeline = planTimeline({ mode: opts.syncMode ?? 'cut_off', videoFrames: doc.frames.length, fps, audioDuration: mouth.duration, stillImage: still });
    }
    const n = timeline.sourceFrames.length;

    const targets = new MouthTargets(mouth, n, segments);

    const vdoc = trackOnTimeline(doc, timeline.sourceFrames, fps);
    const planned = settings.chunkSeconds ? splitShots(vdoc, Math.max(1, Math.round(settings.chunkSeconds * fps))) : vdoc;
    // Targets are mapped onto the range of mouths the person shows in each shot ('fit-bank'). With
    // mouth models that never heard the speaker (scripts/experiment-plan.ts, 25 split cases), the
    // chosen mouths follow the real mouth at r 0.359 with it and 0.320 with targets as given.
    const planOptions: PlanOptions = { beam: settings.beam, targetScale: 'fit-bank', restLipGap: mouth.face.lipGap.rest, ...opts.plan };
    const plan: SynthesisPlan = await time('plan', () => planVideo(planned, targets, planOptions));
    progress('plan', 1, 1);

    const rows = new RenderLog(n);
    const crops = new CropStore();
    await time('render', async () => {
      // 8-bit 4:2:0 input (nearly all video) and 10/12-bit input (HDR phone footage, 4:2:2 cameras,
      // masters) are rendered on their own planes (media/yuv.ts): no whole-frame colour conversion,
      // and every sample outside the edit reaches the encoder as decoded (deeper: x265, so the
      // output keeps the input's depth and chroma).
      const pf = v.pixelFormat;
      const planar = isPlanarYuv(pf) && (pf === 'yuv420p' || !opts.h264Only) ? pf : undefined;
      const yuv420p = planar ? yuvMatrix(v) : undefined;
      const enc = await VideoEncoder.open({
        inputFormat: planar ?? 'rgb24',
        output: opts.output,
        width: v.width,
        height: v.height,
        frameRate: still ? String(fps) : v.frameRate,
        preset: opts.preset ?? DEFAULT_PRESET,
        crf: opts.crf ?? DEFAULT_CRF,
        color: v,
        // The sound stops where the timeline says (cut_off trims a longer voice to the video);
        // segments' sound is composed to the video's length.
        audio: opts.segments ? speech.encode : { ...speech.encode, duration: timeline.audioUsed },
        shortest: false,
      });
      try {
        const decode = { width: v.width, height: v.height, nominalFps: fps, exact: true, yuvFormat: planar };
        // Frames go round: once the encoder has its copy of a frame, the decoder refills the buffer.
        const pool = new BufferPool(decodedFrameBytes({ ...decode, yuv420p }));
        const open = (): AsyncIterable<VideoFrame> => timelineFrames(video.path, timeline.sourceFrames, fps, { decode: { ...decode, yuv420p, pool } });
        // source mouths are cut from RGB decodes of just the region they lie in
        const openRegion = (region: Rect): AsyncIterable<RgbFrame> => timelineFrames(video.path, timeline.sourceFrames, fps, { decode: { ...decode, region } });
        for await (const r of renderVideo(planned, plan, open, { openRegionFrames: openRegion, crops })) {
          await enc.write(r.frame);
          pool.give(r.frame.data);
          rows.add(r.report);
          progress('render', rows.count, n);
        }
        await enc.finish();
      } catch (e) {
        await enc.abort();
        throw e;
      }
    });

    const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
    const storage = { cropPeakMB: mb(crops.peakBytes), cropsSpilled: crops.spills, cropSpillMB: mb(crops.spilledBytes), meshFileMB: mb(meshes.bytes) };
    const report = buildReport({ model, settings, timeline, doc, vdoc: planned, plan, rows, mouth, targets, profile, timings, storage, output: opts.output, inputSize: { width: v.width, height: v.height } });
    return { output: opts.output, report };
  } finally {
    // an input failed before the analysis took the workers
    meshes.dispose();
    if (lease) await lease.release(lease.pool.healthy);
    for (const o of opened) await o.cleanup();
    for (const t of temps) t.close();
  }
}

/** Speech shorter than this is refused (nothing to lip-sync). */
const MIN_SPEECH_SECONDS = 0.05;

/**
 * The new speech as a file the mouth model and the encoder read as streams: the speech input, or
 * with segments, their sound composed over the video's own into temporary files (16 kHz mono for
 * the mouth model; 48 kHz for the output, stereo when any of its sources is), added to `temps`.
 */
interface Speech {
  path: string;
  encode: { path: string };
}

async function loadSpeech(opts: GenerateOptions, opened: OpenedInput[], temps: TempFile[], video?: OpenedInput): Promise<Speech> {
  if (opts.segments) {
    if (!video) throw new Error('segments are composed once the video is open');
    const paths: Record<string, string> = {};
    const channels: Array<number | undefined> = [video.info.audio?.channels];
    for (const [ref, src] of Object.entries(opts.audioInputs ?? {})) {
      const a = await openAudioInput(src, opts.input);
      opened.push(a);
      paths[ref] = a.path;
      channels.push(a.info.audio?.channels);
    }
    const duration = video.info.duration;
    const segments = validateSegments(opts.segments, duration, Object.keys(paths), video.info.video?.fps ?? 25);
    // the video's own sound is the bed between the segments
    const compose = { duration, original: video.info.audio ? video.path : undefined, segments, audio: paths, parent: opts.input?.tempDir };
    const sound16 = await composeSegmentSound({ sampleRate: SR, ...compose });
    temps.push(sound16);
    // the output keeps stereo where the video's sound or a segment's has it; the mouth model hears mono
    const sound48 = await composeSegmentSound({ sampleRate: 48000, channels: segmentSoundChannels(channels), ...compose });
    temps.push(sound48);
    return { path: sound16.path, encode: { path: sound48.path } };
  }
  if (!opts.audio) throw new ResyncError('invalid_argument', 'an audio input is required');
  const a = await openAudioInput(opts.audio, opts.input);
  opened.push(a);
  // known from the container before any decoding; the decoded length is checked again
  if (a.info.duration !== undefined && a.info.duration < MIN_SPEECH_SECONDS) throw new ResyncError('generation_input_audio_invalid', 'the audio is shorter than 50 ms');
  return { path: a.path, encode: { path: a.path } };
}

/**
 * The general model's articulation of the video's own sound, streamed from the file. A sound
 * track that does not decode only costs the adaptation (the new speech drives the mouth either
 * way), so it is not an error.
 */
async function ownArticulation(videoPath: string, model: MouthModel): Promise<Articulation[] | undefined> {
  try {
    return await articulation100FromFile(videoPath, model);
  } catch (e) {
    if (e instanceof ResyncError) return undefined;
    throw e;
  }
}

function adaptToSpeaker(ownArt: Articulation[], doc: TrackDocument, model: MouthModel): SpeakerProfile | undefined {
  const series = mouthSeriesFromTrack(doc);
  const visible = series.visibility.filter((x) => x >= 0.5).length;
  // Too little visible speech to learn from: the general model is the safer choice.
  if (visible < doc.source.fps * 1.5) return undefined;
  return fitSpeakerProfileTo(ownArt, series, model);
}

/** Splits shots into chunks of at most `maxLen` frames (chunked models plan each chunk alone). */
function splitShots(doc: TrackDocument, maxLen: number): TrackDocument {
  const shots: TrackDocument['shots'] = [];
  const sel: Array<number | null> = [];
  const frames = doc.frames.map((f) => ({ ...f }));
  doc.shots.forEach((s, k) => {
    for (let a = s.start; a < s.end; a += maxLen) {
      shots.push({ start: a, end: Math.min(s.end, a + maxLen), kind: a === s.start ? s.kind : 'cut' });
      sel.push(doc.selectedByShot ? doc.selectedByShot[k] ?? null : doc.selectedTrackId);
      for (let i = a; i < Math.min(s.end, a + maxLen); i++) frames[i].shot = shots.length - 1;
    }
  });
  return { ...doc, shots, selectedByShot: sel, frames };
}

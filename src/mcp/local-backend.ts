/**
 * The in-process backend behind `resync mcp` over stdio: generations run through the engine in
 * this process with the API's semantics (create answers PENDING at once, one job at a time in the
 * background, get polls it). Each generation and asset lives in its own folder under `dataDir`
 * with a JSON record, so a restarted server still lists and serves earlier results; a job that was
 * running when the process stopped is marked FAILED on load.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate, type GenerateOptions } from '../engine/generate/generate.js';
import { MODELS, MODEL_SETTINGS } from '../engine/generate/models.js';
import { probeMedia } from '../engine/media/probe.js';
import { resolveInput } from '../engine/media/input.js';
import type { X264Preset } from '../engine/media/encode.js';
import { checkTextProvider, speakToFile } from '../engine/tts/speak.js';
import { ttsProviders, type TtsProviders } from '../engine/tts/config.js';
import type { TtsVoice } from '../engine/tts/types.js';
import { jobSpecFrom, toApiError, type JobSpec } from './job-spec.js';
import { overallPercent } from './progress.js';
import type { LipsyncBackend, UploadSource } from './backend.js';
import { ApiError, TERMINAL_STATUSES, type Asset, type CostEstimate, type CreateGenerationBody, type Generation, type GenerationStatus, type MediaBytes, type ModelInfo } from './types.js';

export interface LocalBackendOptions {
  /** Where generations and assets are kept. */
  dataDir: string;
  /** x264 preset for outputs (default DEFAULT_PRESET, 'veryfast'; tests use 'ultrafast'). */
  preset?: X264Preset;
  tts?: TtsProviders;
  /** Replaces the engine (tests of queueing and errors). */
  generateFn?: typeof generate;
  /** Accept local paths as inputs (default true: stdio on the user's own machine). */
  allowLocalPaths?: boolean;
}

interface Job {
  gen: Generation;
  spec?: JobSpec;
  dir: string;
  output?: string;
  speech?: string;
}

const MIME: Record<string, string> = { '.mp4': 'video/mp4', '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.flac': 'audio/flac', '.m4a': 'audio/mp4' };

export class LocalBackend implements LipsyncBackend {
  readonly allowsLocalPaths: boolean;
  private readonly jobs = new Map<string, Job>();
  private readonly assets = new Map<string, Asset>();
  private queue: Promise<void> = Promise.resolve();
  private readonly loaded: Promise<void>;

  constructor(private readonly opts: LocalBackendOptions) {
    this.allowsLocalPaths = opts.allowLocalPaths ?? true;
    this.loaded = this.load();
  }

  /** Resolves when every queued job has finished (tests, orderly shutdown). */
  async idle(): Promise<void> {
    await this.loaded;
    let q: Promise<void>;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  async createGeneration(body: CreateGenerationBody): Promise<Generation> {
    await this.loaded;
    let spec: JobSpec;
    try {
      spec = jobSpecFrom(body, { asset: (id) => this.assets.get(id), allowLocalPaths: this.allowsLocalPaths });
      if ('text' in spec.audio) await checkTextProvider(spec.audio.text, this.tts());
    } catch (e) {
      throw toApiError(e);
    }
    const id = randomUUID();
    const dir = join(this.opts.dataDir, 'generations', id);
    await mkdir(dir, { recursive: true });
    const gen: Generation = {
      id,
      createdAt: new Date().toISOString(),
      status: 'PENDING',
      model: spec.model,
      input: body.input,
      options: { sync_mode: spec.syncMode, temperature: spec.temperature, ...(body.options?.active_speaker_detection ? { active_speaker_detection: body.options.active_speaker_detection } : {}) },
      outputUrl: null,
      outputDuration: null,
      synthesizedAudioUrl: null,
      error: null,
      errorCode: null,
      progress_percent: 0,
    };
    const job: Job = { gen, spec, dir };
    this.jobs.set(id, job);
    await this.save(job);
    this.queue = this.queue.then(() => this.run(job));
    return structuredClone(gen);
  }

  async getGeneration(id: string): Promise<Generation> {
    return structuredClone((await this.find(id)).gen);
  }

  async listGenerations(query: { status?: GenerationStatus[]; limit?: number }): Promise<Generation[]> {
    await this.loaded;
    let all = [...this.jobs.values()].map((j) => j.gen).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (query.status?.length) all = all.filter((g) => query.status!.includes(g.status));
    return structuredClone(all.slice(0, query.limit ?? 100));
  }

  async deleteGeneration(id: string): Promise<void> {
    const job = await this.find(id);
    if (!TERMINAL_STATUSES.includes(job.gen.status)) {
      throw new ApiError(409, 'generation_not_deletable_while_processing', `generation ${id} is ${job.gen.status}; only finished generations can be deleted`);
    }
    this.jobs.delete(id);
    await rm(job.dir, { recursive: true, force: true });
  }

  async estimateCost(query: { model: string; duration?: number; body?: CreateGenerationBody }): Promise<CostEstimate> {
    await this.loaded;
    if (!(MODELS as readonly string[]).includes(query.model)) throw new ApiError(400, 'generation_unsupported_model', `model must be one of ${MODELS.join(', ')}`);
    let duration = query.duration;
    if (duration === undefined && query.body) {
      const spec = (() => {
        try {
          return jobSpecFrom({ ...query.body!, model: query.model }, { asset: (id) => this.assets.get(id), allowLocalPaths: this.allowsLocalPaths });
        } catch (e) {
          throw toApiError(e);
        }
      })();
      // The output follows the audio (cut_off trims to the shorter; close enough for an estimate).
      if ('source' in spec.audio) {
        const r = await resolveInput(spec.audio.source, 'audio').catch((e) => {
          throw toApiError(e);
        });
        try {
          duration = (await probeMedia(r.path)).duration;
        } finally {
          await r.cleanup();
        }
      } else {
        // ~14 characters per second of espeak speech at its default rate.
        duration = Math.max(1, spec.audio.text.script.length / 14);
      }
    }
    if (duration === undefined || !(duration > 0)) throw new ApiError(422, 'cost_estimate_unavailable', 'give a duration (seconds) or an audio input to estimate from');
    return { estimatedFrameCount: Math.ceil(duration * 25), estimatedGenerationCost: 0 };
  }

  async listModels(): Promise<ModelInfo[]> {
    return MODELS.map((name) => ({ name, description: MODEL_SETTINGS[name].description, imageInput: name === 'sync-3', ...(name === 'sync-3' ? { default: true } : {}) }));
  }

  async uploadAsset(src: UploadSource): Promise<Asset> {
    await this.loaded;
    const given = [src.path, src.url, src.data].filter((x) => x !== undefined).length;
    if (given !== 1) throw new ApiError(400, 'generation_input_validation_failed', 'upload exactly one of path, url or data');
    if (src.path !== undefined && !this.allowsLocalPaths) throw new ApiError(400, 'generation_input_validation_failed', 'local paths are not accepted here; send the bytes');
    const id = randomUUID();
    const dir = join(this.opts.dataDir, 'assets', id);
    await mkdir(dir, { recursive: true });
    try {
      const name = safeName(src.name ?? (src.path ? basename(src.path) : src.url ? basename(new URL(src.url).pathname) : 'upload'));
      const file = join(dir, name || 'upload');
      if (src.data) await writeFile(file, src.data);
      else if (src.path) await copyFile(src.path, file).catch((e) => {
        throw new ApiError(400, 'generation_input_validation_failed', `cannot read ${src.path}: ${(e as Error).message}`);
      });
      else {
        const r = await resolveInput(src.url!, src.type === 'AUDIO' ? 'audio' : 'video').catch((e) => {
          throw toApiError(e);
        });
        try {
          await copyFile(r.path, file);
        } finally {
          await r.cleanup();
        }
      }
      const info = await probeMedia(file).catch(() => {
        throw new ApiError(400, 'generation_input_validation_failed', `"${name}" is not a video, image or audio file`);
      });
      const type: Asset['type'] = info.isStillImage ? 'IMAGE' : info.video ? 'VIDEO' : info.audio ? 'AUDIO' : (() => {
        throw new ApiError(400, 'generation_input_validation_failed', `"${name}" has no video or audio stream`);
      })();
      if (src.type && src.type !== type) throw new ApiError(400, 'generation_input_asset_type_mismatch', `"${name}" is ${type}, not ${src.type}`);
      const asset: Asset = {
        id,
        createdAt: new Date().toISOString(),
        name,
        type,
        url: pathToFileURL(file).href,
        size: (await stat(file)).size,
        format: extname(file).slice(1) || info.formatName,
        durationSeconds: type === 'IMAGE' ? null : info.duration,
        width: info.video?.width ?? null,
        height: info.video?.height ?? null,
      };
      await writeFile(join(dir, 'asset.json'), JSON.stringify(asset, null, 1));
      this.assets.set(id, asset);
      return structuredClone(asset);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw toApiError(e);
    }
  }

  async listAssets(limit = 100): Promise<Asset[]> {
    await this.loaded;
    return structuredClone([...this.assets.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit));
  }

  async listVoices(provider?: string): Promise<TtsVoice[]> {
    try {
      return await this.tts().get(provider).listVoices();
    } catch (e) {
      throw toApiError(e);
    }
  }

  async readMedia(id: string, kind: 'output' | 'synthesized-audio'): Promise<MediaBytes> {
    const job = await this.find(id);
    const path = kind === 'output' ? job.output : job.speech;
    if (!path || (kind === 'output' && job.gen.status !== 'COMPLETED')) {
      throw new ApiError(404, 'generation_not_found', kind === 'output' ? `generation ${id} has no output yet (status ${job.gen.status})` : `generation ${id} has no synthesised audio`);
    }
    return { data: await readFile(path), mimeType: MIME[extname(path)] ?? 'application/octet-stream' };
  }

  private tts(): TtsProviders {
    return this.opts.tts ?? ttsProviders();
  }

  private async find(id: string): Promise<Job> {
    await this.loaded;
    const j = this.jobs.get(id);
    if (!j) throw new ApiError(404, 'generation_not_found', `no generation "${id}"`);
    return j;
  }

  private async run(job: Job): Promise<void> {
    const spec = job.spec!;
    const gen = job.gen;
    if (!this.jobs.has(gen.id)) return;
    gen.status = 'PROCESSING';
    await this.save(job);
    const progress = (stage: string, done: number, total: number): void => {
      gen.progress_percent = Math.max(gen.progress_percent ?? 0, overallPercent(stage, done, total));
    };
    try {
      let audio: string;
      if ('text' in spec.audio) {
        progress('tts', 0, 1);
        const spoken = await speakToFile(spec.audio.text, job.dir, 'synthesized-audio', { providers: this.tts() });
        job.speech = spoken.path;
        gen.synthesizedAudioUrl = pathToFileURL(spoken.path).href;
        audio = spoken.path;
      } else {
        audio = spec.audio.source;
      }
      const output = join(job.dir, `${spec.outputFileName ?? 'output'}.mp4`);
      const options: GenerateOptions = {
        video: spec.visual,
        audio,
        output,
        model: spec.model,
        syncMode: spec.syncMode,
        temperature: spec.temperature,
        speaker: spec.speaker,
        preset: this.opts.preset,
        onProgress: progress,
      };
      const { report } = await (this.opts.generateFn ?? generate)(options);
      job.output = output;
      gen.outputUrl = pathToFileURL(output).href;
      gen.outputDuration = report.output.duration;
      gen.status = 'COMPLETED';
      gen.progress_percent = 100;
    } catch (e) {
      const err = toApiError(e);
      gen.status = 'FAILED';
      gen.error = err.message;
      gen.errorCode = err.errorCode;
      delete gen.progress_percent;
    }
    await this.save(job).catch(() => undefined);
  }

  private async save(job: Job): Promise<void> {
    const record = { generation: job.gen, output: job.output ?? null, speech: job.speech ?? null };
    await writeFile(join(job.dir, 'generation.json'), JSON.stringify(record, null, 1));
  }

  private async load(): Promise<void> {
    for (const id of await readdir(join(this.opts.dataDir, 'generations')).catch(() => [] as string[])) {
      const dir = join(this.opts.dataDir, 'generations', id);
      try {
        const rec = JSON.parse(await readFile(join(dir, 'generation.json'), 'utf8')) as { generation: Generation; output: string | null; speech: string | null };
        const job: Job = { gen: rec.generation, dir, output: rec.output ?? undefined, speech: rec.speech ?? undefined };
        if (!TERMINAL_STATUSES.includes(job.gen.status)) {
          job.gen.status = 'FAILED';
          job.gen.error = 'the server stopped while this generation was running';
          job.gen.errorCode = 'generation_pipeline_failed';
          delete job.gen.progress_percent;
          await this.save(job);
        }
        this.jobs.set(id, job);
      } catch {
        // A folder without a readable record is an interrupted create: nothing to list.
      }
    }
    for (const id of await readdir(join(this.opts.dataDir, 'assets')).catch(() => [] as string[])) {
      try {
        const a = JSON.parse(await readFile(join(this.opts.dataDir, 'assets', id, 'asset.json'), 'utf8')) as Asset;
        if (a.url.startsWith('file://')) await stat(fileURLToPath(a.url));
        this.assets.set(id, a);
      } catch {
        // Missing record or file: the asset is gone.
      }
    }
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 120);
}

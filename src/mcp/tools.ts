/**
 * The MCP tools, mirroring Sync's MCP server (names and arguments from @sync.so/mcp-server):
 * a flat `create-lipsync`, the generation tools generated from Sync's OpenAPI
 * (`generate_create-generation`, `generate_get-generation`, `generate_get-generations`,
 * `generations_delete`, `generate_estimate-cost`, `models_get`, `assets_get-all`), `upload-media`,
 * and `voices_get-all` for the text-to-speech voices. Every result is structured
 * (`structuredContent`) with a JSON text copy; failures are tool errors whose text starts with
 * the API's errorCode and message; every call is bounded in time.
 */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { LipsyncBackend } from './backend.js';
import { bodyFromFlatArgs } from './flat-args.js';
import { toApiError } from './job-spec.js';
import { outputResourceUri, speechResourceUri } from './resources.js';
import { ApiError, TERMINAL_STATUSES, type CreateGenerationBody, type Generation } from './types.js';
import { MODELS } from '../engine/generate/models.js';
import { SYNC_MODES } from '../engine/generate/timeline.js';

/** No tool call runs longer than this; long work is a generation the caller polls. */
export const TOOL_TIMEOUT_MS = 120_000;
/** Longest `wait` a get-generation call may ask for: under the SDK clients' default 60 s request timeout. */
export const MAX_WAIT_SECONDS = 50;

const STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'REJECTED'] as const;

const media = {
  videoUrl: z.string().optional().describe('Video to lip-sync, http(s) URL'),
  videoPath: z.string().optional().describe('Video to lip-sync, absolute local path (stdio server only)'),
  videoAssetId: z.string().optional().describe('Video to lip-sync, an asset id from upload-media'),
  imageUrl: z.string().optional().describe('Still image (JPEG/PNG/WebP) to animate instead of a video, http(s) URL; sync-3 only'),
  imagePath: z.string().optional().describe('Still image, absolute local path (stdio server only)'),
  imageAssetId: z.string().optional().describe('Still image, an asset id from upload-media'),
  audioUrl: z.string().optional().describe('Speech, http(s) URL'),
  audioPath: z.string().optional().describe('Speech, absolute local path (stdio server only)'),
  audioAssetId: z.string().optional().describe('Speech, an asset id from upload-media'),
  script: z.string().max(5000).optional().describe('Text to speak instead of audio (text-to-speech)'),
  voiceId: z.string().optional().describe('Voice for the script: for espeak a language tag such as en, en-us, fr, de, es, cmn, ja (kana); see voices_get-all'),
  ttsProvider: z.string().optional().describe('Text-to-speech provider (default "espeak", offline); hosted ones exist only when configured'),
};

const generationShape = {
  id: z.string(),
  createdAt: z.string(),
  status: z.enum(STATUSES),
  model: z.string(),
  input: z.array(z.record(z.string(), z.unknown())),
  options: z.record(z.string(), z.unknown()),
  outputUrl: z.string().nullable(),
  outputDuration: z.number().nullable(),
  synthesizedAudioUrl: z.string().nullable(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  progress_percent: z.number().optional(),
};

// Loose: a server may add fields (segments, webhookUrl, outputMediaUrl, ...) and clients check
// structured results against this schema.
const generation = z.looseObject(generationShape);

function ok(structured: Record<string, unknown>, text?: string, extra: CallToolResult['content'] = []): CallToolResult {
  return { structuredContent: structured, content: [{ type: 'text', text: text ? `${text}\n${JSON.stringify(structured)}` : JSON.stringify(structured) }, ...extra] };
}

/**
 * A tool error: the API's errorCode and message as text, and as JSON on the second line. No
 * structuredContent: clients check it against the tool's output schema even on errors.
 */
function fail(e: unknown): CallToolResult {
  const err = toApiError(e);
  return { isError: true, content: [{ type: 'text', text: `${err.errorCode} (HTTP ${err.statusCode}): ${err.message}\n${JSON.stringify({ error: err.toJSON() })}` }] };
}

/** Runs a tool body with a time limit, turning every failure into a tool error. */
async function guarded(f: () => Promise<CallToolResult>): Promise<CallToolResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError(504, 'controller_timeout', `the call took longer than ${TOOL_TIMEOUT_MS / 1000} s`)), TOOL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([f(), timeout]);
  } catch (e) {
    return fail(e);
  } finally {
    clearTimeout(timer);
  }
}

function links(g: Generation): CallToolResult['content'] {
  const out: CallToolResult['content'] = [];
  if (g.status === 'COMPLETED') out.push({ type: 'resource_link', uri: outputResourceUri(g.id), name: `${g.id}.mp4`, mimeType: 'video/mp4', description: 'the lip-synced video' });
  if (g.synthesizedAudioUrl) out.push({ type: 'resource_link', uri: speechResourceUri(g.id), name: `${g.id}-speech`, description: 'the synthesised speech' });
  return out;
}

function describe(g: Generation): string {
  if (g.status === 'COMPLETED') return `Generation ${g.id} is COMPLETED (${g.outputDuration?.toFixed(2)} s). Read the video at ${outputResourceUri(g.id)}.`;
  if (g.status === 'FAILED' || g.status === 'REJECTED') return `Generation ${g.id} ${g.status}: ${g.errorCode}: ${g.error}`;
  return `Generation ${g.id} is ${g.status}${g.progress_percent !== undefined ? ` (${g.progress_percent}%)` : ''}. Poll generate_get-generation with this id (wait up to ${MAX_WAIT_SECONDS} s per call).`;
}

export function registerTools(server: McpServer, backend: LipsyncBackend): void {
  const created = (g: Generation): CallToolResult => ok(g as unknown as Record<string, unknown>, describe(g));

  server.registerTool(
    'create-lipsync',
    {
      title: 'Create a lip-sync generation',
      description:
        'Lip-sync a video (or animate a still image) to speech. Give one visual (video or image, by URL, local path or asset id) and either audio (URL, path or asset id) or a script with a voice. ' +
        'Returns the generation at once (status PENDING); poll generate_get-generation with its id until COMPLETED or FAILED, then read the output resource.',
      inputSchema: {
        ...media,
        model: z.enum(MODELS).optional().describe('Default sync-3 for images, lipsync-2 for video'),
        sync_mode: z.enum(SYNC_MODES).optional().describe('What to do when video and audio lengths differ (default cut_off)'),
        temperature: z.number().min(0).max(1).optional().describe('How expressive the mouth is, 0..1 (default 0.5)'),
        outputFileName: z.string().optional().describe('Output base name, no extension ([A-Za-z0-9_-])'),
      },
      outputSchema: generation,
    },
    (args) => guarded(async () => created(await backend.createGeneration(bodyFromFlatArgs(args, backend.allowsLocalPaths)))),
  );

  server.registerTool(
    'generate_create-generation',
    {
      title: 'Create a generation (Sync v2 body)',
      description: 'POST /v2/generate: body {model, input: [{type: "video"|"image"|"audio", url|assetId} | {type: "text", provider: {name, voiceId, script}}], options: {sync_mode, temperature, active_speaker_detection}, outputFileName}. Returns the PENDING generation.',
      inputSchema: {
        model: z.enum(MODELS).optional(),
        input: z.array(z.object({ type: z.enum(['video', 'image', 'audio', 'text']), url: z.string().optional(), assetId: z.string().optional(), refId: z.string().optional(), provider: z.record(z.string(), z.unknown()).optional() })),
        options: z.record(z.string(), z.unknown()).optional(),
        segments: z.array(z.record(z.string(), z.unknown())).optional().describe('Different audio (by refId) for time ranges of the video; API server only'),
        webhookUrl: z.string().optional().describe('Called when the generation finishes; API server only'),
        outputFileName: z.string().optional(),
      },
      outputSchema: generation,
    },
    (args) => guarded(async () => created(await backend.createGeneration(args as CreateGenerationBody))),
  );

  server.registerTool(
    'generate_get-generation',
    {
      title: 'Get a generation',
      description: `GET /v2/generate/{id}: status, progress_percent while running, outputUrl and synthesizedAudioUrl when done. With wait (seconds, at most ${MAX_WAIT_SECONDS}) the call holds until the generation finishes or the wait ends, sending progress notifications meanwhile.`,
      inputSchema: { id: z.string(), wait: z.number().min(0).max(MAX_WAIT_SECONDS).optional() },
      outputSchema: generation,
      annotations: { readOnlyHint: true },
    },
    ({ id, wait }, extra) =>
      guarded(async () => {
        let g = await backend.getGeneration(id);
        const until = Date.now() + (wait ?? 0) * 1000;
        const token = extra._meta?.progressToken;
        let last = -1;
        while (!TERMINAL_STATUSES.includes(g.status) && Date.now() < until && !extra.signal.aborted) {
          const p = g.progress_percent ?? 0;
          if (token !== undefined && p !== last) {
            last = p;
            await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: p, total: 100, message: `${g.status} ${p}%` } }).catch(() => undefined);
          }
          await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, until - Date.now()))));
          g = await backend.getGeneration(id);
        }
        return ok(g as unknown as Record<string, unknown>, describe(g), links(g));
      }),
  );

  server.registerTool(
    'generate_get-generations',
    {
      title: 'List generations',
      description: 'GET /v2/generations: newest first, optionally filtered by status.',
      inputSchema: { status: z.array(z.enum(STATUSES)).optional(), limit: z.number().int().min(1).max(100).optional() },
      outputSchema: { generations: z.array(generation) },
      annotations: { readOnlyHint: true },
    },
    ({ status, limit }) => guarded(async () => ok({ generations: await backend.listGenerations({ status, limit: limit ?? 20 }) })),
  );

  server.registerTool(
    'generations_delete',
    {
      title: 'Delete a generation',
      description: 'Deletes a finished generation and its files. A generation still PENDING or PROCESSING answers 409 generation_not_deletable_while_processing.',
      inputSchema: { id: z.string() },
      outputSchema: { id: z.string(), deleted: z.boolean() },
      annotations: { destructiveHint: true },
    },
    ({ id }) =>
      guarded(async () => {
        await backend.deleteGeneration(id);
        return ok({ id, deleted: true });
      }),
  );

  server.registerTool(
    'generate_estimate-cost',
    {
      title: 'Estimate the cost of a generation',
      description: 'Frames and price (USD) for a generation of the given model: from duration (seconds), or from the same media arguments as create-lipsync (the audio length decides).',
      inputSchema: { model: z.enum(MODELS).optional(), duration: z.number().positive().optional(), ...media },
      outputSchema: { estimatedFrameCount: z.number(), estimatedGenerationCost: z.number() },
      annotations: { readOnlyHint: true },
    },
    ({ model, duration, ...m }) =>
      guarded(async () => {
        const hasMedia = Object.values(m).some((v) => v !== undefined);
        const body = hasMedia ? bodyFromFlatArgs(m, backend.allowsLocalPaths) : undefined;
        const chosen = model ?? (body?.input.some((i) => i.type === 'image') ? 'sync-3' : 'lipsync-2');
        return ok({ ...(await backend.estimateCost({ model: chosen, duration, body })) });
      }),
  );

  server.registerTool(
    'models_get',
    {
      title: 'List models',
      description: 'GET /v2/models: the model names Resync accepts (Sync\'s names) and what each trades.',
      inputSchema: {},
      outputSchema: { models: z.array(z.looseObject({ name: z.string(), description: z.string(), imageInput: z.boolean(), default: z.boolean().optional() })) },
      annotations: { readOnlyHint: true },
    },
    () => guarded(async () => ok({ models: await backend.listModels() })),
  );

  server.registerTool(
    'upload-media',
    {
      title: 'Upload media as an asset',
      description: 'Stores a video, image or audio file as an asset and returns its id for create-lipsync (videoAssetId, imageAssetId, audioAssetId). Give one of path (stdio server only), url, or base64 data with fileName.',
      inputSchema: {
        path: z.string().optional(),
        url: z.string().optional(),
        data: z.string().optional().describe('File bytes, base64'),
        fileName: z.string().optional(),
        type: z.enum(['VIDEO', 'AUDIO', 'IMAGE']).optional(),
      },
      outputSchema: z.looseObject({ id: z.string(), name: z.string(), type: z.enum(['VIDEO', 'AUDIO', 'IMAGE']), url: z.string(), size: z.number(), createdAt: z.string(), format: z.string().nullable(), durationSeconds: z.number().nullable(), width: z.number().nullable(), height: z.number().nullable() }),
    },
    ({ path, url, data, fileName, type }) =>
      guarded(async () => {
        if (path !== undefined && !backend.allowsLocalPaths) throw new ApiError(400, 'generation_input_validation_failed', 'path is only accepted by the local (stdio) server; send the bytes as base64 data');
        const asset = await backend.uploadAsset({ path, url, data: data !== undefined ? Buffer.from(data, 'base64') : undefined, name: fileName, type });
        return ok(asset as unknown as Record<string, unknown>, `Asset ${asset.id} (${asset.type}) stored.`);
      }),
  );

  server.registerTool(
    'assets_get-all',
    {
      title: 'List assets',
      description: 'GET /v2/assets: uploaded media, newest first.',
      inputSchema: { limit: z.number().int().min(1).max(100).optional() },
      outputSchema: { assets: z.array(z.record(z.string(), z.unknown())) },
      annotations: { readOnlyHint: true },
    },
    ({ limit }) => guarded(async () => ok({ assets: await backend.listAssets(limit) })),
  );

  server.registerTool(
    'voices_get-all',
    {
      title: 'List text-to-speech voices',
      description: 'Voices of a text-to-speech provider (default espeak, offline, 100+ languages); pass a voice id as voiceId with a script.',
      inputSchema: { provider: z.string().optional() },
      outputSchema: { voices: z.array(z.looseObject({ id: z.string(), name: z.string(), languages: z.array(z.string()) })) },
      annotations: { readOnlyHint: true },
    },
    ({ provider }) => guarded(async () => ok({ voices: await backend.listVoices(provider) })),
  );
}

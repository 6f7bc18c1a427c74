/**
 * What the MCP tools need from Resync. One set of tools (tools.ts) runs over any backend: the
 * in-process engine for `resync mcp` over stdio (local-backend.ts), and the API server's own
 * services for the streamable-HTTP endpoint at /mcp. Failures are ApiError (types.ts).
 */
import type { Asset, CostEstimate, CreateGenerationBody, Generation, GenerationStatus, MediaBytes, ModelInfo } from './types.js';
import type { TtsVoice } from '../engine/tts/types.js';

export interface UploadSource {
  /** A local file (only where the backend allows local paths). */
  path?: string;
  /** http(s) URL to fetch. */
  url?: string;
  /** The bytes themselves. */
  data?: Uint8Array;
  /** File name to keep (extension tells the type when `type` is absent). */
  name?: string;
  type?: 'VIDEO' | 'AUDIO' | 'IMAGE';
}

export interface LipsyncBackend {
  /** Whether input URLs may also be local paths (stdio on the user's own machine: yes; HTTP: no). */
  readonly allowsLocalPaths: boolean;
  /** Validates and queues; answers at once with the PENDING generation. */
  createGeneration(body: CreateGenerationBody): Promise<Generation>;
  getGeneration(id: string): Promise<Generation>;
  listGenerations(query: { status?: GenerationStatus[]; limit?: number }): Promise<Generation[]>;
  /** Only terminal generations; a running one is 409 generation_not_deletable_while_processing. */
  deleteGeneration(id: string): Promise<void>;
  estimateCost(query: { model: string; duration?: number; body?: CreateGenerationBody }): Promise<CostEstimate>;
  listModels(): Promise<ModelInfo[]>;
  uploadAsset(src: UploadSource): Promise<Asset>;
  listAssets(limit?: number): Promise<Asset[]>;
  listVoices(provider?: string): Promise<TtsVoice[]>;
  /** The finished video or the synthesised speech of a generation. */
  readMedia(id: string, kind: 'output' | 'synthesized-audio'): Promise<MediaBytes>;
}

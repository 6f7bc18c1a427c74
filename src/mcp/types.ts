/**
 * The wire shapes the MCP tools speak: Sync's v2 generation, asset and error objects (camelCase
 * fields, snake_case option keys), so an assistant that knows Sync's MCP server reads Resync's
 * results the same way.
 */
import type { TextProviderSpec } from '../engine/tts/speak.js';

export type GenerationStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'REJECTED';
export const TERMINAL_STATUSES: readonly GenerationStatus[] = ['COMPLETED', 'FAILED', 'REJECTED'];

export interface InputItem {
  type: 'video' | 'image' | 'audio' | 'text';
  url?: string;
  assetId?: string;
  refId?: string;
  /** type "text" only. */
  provider?: TextProviderSpec;
}

export interface GenerationOptions {
  sync_mode?: 'cut_off' | 'loop' | 'bounce' | 'silence' | 'remap';
  temperature?: number;
  active_speaker_detection?: { auto_detect?: boolean; frame_number?: number; coordinates?: [number, number] };
}

export interface CreateGenerationBody {
  model?: string;
  input: InputItem[];
  options?: GenerationOptions;
  outputFileName?: string;
}

export interface Generation {
  id: string;
  createdAt: string;
  status: GenerationStatus;
  model: string;
  input: InputItem[];
  options: GenerationOptions;
  outputUrl: string | null;
  outputDuration: number | null;
  synthesizedAudioUrl: string | null;
  error: string | null;
  errorCode: string | null;
  /** 0..100 while running (Sync's `include=progress`). */
  progress_percent?: number;
}

export type AssetType = 'VIDEO' | 'AUDIO' | 'IMAGE';

export interface Asset {
  id: string;
  createdAt: string;
  name: string;
  type: AssetType;
  url: string;
  size: number;
  format: string | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
}

export interface ModelInfo {
  name: string;
  description: string;
  /** Accepts a still image as the visual input. */
  imageInput: boolean;
  default?: boolean;
}

export interface CostEstimate {
  estimatedFrameCount: number;
  /** USD. Self-hosted Resync bills nothing unless the operator configures a price. */
  estimatedGenerationCost: number;
}

/** A finished output or synthesised speech, for MCP resources. */
export interface MediaBytes {
  data: Uint8Array;
  mimeType: string;
}

/**
 * An API error as Sync returns it (`{statusCode, errorCode, message}`); tools show it to the
 * assistant as an error result instead of throwing a protocol error.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toJSON(): { statusCode: number; errorCode: string; message: string } {
    return { statusCode: this.statusCode, errorCode: this.errorCode, message: this.message };
  }
}

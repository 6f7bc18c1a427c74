/**
 * Stable error codes. Names follow Sync's v2 API where one fits, so the API server can pass
 * them straight through as `errorCode`.
 */
export const ERROR_CODES = {
  generation_input_video_invalid: 'The video could not be read as a video (corrupt, truncated, audio-only, a still image, or an unsupported codec).',
  generation_input_audio_invalid: 'The audio could not be read, or it has no audio stream.',
  generation_input_video_inaccessible: 'The video could not be fetched (missing file, refused or failing URL, forbidden address).',
  generation_input_audio_inaccessible: 'The audio could not be fetched (missing file, refused or failing URL, forbidden address).',
  generation_input_resolution_unsupported: 'The video dimensions are outside what Resync accepts.',
  generation_input_too_large: 'The input is larger than the configured limit.',
  generation_input_timeout: 'Reading the input took longer than the configured limit.',
  generation_input_segments_invalid: 'The segments are malformed (bad ranges, overlaps, or an audio refId that names no input).',
  generation_input_face_selection_invalid: 'The speaker selection (coordinates, frame number or boxes) does not match a face in the video.',
  generation_no_face_detected: 'No face was found in the video.',
  generation_no_speech_detected: 'The audio contains no speech.',
  generation_internal_error: 'An internal step failed unexpectedly.',
  invalid_argument: 'An argument is missing or has an invalid value.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ResyncError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; detail?: string }) {
    super(message ?? ERROR_CODES[code], options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ResyncError';
    this.code = code;
    this.detail = options?.detail;
  }
  toJSON(): { code: ErrorCode; message: string; detail?: string } {
    return { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) };
  }
}

export function isResyncError(e: unknown): e is ResyncError {
  return e instanceof ResyncError;
}

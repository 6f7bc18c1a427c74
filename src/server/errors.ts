/**
 * API errors: the wire body is Sync's `{message, statusCode, errorCode, error}`. The catalogue
 * (GET /v2/errors) lists every code the server or the engine can answer with.
 */
import { ERROR_CODES } from '../engine/errors.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  body(requestId?: string): Record<string, unknown> {
    return {
      message: this.message,
      statusCode: this.statusCode,
      errorCode: this.errorCode,
      error: REASONS[this.statusCode] ?? 'Error',
      ...this.extra,
      ...(this.statusCode >= 500 && requestId ? { requestId } : {}),
    };
  }
}

export const badRequest = (message: string, code = 'generation_input_validation_failed'): ApiError => new ApiError(400, code, message);
export const notFound = (what: string, code: string): ApiError => new ApiError(404, code, `${what} not found`);

/** Codes the server itself answers with (the engine's codes are added below). */
const SERVER_CODES: Record<string, [string, string]> = {
  unauthorized: ['The x-api-key header is missing or the key is not valid.', 'Send a key made with `resync keys create` in the x-api-key header.'],
  generation_input_validation_failed: ['The request body is malformed or a field has an invalid value.', 'Check the message for the field at fault.'],
  generation_unsupported_model: ['The model is not one this server runs.', 'Use a model from GET /v2/models.'],
  generation_input_asset_type_mismatch: ['An assetId names an asset of a different type than the input.', 'Use a VIDEO asset for video input and an AUDIO asset for audio input.'],
  generation_input_too_many_visual: ['More than one video or image input was given.', 'Give exactly one visual input.'],
  generation_input_trim_invalid: ['A trim range (segments_secs / segments_frames) is malformed.', 'Give [[start, end], ...] with end > start ≥ 0.'],
  generation_not_found: ['No generation with this id exists for this key.', 'Check the id.'],
  report_not_available: ['The generation has no quality report yet (it is not completed) or its report was not kept.', 'Wait for COMPLETED, then fetch reportUrl again.'],
  generation_not_completed: ['The generation has no output yet.', 'Wait until its status is COMPLETED.'],
  generation_not_deletable_while_processing: ['A generation cannot be deleted while it is pending or processing.', 'Delete it once it has finished.'],
  generation_pipeline_failed: ['The generation failed in the pipeline.', 'Retry; if it fails again, report the generation id.'],
  generation_timed_out: ['The generation did not finish within the time limit.', 'Retry with a shorter input; report the id if it persists.'],
  generation_unknown_error: ['The generation failed for an unknown reason.', 'Retry.'],
  asset_not_found: ['No asset with this id exists for this key.', 'Check the id.'],
  asset_upload_not_found: ['The upload URL is unknown or has expired.', 'Ask POST /v2/assets/upload for a new one.'],
  batch_not_found: ['No batch with this id exists for this key.', 'Check the id.'],
  batch_input_invalid: ['The batch input file is malformed.', 'Each line must be {"request_id", "endpoint": "/v2/generate", "payload"}.'],
  rate_limit_exceeded: ['Rate limit exceeded. Please try again later.', 'Slow down; see the Retry-After header.'],
  concurrency_limit_reached: ['Too many generations are pending or processing for this key.', 'Wait for some to finish.'],
  file_size_exceeds_plan_limit: ['An uploaded file is larger than the configured limit.', 'Upload a smaller file.'],
  idempotency_key_reused: ['The Idempotency-Key was already used for a different request.', 'Use a new key for a new request; resend the same body to retry.'],
  invalid_idempotency_key: ['The Idempotency-Key header is malformed.', 'Use 1–128 characters from [A-Za-z0-9._~-].'],
  cost_estimate_unavailable: ['The cost could not be estimated.', 'Check the inputs and the duration.'],
  tts_provider_not_configured: ['The text-to-speech provider named in provider.name is not configured on this server.', 'Use "espeak" (offline), or configure the provider in RESYNC_TTS_CONFIG.'],
  tts_voice_not_found: ['The provider has no voice with this voiceId.', 'List voices with GET /v2/voices.'],
  tts_service_unavailable: ['The hosted text-to-speech provider could not be reached or failed.', 'Retry later.'],
  tts_request_rejected: ['The hosted text-to-speech provider refused the request.', 'Check the script and voiceId; the message has the provider\'s answer.'],
  not_found: ['No such route.', 'Check the path and method.'],
  internal_error: ['An unexpected error happened on the server.', 'Retry; report the requestId if it persists.'],
};

export function errorCatalogue(): Array<{ code: string; message: string; suggestion: string }> {
  const out: Array<{ code: string; message: string; suggestion: string }> = [];
  for (const [code, [message, suggestion]] of Object.entries(SERVER_CODES)) out.push({ code, message, suggestion });
  for (const [code, message] of Object.entries(ERROR_CODES)) {
    if (code === 'invalid_argument' || out.some((e) => e.code === code)) continue;
    out.push({ code, message, suggestion: 'See the message on the generation for the input at fault.' });
  }
  return out;
}

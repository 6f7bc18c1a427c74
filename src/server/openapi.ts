/** The OpenAPI document at /api-json (Sync serves its own there; MCP-style clients read it). */
const err = { $ref: '#/components/schemas/Error' };
const json = (schema: unknown): Record<string, unknown> => ({ content: { 'application/json': { schema } } });
const op = (summary: string, opts: { body?: unknown; multipart?: boolean; ok?: number; params?: string[]; query?: string[]; auth?: boolean } = {}): unknown => ({
  summary,
  ...(opts.auth === false ? { security: [] } : {}),
  parameters: [
    ...(opts.params ?? []).map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'string' } })),
    ...(opts.query ?? []).map((n) => ({ name: n, in: 'query', required: false, schema: { type: 'string' } })),
  ],
  ...(opts.body ? { requestBody: { required: true, content: { [opts.multipart ? 'multipart/form-data' : 'application/json']: { schema: opts.body } } } } : {}),
  responses: { [String(opts.ok ?? 200)]: { description: 'OK' }, 400: { description: 'Invalid request', ...json(err) }, 401: { description: 'Missing or bad key', ...json(err) }, 404: { description: 'Not found', ...json(err) }, 429: { description: 'Rate or concurrency limit', ...json(err) } },
});

export function openApiDocument(serverUrl: string, version: string): unknown {
  const create = { $ref: '#/components/schemas/CreateGeneration' };
  return {
    openapi: '3.0.3',
    info: { title: 'Resync API (Sync v2 compatible)', version },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
      schemas: {
        Error: { type: 'object', properties: { message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }, statusCode: { type: 'integer' }, errorCode: { type: 'string' }, error: { type: 'string' } } },
        CreateGeneration: {
          type: 'object',
          required: ['model', 'input'],
          properties: {
            model: { type: 'string', enum: ['sync-3', 'lipsync-2-pro', 'lipsync-2'] },
            input: { type: 'array', items: { type: 'object', properties: { type: { type: 'string', enum: ['video', 'image', 'audio'] }, url: { type: 'string' }, assetId: { type: 'string' }, refId: { type: 'string' } } } },
            options: { type: 'object', properties: { sync_mode: { type: 'string', enum: ['cut_off', 'loop', 'bounce', 'silence', 'remap'] }, temperature: { type: 'number', minimum: 0, maximum: 1 }, active_speaker_detection: { type: 'object' }, occlusion_detection_enabled: { type: 'boolean' } } },
            segments: { type: 'array', items: { type: 'object' } },
            webhookUrl: { type: 'string' },
            outputFileName: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,255}$' },
          },
        },
      },
    },
    paths: {
      '/v2/generate': { post: op('Create a generation (JSON, or multipart with video/audio/image files)', { body: create, ok: 201 }) },
      '/v2/generate/{id}': { get: op('Get a generation (wait=true long-polls up to timeout seconds; include=progress)', { params: ['id'], query: ['wait', 'timeout', 'include'] }), delete: op('Delete a finished generation', { params: ['id'] }) },
      '/v2/generations': { get: op('List generations (newest first with limit)', { query: ['status', 'ids', 'limit', 'cursor'] }) },
      '/v2/generations/count': { get: op('Count generations', { query: ['status'] }) },
      '/v2/generations/{id}': { get: op('Get a generation', { params: ['id'] }), delete: op('Delete a finished generation (409 while processing)', { params: ['id'] }) },
      '/v2/generations/{id}/download': { get: op('The output URL as text/plain', { params: ['id'] }) },
      '/v2/generations/{id}/report': { get: op('The engine quality report of a completed generation (Resync addition: frames edited, passed through and occluded, the mouth track, sync confidence)', { params: ['id'] }) },
      '/v2/analyze/cost': { post: op('Estimate cost from the inputs', { body: create }) },
      '/v2/analyze/faces': { post: op('Faces in the first frame of an uploaded video or image (Resync addition; multipart with one video or image file): frame size and boxes in video pixels', { multipart: true }) },
      '/v2/generations/estimate': { post: op('Estimate cost from a duration', { body: { type: 'object', properties: { model: { type: 'string' }, duration: { type: 'number' }, fps: { type: 'number' } } } }) },
      '/v2/assets/upload': { post: op('Presign an upload', { ok: 201, body: { type: 'object', properties: { fileName: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' } } } }) },
      '/v2/assets': { post: op('Register an asset', { ok: 201, body: { type: 'object', properties: { url: { type: 'string' }, type: { type: 'string', enum: ['VIDEO', 'AUDIO', 'IMAGE'] } } } }), get: op('List assets', { query: ['limit', 'cursor', 'types', 'searchQuery', 'sortBy'] }) },
      '/v2/assets/{id}': { get: op('Get an asset', { params: ['id'] }), delete: op('Delete an asset', { params: ['id'] }) },
      '/v2/models': { get: op('List models') },
      '/v2/errors': { get: op('The error catalogue', { auth: false }) },
      '/v2/batch': { post: op('Create a batch (multipart: input JSONL, webhook_url, dry_run)', { ok: 201, multipart: true, body: { type: 'object', properties: { input: { type: 'string', format: 'binary' }, webhook_url: { type: 'string' }, dry_run: { type: 'boolean' } } } }), get: op('List batches', { query: ['status', 'created_after', 'created_before'] }) },
      '/v2/batch/{id}': { get: op('Get a batch', { params: ['id'] }) },
      '/v2/organizations/webhook/secret': { get: op("The key's webhook signing secret") },
      '/v2/healthcheck': { get: op('Health', { auth: false }) },
    },
  };
}

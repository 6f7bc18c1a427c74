/**
 * Finished outputs as MCP resources: `resync://generations/{id}/output` (the MP4) and
 * `resync://generations/{id}/synthesized-audio` (speech made from a script). Listing shows the
 * newest completed generations.
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { LipsyncBackend } from './backend.js';
import { toApiError } from './job-spec.js';

export const outputResourceUri = (id: string): string => `resync://generations/${encodeURIComponent(id)}/output`;
export const speechResourceUri = (id: string): string => `resync://generations/${encodeURIComponent(id)}/synthesized-audio`;

const LIST_LIMIT = 50;

export function registerResources(server: McpServer, backend: LipsyncBackend): void {
  const read = (kind: 'output' | 'synthesized-audio') => async (uri: URL, vars: Record<string, string | string[]>) => {
    const id = decodeURIComponent(String(vars.id));
    try {
      const m = await backend.readMedia(id, kind);
      return { contents: [{ uri: uri.href, mimeType: m.mimeType, blob: Buffer.from(m.data).toString('base64') }] };
    } catch (e) {
      const err = toApiError(e);
      throw new Error(`${err.errorCode}: ${err.message}`);
    }
  };

  server.registerResource(
    'generation-output',
    new ResourceTemplate('resync://generations/{id}/output', {
      list: async () => ({
        resources: (await backend.listGenerations({ status: ['COMPLETED'], limit: LIST_LIMIT })).map((g) => ({ uri: outputResourceUri(g.id), name: `${g.id}.mp4`, mimeType: 'video/mp4' })),
      }),
    }),
    { title: 'Lip-synced video', description: 'The finished MP4 of a completed generation', mimeType: 'video/mp4' },
    read('output'),
  );

  server.registerResource(
    'generation-synthesized-audio',
    new ResourceTemplate('resync://generations/{id}/synthesized-audio', {
      list: async () => ({
        resources: (await backend.listGenerations({ limit: LIST_LIMIT }))
          .filter((g) => g.synthesizedAudioUrl)
          .map((g) => ({ uri: speechResourceUri(g.id), name: `${g.id}-speech`, mimeType: 'audio/wav' })),
      }),
    }),
    { title: 'Synthesised speech', description: 'Speech made from a generation\'s script' },
    read('synthesized-audio'),
  );
}

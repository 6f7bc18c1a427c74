/** One MCP server (tools + resources) over a backend; transports are stdio.ts and http.ts. */
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { LipsyncBackend } from './backend.js';
import { MAX_WAIT_SECONDS, registerTools } from './tools.js';
import { registerResources } from './resources.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function createMcpServer(backend: LipsyncBackend): McpServer {
  const server = new McpServer(
    { name: 'resync', title: 'Resync lip sync', version: VERSION },
    {
      instructions:
        'Resync lip-syncs a video (or a still image) to speech or to a script read by text-to-speech. Start with create-lipsync, ' +
        `then call generate_get-generation with the id (use wait to hold up to ${MAX_WAIT_SECONDS} s) until COMPLETED, and read the output resource it links.`,
    },
  );
  registerTools(server, backend);
  registerResources(server, backend);
  return server;
}

/**
 * `resync mcp [--data-dir DIR] [--preset faster] | [--api-url URL]`: the MCP server over stdio for
 * AI assistants (Claude Desktop, Cursor, ...). Two backends, the same tools:
 *  - local (default): generations run in this process through the engine, as the user running
 *    the command (no key: it can read only what the user can); results and uploaded assets are
 *    kept under the data directory (default ~/.resync/mcp, or RESYNC_MCP_DATA_DIR);
 *  - remote (--api-url or RESYNC_API_URL): a running Resync server's v2 API with an API key from
 *    RESYNC_API_KEY (or SYNC_API_KEY); local paths are uploaded as assets first.
 * The same tools are served over streamable HTTP at /mcp by `resync serve`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, stringFlag, UsageError } from '../args.js';
import { X264_PRESETS, DEFAULT_PRESET, type X264Preset } from '../../engine/media/encode.js';
import { LocalBackend } from '../../mcp/local-backend.js';
import { RestBackend } from '../../mcp/rest-backend.js';
import type { LipsyncBackend } from '../../mcp/backend.js';
import { serveStdio } from '../../mcp/stdio.js';

const USAGE =
  'usage: resync mcp [--data-dir DIR] [--preset faster]      (runs generations in this process)\n' +
  '       resync mcp --api-url http://host:8080               (uses a Resync server; key in RESYNC_API_KEY)\n' +
  '  Speaks the Model Context Protocol on stdin/stdout. Example client configuration:\n' +
  '  { "mcpServers": { "resync": { "command": "npx", "args": ["resync", "mcp"] } } }';

export async function mcpCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ['data-dir', 'preset', 'api-url'], booleans: ['help'] });
  if (p.flags.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
  const preset = stringFlag(p, 'preset') ?? DEFAULT_PRESET;
  if (!(X264_PRESETS as readonly string[]).includes(preset)) throw new UsageError(`--preset must be one of ${X264_PRESETS.join(', ')}`);
  const apiUrl = stringFlag(p, 'api-url') ?? process.env.RESYNC_API_URL;
  let backend: LipsyncBackend;
  if (apiUrl) {
    const apiKey = process.env.RESYNC_API_KEY ?? process.env.SYNC_API_KEY;
    if (!apiKey) throw new UsageError('--api-url needs an API key in RESYNC_API_KEY (or SYNC_API_KEY)');
    if (!/^https?:\/\//.test(apiUrl)) throw new UsageError(`--api-url must be an http(s) URL, got "${apiUrl}"`);
    backend = new RestBackend({ baseUrl: apiUrl, apiKey, allowLocalPaths: true });
  } else {
    const dataDir = resolve(stringFlag(p, 'data-dir') ?? process.env.RESYNC_MCP_DATA_DIR ?? join(homedir(), '.resync', 'mcp'));
    backend = new LocalBackend({ dataDir, preset: preset as X264Preset });
  }
  await serveStdio(backend);
  // The client closed the connection: nothing can ask for results any more, so do not wait for
  // a generation still running (its record is marked FAILED when the next server loads it).
  process.exit(0);
}

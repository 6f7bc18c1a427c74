/**
 * `resync mcp [--data-dir DIR] [--preset medium]`: the MCP server over stdio for AI assistants
 * (Claude Desktop, Cursor, ...). Generations run in this process through the engine; results and
 * uploaded assets are kept under the data directory (default ~/.resync/mcp, or RESYNC_MCP_DATA_DIR).
 * The same tools are served over streamable HTTP at /mcp by `resync serve`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, stringFlag, UsageError } from '../args.js';
import { X264_PRESETS, type X264Preset } from '../../engine/media/encode.js';
import { LocalBackend } from '../../mcp/local-backend.js';
import { serveStdio } from '../../mcp/stdio.js';

const USAGE =
  'usage: resync mcp [--data-dir DIR] [--preset medium]\n' +
  '  Speaks the Model Context Protocol on stdin/stdout. Example client configuration:\n' +
  '  { "mcpServers": { "resync": { "command": "npx", "args": ["resync", "mcp"] } } }';

export async function mcpCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ['data-dir', 'preset'], booleans: ['help'] });
  if (p.flags.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
  const preset = stringFlag(p, 'preset') ?? 'medium';
  if (!(X264_PRESETS as readonly string[]).includes(preset)) throw new UsageError(`--preset must be one of ${X264_PRESETS.join(', ')}`);
  const dataDir = resolve(stringFlag(p, 'data-dir') ?? process.env.RESYNC_MCP_DATA_DIR ?? join(homedir(), '.resync', 'mcp'));
  await serveStdio(new LocalBackend({ dataDir, preset: preset as X264Preset }));
  // The client closed the connection: nothing can ask for results any more, so do not wait for
  // a generation still running (its record is marked FAILED when the next server loads it).
  process.exit(0);
}

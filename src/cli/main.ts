/**
 * The `resync` command line: a thin shell over the engine. Each command lives in commands/ and
 * returns an exit code; errors from the engine are printed with their stable code.
 */
import { UsageError } from './args.js';
import { isResyncError } from '../engine/errors.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  generate: {
    summary: 'lip-sync a video to new speech: resync generate --video V (--audio A | --text "script" --voice en) --out O.mp4 [--model sync-3] [--sync-mode cut_off] [--temperature 0.5] [--speaker x,y[@frame]] [--report report.json]',
    load: async () => (await import('./commands/generate.js')).generateCommand,
  },
  mouth: {
    summary: 'mouth targets from speech: resync mouth <audio|video|url> [--fps 25] [--out mouth.json] [--plot mouth.png] [--temperature 0.5]',
    load: async () => (await import('./commands/mouth.js')).mouthCommand,
  },
  analyze: {
    summary: 'track the face over the whole video: resync analyze <video|url> [--out track.json] [--overlay overlay.mp4] [--speaker x,y[@frame]]',
    load: async () => (await import('./commands/analyze.js')).analyzeCommand,
  },
  mcp: {
    summary: 'Model Context Protocol server over stdio for AI assistants: resync mcp [--data-dir DIR] [--preset faster] | [--api-url URL]',
    load: async () => (await import('./commands/mcp.js')).mcpCommand,
  },
  serve: {
    summary: 'Sync-v2-compatible API server (npm start): resync serve [--port 8080] [--data-dir DIR] [--workers 1] [--allow-hosts a,b]',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  keys: {
    summary: 'API keys for the server: resync keys create [--name N] | list | revoke <id|prefix> [--data-dir DIR]',
    load: async () => (await import('./commands/keys.js')).keysCommand,
  },
};

function usage(): string {
  const lines = ['usage: resync <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`);
  lines.push('', 'Every command accepts --help.');
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(pkg.version + '\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`resync: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await cmd.load())(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`resync ${name}: ${e.message}\n${cmd.summary}\n`);
      return 2;
    }
    if (isResyncError(e)) {
      process.stderr.write(`resync ${name}: error ${e.code}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`resync ${name}: unexpected failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 70;
  }
}

/**
 * `resync serve [--port 8080] [--data-dir DIR] ...`: the Sync-v2-compatible API server
 * (`npm start`). Prints one line `resync server listening on <url>` (tests read the port from it),
 * then JSON log lines. SIGTERM/SIGINT shut down gracefully: running jobs get --grace seconds to
 * finish and are re-queued otherwise.
 */
import { parseArgs, stringFlag, numberFlag } from '../args.js';
import type { ServerConfig } from '../../server/config.js';
import type { DB } from '../../server/db.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const HELP = `usage: resync serve [options]
  --port N                 port (default 8080, or $PORT; 0 picks a free one)
  --host H                 bind address (default 0.0.0.0)
  --data-dir DIR           SQLite database and media (default ./resync-data or $RESYNC_DATA_DIR)
  --public-url URL         base of the URLs handed out (default http://127.0.0.1:<port>)
  --workers N              generations run at once (default 1; 0 = queue only)
  --rate-limit N           POST /v2/generate per key per minute (default 100)
  --concurrency-limit N    pending + processing generations per key (default 15)
  --allow-private-urls     let URL inputs and webhooks reach loopback/private addresses
  --allow-hosts a,b        host names or IPs allowed even if private
  --preset P               x264 preset for outputs (default faster)
  --grace S                seconds running jobs get to finish on shutdown (default 30)
  --quiet                  no log lines
Manage API keys with \`resync keys create\`.`;

const LOCAL_KEY_FILE = 'local-api-key.txt';

/**
 * First run: with no API key at all, create one for the person at this machine, save it in the data
 * directory (readable by its owner only) and print it, so the Studio can be opened straight away.
 * Later runs print the saved key again while it is still valid.
 */
async function localKey(db: DB, dataDir: string): Promise<string | undefined> {
  const { createKey, findKey, listKeys } = await import('../../server/keys.js');
  const file = join(dataDir, LOCAL_KEY_FILE);
  const saved = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (saved) {
    const k = findKey(db, saved);
    if (k && !k.revokedAt) return saved;
  }
  if (listKeys(db).length > 0) return undefined; // keys are managed by hand here: do not add one
  const { key } = createKey(db, 'local (created by resync serve on first run)');
  await writeFile(file, key + '\n', { mode: 0o600 });
  return key;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    values: ['port', 'host', 'data-dir', 'public-url', 'workers', 'rate-limit', 'concurrency-limit', 'allow-hosts', 'preset', 'grace'],
    booleans: ['help', 'allow-private-urls', 'quiet'],
  });
  if (p.flags.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const { startServer } = await import('../../server/server.js');
  const { resolve } = await import('node:path');
  const over: Partial<ServerConfig> = {};
  const port = numberFlag(p, 'port', 0, 65535);
  if (port !== undefined) over.port = port;
  const host = stringFlag(p, 'host');
  if (host) over.host = host;
  const dataDir = stringFlag(p, 'data-dir');
  if (dataDir) over.dataDir = resolve(dataDir);
  const pub = stringFlag(p, 'public-url');
  if (pub) over.publicUrl = pub;
  const workers = numberFlag(p, 'workers', 0, 64);
  if (workers !== undefined) over.workers = workers;
  const rate = numberFlag(p, 'rate-limit', 0);
  if (rate !== undefined) over.rateLimitPerMinute = rate;
  const conc = numberFlag(p, 'concurrency-limit', 1);
  if (conc !== undefined) over.concurrencyLimit = conc;
  if (p.flags['allow-private-urls']) over.allowPrivateUrls = true;
  const hosts = stringFlag(p, 'allow-hosts');
  if (hosts) over.allowHosts = hosts.split(',').map((s) => s.trim()).filter(Boolean);
  const preset = stringFlag(p, 'preset');
  if (preset) over.preset = preset as ServerConfig['preset'];
  const grace = numberFlag(p, 'grace', 0);
  if (grace !== undefined) over.shutdownGraceMs = grace * 1000;
  if (p.flags.quiet) over.log = null;
  else over.log = (line) => process.stderr.write(line + '\n');

  const srv = await startServer(over);
  process.stdout.write(`resync server listening on ${srv.url} (port ${srv.port})\n`);
  const key = await localKey(srv.db, srv.app.cfg.dataDir);
  process.stdout.write(`Studio: ${srv.url}/\n`);
  if (key) process.stdout.write(`local API key: ${key} (saved in ${join(srv.app.cfg.dataDir, LOCAL_KEY_FILE)}; more with resync keys create)\n`);
  await new Promise<void>((resolveStop) => {
    const stop = (sig: string): void => {
      process.stderr.write(`resync serve: ${sig}, shutting down\n`);
      void srv.close().then(resolveStop, resolveStop);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // A job abandoned after the grace period may still hold engine threads and ffmpeg children;
  // it is re-queued in the database, so the process can go now.
  process.exit(0);
}

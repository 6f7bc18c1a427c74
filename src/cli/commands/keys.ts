/**
 * `resync keys create|list|revoke [--data-dir DIR]`: API keys for the server. A key is printed
 * once, when made (only its hash is stored), with its webhook signing secret.
 */
import { parseArgs, stringFlag, UsageError } from '../args.js';

const HELP = `usage: resync keys <create|list|revoke> [options]
  create [--name NAME] [--json]   make a key (printed once) and its webhook secret
  list [--json]                   keys (prefix, name, created, revoked)
  revoke <id|prefix>              revoke a key
  --data-dir DIR                  the server's data directory (default ./resync-data or $RESYNC_DATA_DIR)`;

export async function keysCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ['name', 'data-dir'], booleans: ['help', 'json'] });
  const [sub, ...rest] = p.positionals;
  if (p.flags.help || !sub) {
    process.stdout.write(HELP + '\n');
    return p.flags.help ? 0 : 2;
  }
  const { openDb } = await import('../../server/db.js');
  const { defaultDataDir } = await import('../../server/config.js');
  const { createKey, listKeys, revokeKey } = await import('../../server/keys.js');
  const { resolve } = await import('node:path');
  const dir = stringFlag(p, 'data-dir');
  const db = openDb(dir ? resolve(dir) : defaultDataDir());
  try {
    if (sub === 'create') {
      const { key, record } = createKey(db, stringFlag(p, 'name') ?? 'default');
      if (p.flags.json) process.stdout.write(JSON.stringify({ key, id: record.id, name: record.name, webhookSecret: record.webhookSecret }) + '\n');
      else process.stdout.write(`API key (shown once, keep it): ${key}\nid: ${record.id}\nname: ${record.name}\nwebhook signing secret: ${record.webhookSecret}\n`);
      return 0;
    }
    if (sub === 'list') {
      const keys = listKeys(db).map((k) => ({ id: k.id, prefix: k.prefix, name: k.name, createdAt: k.createdAt, revokedAt: k.revokedAt }));
      if (p.flags.json) process.stdout.write(JSON.stringify(keys) + '\n');
      else for (const k of keys) process.stdout.write(`${k.prefix}…  ${k.id}  ${k.name}  ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}\n`);
      return 0;
    }
    if (sub === 'revoke') {
      if (!rest[0]) throw new UsageError('revoke needs a key id or prefix');
      if (!revokeKey(db, rest[0])) {
        process.stderr.write(`resync keys: no active key ${rest[0]}\n`);
        return 1;
      }
      process.stdout.write(`revoked ${rest[0]}\n`);
      return 0;
    }
    throw new UsageError(`unknown subcommand "${sub}"`);
  } finally {
    db.close();
  }
}

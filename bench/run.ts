/**
 * `npm run bench [name ...]`: runs the named benchmarks (all when none is named) on the clips in
 * ../shared/data and writes each one's table into README.md. Benchmarks are never timed tests.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { findSharedData } from './shared-data.js';
import { writeReadmeSection } from './readme.js';

import { BENCHES } from './registry.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const all = args.includes('--all');
  const names = args.filter((a) => !a.startsWith('--'));
  const dataDir = findSharedData();
  if (!dataDir) {
    console.error('bench: ../shared/data not found (set RESYNC_SHARED_DATA); benchmarks need the shared clips.');
    process.exit(2);
  }
  const cacheDir = resolve(process.cwd(), '.bench-cache');
  mkdirSync(cacheDir, { recursive: true });
  const chosen = names.length ? names : Object.keys(BENCHES);
  for (const name of chosen) {
    const load = BENCHES[name];
    if (!load) {
      console.error(`bench: unknown benchmark "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
      process.exit(2);
    }
    console.error(`bench ${name}: running on ${dataDir}`);
    const res = await (await load())({ dataDir, cacheDir, quick, all });
    const stamp = `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npm run bench ${name}${quick ? ' --quick' : ''}${all ? ' --all' : ''}\`.`;
    const body = `${stamp}\n\n${res.table}`;
    console.log(body);
    writeReadmeSection(resolve(process.cwd(), 'README.md'), name, body);
  }
}

await main();

/**
 * Temporary directories carry their process id, and the sweep removes exactly those whose
 * process is gone: a killed job's files go, a running job's (this process's, or another live
 * one's) and anything not named by Resync stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { makeTempDir, makeTempDirSync, readFullySync, sweepStaleTempDirs, writeFullySync } from '../src/engine/temp-dirs.js';
import { ResyncError } from '../src/engine/errors.js';

/** The id of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.ok(r.pid);
  return r.pid;
}

test('a killed job\'s directories are removed; this process\'s, a live process\'s and foreign ones stay', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'resync-sweep-test-'));
  const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    const dead = deadPid();
    const mine = await makeTempDir('meshes', parent);
    const mineSync = makeTempDirSync('crops', parent);
    assert.match(basename(mine), new RegExp(`^resync-meshes-${process.pid}-`));
    const stale = join(parent, `resync-crops-${dead}-AbC123`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'crops.bin'), new Uint8Array(1000));
    const running = join(parent, `resync-input-${live.pid}-xyz789`);
    mkdirSync(running);
    const foreign = [join(parent, 'resync-notes'), join(parent, `other-crops-${dead}-AbC123`), join(parent, `resync-crops-${dead}-toolongname`)];
    for (const f of foreign) mkdirSync(f);

    const removed = await sweepStaleTempDirs(parent);
    assert.deepEqual(removed, [basename(stale)]);
    assert.equal(existsSync(stale), false);
    for (const kept of [mine, mineSync, running, ...foreign]) assert.ok(existsSync(kept), `${basename(kept)} kept`);
    assert.deepEqual(await sweepStaleTempDirs(join(parent, 'missing')), [], 'a missing directory is nothing to sweep');
  } finally {
    live.kill();
    await rm(parent, { recursive: true, force: true });
  }
});

test('a directory kind must be a plain word (it becomes part of a path)', () => {
  assert.throws(() => makeTempDirSync('../x'), /lower-case letters/);
});

test('a full disk is a clear error naming the directory; a short temporary file is an error, not zeros', { skip: existsSync('/dev/full') ? false : 'no /dev/full here' }, async () => {
  const full = openSync('/dev/full', 'w');
  try {
    assert.throws(
      () => writeFullySync(full, new Uint8Array(4096), 0, '/some/tmp'),
      (e: unknown) => e instanceof ResyncError && e.code === 'generation_internal_error' && /no space left for temporary files in \/some\/tmp.*TMPDIR/.test(e.message),
    );
  } finally {
    closeSync(full);
  }
  const parent = await mkdtemp(join(tmpdir(), 'resync-short-test-'));
  try {
    const path = join(parent, 'f.bin');
    writeFileSync(path, new Uint8Array(10).fill(7));
    const fd = openSync(path, 'r');
    const got = new Uint8Array(10);
    readFullySync(fd, got, 0);
    assert.deepEqual([...got], new Array(10).fill(7));
    assert.throws(() => readFullySync(fd, new Uint8Array(10), 5), /5 bytes short/);
    closeSync(fd);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

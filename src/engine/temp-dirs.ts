/**
 * Temporary directories (downloaded inputs, spilled mouth crops, face meshes, the encoder's
 * sound) are named resync-<kind>-<pid>-XXXXXX. Each is removed when its job ends, but a process
 * killed mid-job (the OOM killer, SIGKILL, a crashed server) cannot do that, and a long clip's
 * files run to hundreds of MB. So every generation first removes the directories whose process
 * is gone (`sweepStaleTempDirs`).
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResyncError } from './errors.js';

const NAME = /^resync-[a-z]+-(\d+)-[A-Za-z0-9]{6}$/;

function prefix(kind: string, parent: string): string {
  if (!/^[a-z]+$/.test(kind)) throw new Error(`temporary directory kind must be lower-case letters: ${kind}`);
  return join(parent, `resync-${kind}-${process.pid}-`);
}

export function makeTempDir(kind: string, parent = tmpdir()): Promise<string> {
  return mkdtemp(prefix(kind, parent));
}

export function makeTempDirSync(kind: string, parent = tmpdir()): string {
  return mkdtempSync(prefix(kind, parent));
}

/** Whether a process with this id exists (one we may not signal counts as existing). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the directories in `parent` that a Resync process made and whose process no longer
 * exists. Returns their names. Never throws: housekeeping must not fail a job.
 */
export async function sweepStaleTempDirs(parent = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    try {
      await rm(join(parent, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // another process may be sweeping the same directory: whoever gets there first removes it
    }
  }
  return removed;
}

/**
 * Writes all of `bytes` at `position` of a temporary file. A full disk (or quota) becomes a clear
 * error naming the directory and what to do, instead of a bare ENOSPC from deep in a render.
 */
export function writeFullySync(fd: number, bytes: Uint8Array, position: number, dir: string): void {
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new ResyncError('generation_internal_error', `no space left for temporary files in ${dir}: free some, or set TMPDIR to a directory with more room`, { cause: e });
    }
    throw e;
  }
}

/** Reads exactly `bytes.length` bytes at `position` of a temporary file. */
export function readFullySync(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n <= 0) throw new Error(`temporary file ended at byte ${position + done}, ${bytes.length - done} bytes short`);
    done += n;
  }
}

/**
 * A scratch file in a directory of its own (named as above), written and read at byte offsets:
 * the spill file of the mouth crops, the face meshes' file and the composed sound of segments.
 */
export class TempFile {
  readonly dir: string;
  /** The file itself (for another program to read). */
  readonly path: string;
  private fd: number;
  private end = 0;

  constructor(kind: string, name: string, parent = tmpdir()) {
    this.dir = makeTempDirSync(kind, parent);
    this.path = join(this.dir, name);
    this.fd = openSync(this.path, 'w+');
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.end;
  }

  /** Writes `bytes` after what is there; returns where they start. */
  append(bytes: Uint8Array): number {
    const at = this.end;
    writeFullySync(this.fd, bytes, at, this.dir);
    this.end += bytes.length;
    return at;
  }

  /**
   * Lengthens the file by `bytes` of zeros without writing them (the file system keeps a hole,
   * no disk is used until something is written there). Returns where they start.
   */
  extend(bytes: number): number {
    const at = this.end;
    ftruncateSync(this.fd, at + bytes);
    this.end += bytes;
    return at;
  }

  /** Overwrites bytes already appended. */
  write(bytes: Uint8Array, at: number): void {
    if (at + bytes.length > this.end) throw new RangeError(`write past the end of ${this.dir}`);
    writeFullySync(this.fd, bytes, at, this.dir);
  }

  read(bytes: Uint8Array, at: number): void {
    readFullySync(this.fd, bytes, at);
  }

  /** Closes the file and removes its directory; later reads and writes fail. Idempotent. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

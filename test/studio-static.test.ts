/** The static route that serves the built Studio at `/`: MIME types, index.html fallback, no escape from the build folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serveStudio } from '../src/server/studio-static.js';

async function withServer(dir: string, fn: (base: string) => Promise<void>): Promise<void> {
  const server: Server = createServer((req, res) => {
    if (!serveStudio(req, res, dir)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"statusCode":404}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

test('studio static route: files with MIME types, index fallback for pages, 404 for missing assets and API paths', async () => {
  const base0 = await mkdtemp(join(tmpdir(), 'studio-static-'));
  const dir = join(base0, 'studio');
  try {
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Resync Studio</title>');
    await writeFile(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(join(base0, 'secret.txt'), 'outside the build folder');
    await withServer(dir, async (base) => {
      const root = await fetch(base + '/');
      assert.equal(root.status, 200);
      assert.match(root.headers.get('content-type')!, /^text\/html/);
      assert.match(root.headers.get('content-security-policy')!, /default-src 'self'/);
      assert.match(await root.text(), /Resync Studio/);
      const js = await fetch(base + '/assets/index-abc.js');
      assert.match(js.headers.get('content-type')!, /^text\/javascript/);
      assert.match(js.headers.get('cache-control')!, /immutable/);
      assert.match((await fetch(base + '/assets/index-abc.css')).headers.get('content-type')!, /^text\/css/);
      const deep = await fetch(base + '/library/some-page');
      assert.equal(deep.status, 200);
      assert.match(await deep.text(), /Resync Studio/);
      assert.equal((await fetch(base + '/assets/missing.js')).status, 404);
      assert.equal((await fetch(base + '/v2/generations')).status, 404);
      assert.equal((await fetch(base + '/api-json')).status, 404);
      assert.equal((await fetch(base + '/%2e%2e/secret.txt')).status, 404);
      assert.equal((await fetch(base + '/', { method: 'POST' })).status, 404);
      const head = await fetch(base + '/', { method: 'HEAD' });
      assert.equal(head.status, 200);
    });
  } finally {
    await rm(base0, { recursive: true, force: true });
  }
});

test('studio static route: a clear message at / when the Studio is not built', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'studio-empty-'));
  try {
    await withServer(dir, async (base) => {
      const r = await fetch(base + '/');
      assert.equal(r.status, 503);
      assert.match(await r.text(), /build:studio/);
      assert.equal((await fetch(base + '/other')).status, 404);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * The job queue without the engine: claims are exclusive, a finished job is recorded only by the
 * lease holder, start-up recovery re-queues jobs whose holder is gone, a job that keeps killing
 * the server fails after maxAttempts, and the webhook outbox gets one row per status change
 * however often a job runs. Plus the rate limiter's window and the signature round trip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { openDb } from '../src/server/db.js';
import { JobQueue } from '../src/server/queue.js';
import { insertGeneration, getGeneration } from '../src/server/store.js';
import { validateCreate } from '../src/server/validate.js';
import { RateLimiter } from '../src/server/ratelimit.js';
import { signature, verifySignature } from '../src/server/webhooks.js';
import { speakerSelection } from '../src/server/worker.js';

const req = validateCreate({
  model: 'lipsync-2',
  input: [{ type: 'video', url: 'https://m.example/v.mp4' }, { type: 'audio', url: 'https://m.example/a.wav' }],
  webhookUrl: 'https://hooks.example/h',
});

test('leases: exclusive claims, only the holder finishes, recovery re-queues, attempts are capped, one webhook row', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resync-queue-'));
  const db = openDb(dir);
  try {
    // owners are host:pid:random; these pids do not exist, like a server that was killed
    const dead = (n: number): string => `${hostname()}:${4_194_305 + n}:${n}`;
    const q = (owner: string, leaseMs = 60_000): JobQueue => new JobQueue(db, owner, { leaseMs, maxAttempts: 2, publicUrl: () => 'http://x', onChange: () => {} });
    const a = q(dead(1));
    const g = insertGeneration(db, 'key', req);
    const claimed = a.claim();
    assert.equal(claimed?.id, g.id);
    assert.equal(claimed?.status, 'PROCESSING');
    assert.equal(a.claim(), undefined, 'nothing else to claim');

    // "A" dies; "B" starts on the same data: the job is pending again and B runs it
    const b = q(dead(2));
    assert.deepEqual(b.recover(true).requeued, [g.id]);
    assert.equal(getGeneration(db, g.id)?.status, 'PENDING');
    assert.equal(b.claim()?.attempts, 2);
    // the stale holder cannot record a result any more
    assert.equal(a.fail(g.id, 'generation_pipeline_failed', 'late'), false);

    // "B" dies too: with maxAttempts 2 the next start fails the job instead of looping
    const c = q(dead(3));
    assert.deepEqual(c.recover(true).failed, [g.id]);
    const failed = getGeneration(db, g.id)!;
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error_code, 'generation_pipeline_failed');

    // a job re-run after a crash completes once, with one webhook row
    const g2 = insertGeneration(db, 'key', req);
    c.claim();
    const d = q(dead(4));
    d.recover(true);
    d.claim();
    assert.equal(d.complete(g2.id, { duration: 1, path: '/nowhere.mp4', name: 'o', token: 't2', keyId: 'key' }), true);
    assert.equal(c.complete(g2.id, { duration: 1, path: '/nowhere.mp4', name: 'o', token: 't2', keyId: 'key' }), false);
    const rows = db.prepare('SELECT event FROM webhook_deliveries WHERE generation_id = ?').all(g2.id) as Array<{ event: string }>;
    assert.deepEqual(rows.map((r) => r.event), ['COMPLETED']);
    const payload = JSON.parse((db.prepare('SELECT payload FROM webhook_deliveries WHERE generation_id = ?').get(g2.id) as { payload: string }).payload);
    assert.equal(payload.status, 'COMPLETED');
    assert.ok('error_code' in payload);

    // a job held by a live process (here: our parent) is left alone until its lease expires
    const live = q(`${hostname()}:${process.ppid}:live`, -1);
    const g4 = insertGeneration(db, 'key', req);
    live.claim();
    const e = q(dead(5));
    const liveAgain = q(`${hostname()}:${process.ppid}:live`, 60_000);
    liveAgain.heartbeat();
    assert.deepEqual(e.recover(true).requeued, [], 'a live holder with a fresh lease keeps its job');
    live.heartbeat(); // leaseMs -1: the lease is now in the past
    assert.deepEqual(e.recover(false).requeued, [g4.id], 'an expired lease is re-queued');
    e.claim();
    assert.equal(getGeneration(db, g4.id)?.lease_owner, e.owner);

    // graceful shutdown hands running jobs back
    const g3 = insertGeneration(db, 'key', req);
    d.claim();
    assert.equal(d.requeueMine(), 1);
    assert.equal(getGeneration(db, g3.id)?.status, 'PENDING');
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('rate limiter: a sliding minute per id', () => {
  const r = new RateLimiter(60_000);
  const t = 1_000_000 * 60_000;
  for (let i = 0; i < 3; i++) assert.equal(r.take('k', 3, t + i), 0);
  assert.ok(r.take('k', 3, t + 10) > 0);
  assert.equal(r.take('other', 3, t + 10), 0);
  // a full window later the budget is back
  assert.equal(r.take('k', 3, t + 120_000), 0);
});

test('webhook signatures verify against the raw body and secret only', () => {
  const body = '{"id":"g","status":"COMPLETED"}';
  const sig = signature('whsec_a', body);
  assert.match(sig, /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.ok(verifySignature('whsec_a', body, sig));
  assert.ok(!verifySignature('whsec_b', body, sig));
  assert.ok(!verifySignature('whsec_a', body + ' ', sig));
  assert.ok(!verifySignature('whsec_a', body, signature('whsec_a', body, Math.floor(Date.now() / 1000) - 3600)), 'old timestamps are refused');
});

test("Sync's active_speaker_detection maps onto the engine's speaker selection", () => {
  assert.deepEqual(speakerSelection({ active_speaker_detection: { auto_detect: true } }), { mode: 'auto' });
  assert.deepEqual(speakerSelection({ active_speaker_detection: { coordinates: [120, 80], frame_number: 5 } }), { mode: 'point', x: 120, y: 80, frame: 5 });
  assert.deepEqual(speakerSelection({ active_speaker_detection: { bounding_boxes: [[10, 20, 110, 220], null] } }), { mode: 'boxes', boxes: { 0: [10, 20, 100, 200] } });
  assert.equal(speakerSelection({}), undefined);
});

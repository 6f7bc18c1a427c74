import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { parseArgs, numberFlag, UsageError } from '../src/cli/args.js';
import { ProgressReporter, formatDuration } from '../src/cli/progress.js';
import { encodePng } from '../src/engine/output/png.js';
import { createImage, drawText, drawLine } from '../src/engine/output/raster.js';
import { replaceSection } from '../bench/readme.js';

test('parseArgs: values, booleans, positionals, and unknown flags are refused', () => {
  const p = parseArgs(['in.mp4', '--out', 'a.json', '--json', '--fps=30'], { values: ['out', 'fps'], booleans: ['json'] });
  assert.deepEqual(p.positionals, ['in.mp4']);
  assert.equal(p.flags.out, 'a.json');
  assert.equal(p.flags.json, true);
  assert.equal(numberFlag(p, 'fps', 1, 240), 30);
  assert.throws(() => parseArgs(['--nope'], { values: [], booleans: [] }), UsageError);
  assert.throws(() => parseArgs(['--out'], { values: ['out'], booleans: [] }), /needs a value/);
  assert.throws(() => numberFlag(parseArgs(['--fps', 'x'], { values: ['fps'], booleans: [] }), 'fps'), /must be a number/);
});

test('progress: plain mode prints one line per tenth, json mode prints parseable lines, stage times add up', () => {
  let t = 0;
  const lines: string[] = [];
  const plain = new ProgressReporter('plain', { write: (s: string) => lines.push(s) }, () => t);
  for (let i = 0; i <= 100; i++) {
    t = i * 40;
    plain.update({ stage: 'analyze', done: i, total: 100 });
  }
  plain.endStage();
  assert.equal(lines.length, 11);
  assert.match(lines[5], /^analyze: 50\/100 frames \(50%\), 25\.0 frames\/s, ETA 00:02/);
  assert.equal(plain.stageTimes.analyze, 4);

  const json: string[] = [];
  const j = new ProgressReporter('json', { write: (s: string) => json.push(s) }, () => 1000);
  j.update({ stage: 'decode', done: 1, total: 2 });
  j.endStage();
  const parsed = json.map((l) => JSON.parse(l));
  assert.equal(parsed[0].type, 'progress');
  assert.equal(parsed[1].type, 'stage');
  assert.equal(formatDuration(3725), '1:02:05');
});

test('PNG writer produces a valid file whose pixels read back', () => {
  const img = createImage(20, 10, [10, 20, 30]);
  drawLine(img, 0, 0, 19, 0, [255, 0, 0]);
  drawText(img, 'A1', 2, 2, [255, 255, 255], 1, false);
  const png = encodePng(img.data, img.width, img.height);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idatStart = png.indexOf('IDAT') + 4;
  const idatLen = png.readUInt32BE(idatStart - 8);
  const raw = inflateSync(png.subarray(idatStart, idatStart + idatLen));
  assert.equal(raw.length, (20 * 3 + 1) * 10);
  assert.deepEqual([...raw.subarray(1, 4)], [255, 0, 0]);
  const row5 = 5 * 61 + 1;
  assert.deepEqual([...raw.subarray(row5 + 19 * 3, row5 + 20 * 3)], [10, 20, 30]);
});

test('README sections are replaced in place, or appended when missing', () => {
  const t = 'a\n<!-- bench:x:start -->\nold\n<!-- bench:x:end -->\nb\n';
  assert.equal(replaceSection(t, 'x', 'new'), 'a\n<!-- bench:x:start -->\nnew\n<!-- bench:x:end -->\nb\n');
  assert.match(replaceSection('a', 'y', 'z'), /<!-- bench:y:start -->\nz\n<!-- bench:y:end -->/);
});

/**
 * What the MCP tests do with a connected client, whatever the transport: call tools, poll a
 * generation to completion with progress, read the output resource, and check the output is a
 * real lip-synced video.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { probeMedia } from '../src/engine/media/probe.js';

export interface ToolOutcome {
  isError: boolean;
  structured: Record<string, unknown>;
  text: string;
  content: Array<Record<string, unknown>>;
}

export async function call(client: Client, name: string, args: Record<string, unknown>, onProgress?: (p: number) => void): Promise<ToolOutcome> {
  const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 130_000, ...(onProgress ? { onprogress: (p) => onProgress(p.progress) } : {}) });
  const content = (r.content ?? []) as Array<Record<string, unknown>>;
  return {
    isError: r.isError === true,
    structured: (r.structuredContent ?? {}) as Record<string, unknown>,
    text: content.filter((c) => c.type === 'text').map((c) => String(c.text)).join('\n'),
    content,
  };
}

/** Calls generate_get-generation with wait until the generation is terminal; returns it and the progress seen. */
export async function pollToEnd(client: Client, id: string, limitMs = 150_000): Promise<{ gen: Record<string, unknown>; progress: number[]; last: ToolOutcome }> {
  const progress: number[] = [];
  const until = Date.now() + limitMs;
  for (;;) {
    const r = await call(client, 'generate_get-generation', { id, wait: 20 }, (p) => progress.push(p));
    assert.equal(r.isError, false, r.text);
    const s = r.structured.status;
    if (s === 'COMPLETED' || s === 'FAILED' || s === 'REJECTED') return { gen: r.structured, progress, last: r };
    assert.ok(Date.now() < until, `generation ${id} still ${String(s)}`);
  }
}

/** Reads the output resource, writes it to `dir`, and checks it is an MP4 with video and sound. */
export async function readOutput(client: Client, id: string, dir: string): Promise<string> {
  const res = await client.readResource({ uri: `resync://generations/${id}/output` });
  const c = res.contents[0] as { mimeType?: string; blob?: string };
  assert.equal(c.mimeType, 'video/mp4');
  assert.ok(c.blob && c.blob.length > 1000, 'the resource carries the video');
  const path = join(dir, `${id}.mp4`);
  await writeFile(path, Buffer.from(c.blob, 'base64'));
  const info = await probeMedia(path);
  assert.ok(info.video && info.video.frameCount >= 20, 'output has video frames');
  assert.ok(info.audio, 'output has sound');
  return path;
}

/** The API errorCode of a tool error (its text starts with `errorCode (HTTP status): message`). */
export function errorCodeOf(r: ToolOutcome): string | undefined {
  return r.isError ? /^([a-z0-9_]+) \(HTTP \d+\): /.exec(r.text)?.[1] : undefined;
}

export const TOOL_NAMES = [
  'create-lipsync',
  'generate_create-generation',
  'generate_get-generation',
  'generate_get-generations',
  'generations_delete',
  'generate_estimate-cost',
  'models_get',
  'upload-media',
  'assets_get-all',
  'voices_get-all',
];

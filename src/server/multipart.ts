/**
 * multipart/form-data with busboy: fields as strings (repeated fields kept in order), files
 * streamed to disk. Sync's parser limits apply (3 files, 32 fields, 35 parts, 1 MiB per field)
 * plus the configured file size; going over any of them is a 413 before anything is queued.
 */
import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';

export interface UploadedFile {
  field: string;
  filename: string;
  mimeType: string;
  path: string;
  size: number;
}

export interface ParsedForm {
  fields: Record<string, string[]>;
  files: UploadedFile[];
  /** Removes every saved file (call when the request is refused). */
  discard(): Promise<void>;
}

export async function parseMultipart(req: IncomingMessage, dir: string, maxFileBytes: number): Promise<ParsedForm> {
  const saveDir = join(dir, randomBytes(12).toString('hex'));
  await mkdir(saveDir, { recursive: true });
  const fields: Record<string, string[]> = {};
  const files: UploadedFile[] = [];
  const discard = (): Promise<void> => rm(saveDir, { recursive: true, force: true });
  const tooBig = (m: string): ApiError => new ApiError(413, 'generation_input_validation_failed', m);
  try {
    await new Promise<void>((resolve, reject) => {
      let bb: busboy.Busboy;
      try {
        bb = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, files: 3, fields: 32, parts: 35, fieldSize: 1024 * 1024 } });
      } catch (e) {
        reject(new ApiError(400, 'generation_input_validation_failed', `malformed multipart request: ${(e as Error).message}`));
        return;
      }
      const writes: Promise<void>[] = [];
      let failed: ApiError | undefined;
      const fail = (e: ApiError): void => {
        if (!failed) failed = e;
      };
      bb.on('field', (name, value, info) => {
        if (info.valueTruncated) fail(tooBig(`form field "${name}" is over 1 MiB`));
        (fields[name] ??= []).push(value);
      });
      bb.on('file', (field, stream, info) => {
        const path = join(saveDir, `${files.length}-${field}`);
        const f: UploadedFile = { field, filename: info.filename ?? field, mimeType: info.mimeType, path, size: 0 };
        files.push(f);
        stream.on('data', (c: Buffer) => (f.size += c.length));
        stream.on('limit', () => fail(new ApiError(413, 'file_size_exceeds_plan_limit', `file "${field}" is over the ${maxFileBytes}-byte limit`)));
        const out = createWriteStream(path);
        writes.push(new Promise((res, rej) => {
          out.on('finish', () => res());
          out.on('error', rej);
        }));
        stream.pipe(out);
      });
      bb.on('filesLimit', () => fail(tooBig('too many files (at most 3)')));
      bb.on('fieldsLimit', () => fail(tooBig('too many form fields (at most 32)')));
      bb.on('partsLimit', () => fail(tooBig('too many form parts (at most 35)')));
      bb.on('error', (e) => reject(new ApiError(400, 'generation_input_validation_failed', `malformed multipart request: ${(e as Error).message}`)));
      bb.on('close', () => {
        Promise.all(writes).then(() => (failed ? reject(failed) : resolve()), reject);
      });
      req.pipe(bb);
    });
  } catch (e) {
    await discard();
    throw e;
  }
  return { fields, files, discard };
}

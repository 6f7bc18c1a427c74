/**
 * Reusable typed-array planes for the per-frame render. At 1080p an edited frame used to allocate
 * about 15 MB of short-lived float planes (warped colour, masks, blurs), and collecting them cost
 * ~6 ms a frame on the main thread, the render's bottleneck. A named slot hands back the same
 * memory on every frame while it is large enough. The price: the planes of the largest region
 * rendered so far stay allocated for the life of the process (a few MB at 1080p, tens at 4K).
 *
 * Rules for callers: a slot's contents are valid only until the next request for the same slot,
 * and nothing taken from a Scratch may be returned to code outside the render. Functions that take
 * a Scratch default to a fresh one, which simply allocates: what they return is then the caller's.
 */
export class Scratch {
  private readonly f32 = new Map<string, Float32Array>();
  private readonly f64 = new Map<string, Float64Array>();
  private readonly u8 = new Map<string, Uint8Array>();

  /** A Float32Array of exactly n elements for `slot`, zero-filled unless `zero` is false. */
  floats(slot: string, n: number, zero = true): Float32Array {
    return take(this.f32, slot, n, zero, (m) => new Float32Array(m));
  }

  doubles(slot: string, n: number, zero = true): Float64Array {
    return take(this.f64, slot, n, zero, (m) => new Float64Array(m));
  }

  bytes(slot: string, n: number, zero = true): Uint8Array {
    return take(this.u8, slot, n, zero, (m) => new Uint8Array(m));
  }
}

function take<T extends Float32Array | Float64Array | Uint8Array>(pool: Map<string, T>, slot: string, n: number, zero: boolean, make: (n: number) => T): T {
  let buf = pool.get(slot);
  if (!buf || buf.length < n) {
    // a slot that grows again gets headroom, so a slowly growing face does not reallocate every frame
    buf = make(buf ? Math.ceil(n * 1.25) : n);
    pool.set(slot, buf);
  }
  const view = buf.subarray(0, n) as T;
  if (zero) view.fill(0);
  return view;
}

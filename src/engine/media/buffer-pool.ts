/**
 * Recycles equal-sized frame buffers. At 1080p every frame took 3 MB of fresh memory at least twice
 * (the decoder's frame, the encoder's copy of it), paid for in page faults, zeroing and garbage
 * collection on the render's critical thread; a handful of buffers going round does the same work.
 *
 * Whoever gives a buffer back promises that nothing reads or writes it afterwards.
 */
export class BufferPool {
  private readonly free: Uint8Array[] = [];

  /** @param bytes the size of every buffer; @param max buffers kept for reuse at most */
  constructor(
    readonly bytes: number,
    private readonly max = 8,
  ) {}

  /** A buffer of `bytes` bytes (contents undefined: the caller overwrites all of it). */
  take(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(this.bytes);
  }

  /** Returns a buffer for reuse; one of another size, or a view into a larger one, is left to the GC. */
  give(b: Uint8Array): void {
    if (b.byteLength === this.bytes && b.byteOffset === 0 && b.buffer.byteLength === this.bytes && this.free.length < this.max) this.free.push(b);
  }
}

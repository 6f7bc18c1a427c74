/**
 * Fixed-capacity buffer of frames addressed by absolute frame index. The streaming steps look a
 * bounded distance back and ahead; a ring keeps their memory flat however long the input is.
 */
export class FrameRing<T> {
  private readonly items: (T | undefined)[];
  /** Index one past the newest frame stored. */
  end = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.end % this.capacity] = item;
    this.end++;
  }

  /** Oldest index still held. */
  get start(): number {
    return Math.max(0, this.end - this.capacity);
  }

  /** The frame at an absolute index, clamped into the held range (edges repeat). */
  at(index: number): T {
    const i = Math.min(this.end - 1, Math.max(this.start, index));
    return this.items[i % this.capacity] as T;
  }

  has(index: number): boolean {
    return index >= this.start && index < this.end;
  }
}

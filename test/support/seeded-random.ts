/**
 * A small seeded PRNG (mulberry32) for fuzz tests: the same seed gives the same inputs on every run
 * and in CI, so a failure prints a seed that reproduces it.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(probability = 0.5): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  /** A copy of `input` with a few random byte flips, insertions, deletions or truncation. */
  mutate(input: Buffer, maxEdits = 8): Buffer {
    let out = Buffer.from(input);
    const edits = this.int(1, maxEdits);
    for (let i = 0; i < edits && out.length > 0; i++) {
      const at = this.int(0, out.length - 1);
      switch (this.int(0, 4)) {
        case 0:
          out[at] = this.int(0, 255);
          break;
        case 1:
          out[at] = out[at]! ^ (1 << this.int(0, 7));
          break;
        case 2:
          out = Buffer.concat([out.subarray(0, at), this.bytes(this.int(1, 16)), out.subarray(at)]);
          break;
        case 3:
          out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + this.int(1, 16)))]);
          break;
        default:
          out = out.subarray(0, at);
      }
    }
    return out;
  }

  /** Splits a buffer at random points (how bytes arrive from a socket). */
  split(input: Buffer, maxPiece = 512): Buffer[] {
    const pieces: Buffer[] = [];
    for (let i = 0; i < input.length; ) {
      const size = this.int(1, maxPiece);
      pieces.push(input.subarray(i, i + size));
      i += size;
    }
    return pieces;
  }
}

/** Seeds for a fuzz run: fixed by default, widened with FUZZ_SEEDS=N (or pinned with FUZZ_SEED=S). */
export function fuzzSeeds(defaultCount = 4): number[] {
  if (process.env.FUZZ_SEED) return [Number(process.env.FUZZ_SEED)];
  const count = Number(process.env.FUZZ_SEEDS ?? defaultCount);
  return Array.from({ length: count }, (_, i) => 0x5eed + i * 7919);
}

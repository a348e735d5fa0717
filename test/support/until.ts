/** Waiting on a condition, not a fixed sleep: the machine may be very busy. */

/** Polls `probe` every 50 ms until it returns something truthy, and resolves with that; throws after `timeoutMs`, naming `what`. */
export async function until<T>(probe: () => T | undefined | null | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

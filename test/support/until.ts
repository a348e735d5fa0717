/** Waiting on a condition, not a fixed sleep: the machine may be very busy. */

/**
 * Polls `probe` (sync or async) every `intervalMs` until it returns something truthy, and resolves with
 * that; throws after `timeoutMs`, naming `what`.
 */
export async function until<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

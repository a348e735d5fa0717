/**
 * A test-only hook, after Signal's `window.SignalCI`: Playwright waits on what the app actually did
 * (an engine event arrived, the first snapshot rendered, a theme was applied) instead of sleeping.
 * Installed only when the page is opened with `#studio-test=1`; it exposes nothing the page does not
 * already receive, so it grants no rights.
 */
export interface RecordedEvent {
  seq: number;
  name: string;
  payload: unknown;
}

export interface WaitOptions {
  /** Only events recorded after this sequence number (from `mark()`) count. Default: any, past included. */
  after?: number;
  /** Shallow match on the payload's fields. */
  where?: Record<string, unknown>;
  timeoutMs?: number;
}

export interface StudioTestHook {
  /** The sequence number of the last recorded event: take it before acting, wait with `after`. */
  mark(): number;
  waitForEvent(name: string, options?: WaitOptions): Promise<RecordedEvent>;
  events(): RecordedEvent[];
}

const history: RecordedEvent[] = [];
const waiters = new Set<{ match: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }>();
let seq = 0;
const MAX_HISTORY = 500;

function matches(event: RecordedEvent, name: string, options: WaitOptions): boolean {
  if (event.name !== name) return false;
  if (options.after !== undefined && event.seq <= options.after) return false;
  if (!options.where) return true;
  const payload = event.payload as Record<string, unknown> | null;
  return !!payload && Object.entries(options.where).every(([key, value]) => payload[key] === value);
}

/** Called by the app for engine events and its own milestones (`ui:*`). Cheap when no test listens. */
export function recordStudioEvent(name: string, payload: unknown): void {
  const event = { seq: ++seq, name, payload };
  history.push(event);
  if (history.length > MAX_HISTORY) history.shift();
  for (const waiter of [...waiters]) {
    if (waiter.match(event)) {
      waiters.delete(waiter);
      waiter.resolve(event);
    }
  }
}

export function createStudioTestHook(): StudioTestHook {
  return {
    mark: () => seq,
    events: () => [...history],
    waitForEvent(name, options = {}) {
      const past = history.find((e) => matches(e, name, options));
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const waiter = { match: (e: RecordedEvent) => matches(e, name, options), resolve };
        waiters.add(waiter);
        setTimeout(() => {
          if (!waiters.delete(waiter)) return;
          reject(new Error(`no "${name}" event within ${options.timeoutMs ?? 10_000} ms (recorded: ${history.slice(-10).map((e) => e.name).join(', ') || 'none'})`));
        }, options.timeoutMs ?? 10_000);
      });
    },
  };
}

/**
 * A raw WebSocket client for integration tests of the studio API: it speaks the wire format by hand
 * (so tests can send malformed frames) and queues server frames so a test can await them in order.
 */
import WebSocket from 'ws';
import type { ServerFrame } from '../../src-main/contract/ws-wire';

export interface Closed {
  code: number;
  reason: string;
}

export class WsTestClient {
  private readonly frames: ServerFrame[] = [];
  private readonly waiters: { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void; reject: (e: Error) => void }[] = [];
  private nextId = 1;
  readonly opened: Promise<void>;
  readonly closed: Promise<Closed>;

  constructor(
    readonly socket: WebSocket,
    private readonly timeoutMs = 5_000,
  ) {
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      } else {
        this.frames.push(frame);
      }
    });
    void this.closed.then(() => {
      for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed while waiting for a frame'));
    });
  }

  static connect(url: string, options: { origin?: string; headers?: Record<string, string> } = {}): WsTestClient {
    return new WsTestClient(new WebSocket(url, { origin: options.origin, headers: options.headers }));
  }

  /** The next frame that matches (already received or still to come). */
  next<T extends ServerFrame['type']>(type: T, match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true): Promise<Extract<ServerFrame, { type: T }>> {
    const test = (f: ServerFrame) => f.type === type && match(f as Extract<ServerFrame, { type: T }>);
    const index = this.frames.findIndex(test);
    if (index >= 0) return Promise.resolve(this.frames.splice(index, 1)[0] as Extract<ServerFrame, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.waiters.push({
        match: test,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as Extract<ServerFrame, { type: T }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Frames received and not yet consumed (to assert that something did NOT arrive). */
  pending(): readonly ServerFrame[] {
    return this.frames;
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  async request(channel: string, ...args: unknown[]) {
    const id = this.nextId++;
    this.sendRaw(JSON.stringify({ type: 'request', id, channel, args }));
    return (await this.next('reply', (f) => f.id === id)).reply;
  }

  close(): Promise<Closed> {
    this.socket.close();
    return this.closed;
  }
}

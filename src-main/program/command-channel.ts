/**
 * How live changes reach the running ffmpeg.
 *
 * zmq (preferred): ffmpeg's `zmq` filter binds a REP socket; we talk to it with a DEALER (the REQ
 * protocol with pipelining), so a batch — e.g. a transform's four commands — is queued at once and the
 * filter, which drains every pending message each frame, applies it on one frame. Replies come back in
 * order: `0 Success`, or a negative errno and its text.
 *
 * stdin (fallback, a binary without libzmq): ffmpeg's interactive `c` command, one line per command.
 * There is no reply, and every stray byte is a hotkey (`q` quits), so only whole command lines are written.
 */
import type { Writable } from 'node:stream';
import type { Disposable } from '../core/disposable';
import { StudioError } from '../core/studio-error';
import { createLogger } from '../core/logger';
import type { FilterCommand } from '../compose/live-commands';

const log = createLogger('program-commands');

export interface CommandReply {
  command: FilterCommand;
  ok: boolean;
  /** ffmpeg's reply text (`Success`, `Invalid argument`), or `unconfirmed` in stdin mode. */
  text: string;
}

export interface CommandChannel extends Disposable {
  readonly mode: 'zmq' | 'stdin';
  /** Sends a batch; resolves with one reply per command once ffmpeg applied them. */
  send(commands: readonly FilterCommand[]): Promise<CommandReply[]>;
}

/** `0 Success` → ok; `-22 Invalid argument` → not ok. Pure. */
export function parseZmqReply(command: FilterCommand, reply: string): CommandReply {
  const match = /^(-?\d+)\s+([^\n]*)/.exec(reply);
  if (!match) return { command, ok: false, text: reply.trim() || 'no reply' };
  return { command, ok: Number(match[1]) === 0, text: match[2]!.trim() };
}

/** `streamselect@program map 1` → the stdin command line `cstreamselect@program -1 map 1\n`. Pure. */
export function stdinCommandLine(command: FilterCommand): string {
  const [target, verb, ...rest] = command.split(' ');
  // -1: apply now (no timestamp). 'c' sends to the first filter matching the target, like zmq does.
  return `c${target} -1 ${verb}${rest.length > 0 ? ` ${rest.join(' ')}` : ''}\n`;
}

type DealerSocket = {
  connect(address: string): void;
  send(message: (string | Buffer)[]): Promise<void>;
  receive(): Promise<Buffer[]>;
  close(): void;
};

export class ZmqCommandChannel implements CommandChannel {
  readonly mode = 'zmq' as const;
  private socket: DealerSocket | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly address: string,
    private readonly timeoutMs = 3000,
  ) {}

  /** Loads the zeromq binding; false when it is unavailable (then the program uses stdin mode). */
  static isAvailable(): boolean {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('zeromq');
      return true;
    } catch (error) {
      log.warn('zeromq is unavailable; live changes use ffmpeg stdin commands', error);
      return false;
    }
  }

  private open(): DealerSocket {
    if (!this.socket) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const zmq = require('zeromq') as typeof import('zeromq');
      const socket = new zmq.Dealer({ linger: 0, receiveTimeout: this.timeoutMs, sendTimeout: this.timeoutMs });
      socket.connect(this.address);
      this.socket = socket as unknown as DealerSocket;
    }
    return this.socket;
  }

  send(commands: readonly FilterCommand[]): Promise<CommandReply[]> {
    if (commands.length === 0) return Promise.resolve([]);
    // One batch at a time: the DEALER's replies pair with requests by order.
    const run = this.queue.then(() => this.exchange(commands));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async exchange(commands: readonly FilterCommand[]): Promise<CommandReply[]> {
    if (this.disposed) throw new StudioError('INTERNAL', { message: 'The program is not running.' });
    const socket = this.open();
    try {
      // A REP peer expects the REQ envelope: an empty delimiter frame before the body.
      for (const command of commands) await socket.send(['', command]);
      const replies: CommandReply[] = [];
      for (const command of commands) {
        const frames = await socket.receive();
        replies.push(parseZmqReply(command, frames[frames.length - 1]?.toString() ?? ''));
      }
      return replies;
    } catch (error) {
      // A lost reply would shift every later pairing: start over with a fresh socket.
      this.socket?.close();
      this.socket = undefined;
      throw new StudioError('ENCODE_ERROR', { message: `ffmpeg did not answer a live change in ${this.timeoutMs} ms.`, cause: error });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.socket?.close();
    this.socket = undefined;
  }
}

export class StdinCommandChannel implements CommandChannel {
  readonly mode = 'stdin' as const;

  constructor(private readonly stdin: Writable) {}

  send(commands: readonly FilterCommand[]): Promise<CommandReply[]> {
    if (commands.length === 0) return Promise.resolve([]);
    // One write per batch keeps each command line whole; ffmpeg reads one per transcode step.
    this.stdin.write(commands.map(stdinCommandLine).join(''));
    return Promise.resolve(commands.map((command) => ({ command, ok: true, text: 'unconfirmed' })));
  }

  dispose(): void {
    // The program's owner closes stdin when it stops ffmpeg.
  }
}

/**
 * The output's state machine, buffering and timeline against an in-memory connection that records what
 * it was given (the real RTMP connection is exercised in test/integration/output*.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter, waitForEvent } from '../core/emitter';
import { StudioError } from '../core/studio-error';
import type { FlvTag } from '../media/flv';
import type { RtmpConnectionStats, RtmpPublisherConnection, RtmpPublishTarget } from '../rtmp/types';
import { classifyTag } from './gop-buffer';
import { defaultReconnectSchedule, type ReconnectSchedule } from './reconnect-policy';
import { readStudioStampsFromNals } from './sei-stamp';
import { splitAvccNalUnits } from '../media/avc';
import { StreamOutput, type StreamOutputOptions } from './stream-output';

type Behaviour = 'ok' | StudioError;

class RecordingConnection implements RtmpPublisherConnection {
  readonly sent: FlvTag[] = [];
  closed = false;
  bufferedBytes = 0;
  private readonly disconnect = new Emitter<StudioError>();
  readonly onDisconnect = this.disconnect.event;
  constructor(private readonly behaviour: Behaviour) {}
  async connect(): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    if (this.behaviour !== 'ok') throw this.behaviour;
  }
  send(tag: FlvTag): boolean {
    if (this.closed) throw new Error('send after close');
    this.sent.push(tag);
    return true;
  }
  stats(): RtmpConnectionStats {
    const bytes = this.sent.reduce((n, t) => n + t.data.length, 0);
    return { bytesSent: bytes, bytesAcked: bytes, bufferedBytes: this.bufferedBytes, connectTimeMs: 1 };
  }
  drop(): void {
    this.disconnect.fire(new StudioError('INGEST_DISCONNECTED'));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Connections in creation order; the next ones behave as queued (default ok). */
class Ingest {
  readonly connections: RecordingConnection[] = [];
  readonly targets: RtmpPublishTarget[] = [];
  private readonly queue: Behaviour[] = [];
  willAnswer(...behaviours: Behaviour[]): void {
    this.queue.push(...behaviours);
  }
  readonly factory = (target: RtmpPublishTarget): RtmpPublisherConnection => {
    const connection = new RecordingConnection(this.queue.shift() ?? 'ok');
    this.targets.push(target);
    this.connections.push(connection);
    return connection;
  };
  get last(): RecordingConnection {
    return this.connections.at(-1)!;
  }
}

/** A synthetic 10 fps program with valid AVCC frames, 1 s GOPs, and audio after each frame. */
class Program {
  readonly emitter = new Emitter<FlvTag>();
  private t = 0;
  readonly headerTags: FlvTag[] = [
    { type: 'script', timestamp: 0, data: Buffer.concat([Buffer.from([2, 0, 10]), Buffer.from('onMetaData'), Buffer.from([8, 0, 0, 0, 0])]) },
    { type: 'video', timestamp: 0, data: Buffer.from('1700000000014d401fffe10004674d401f010004 68ee3c80'.replace(/ /g, ''), 'hex') },
    { type: 'audio', timestamp: 0, data: Buffer.from([0xaf, 0x00, 0x11, 0x90]) },
  ];
  emitHeaders(): void {
    for (const tag of this.headerTags) this.emitter.fire(tag);
  }
  frames(count: number): void {
    for (let i = 0; i < count; i++) {
      const frame = Math.round(this.t / 100);
      const key = frame % 10 === 0;
      const nal = Buffer.from(key ? [0x65, 0x88, 0x84, frame & 0xff] : [0x41, 0x9a, 0x02, frame & 0xff]);
      const data = Buffer.concat([Buffer.from([key ? 0x17 : 0x27, 1, 0, 0, 0, 0, 0, 0, nal.length]), nal]);
      this.emitter.fire({ type: 'video', timestamp: this.t, data });
      this.emitter.fire({ type: 'audio', timestamp: this.t + 5, data: Buffer.from([0xaf, 0x01, frame & 0xff]) });
      this.t += 100;
    }
  }
}

const fast: ReconnectSchedule = { ...defaultReconnectSchedule, fastDelaysMs: [0, 5, 10], steadyDelayMs: 20, graceWindowMs: 2000 };
const target: RtmpPublishTarget = { ingestUrl: 'rtmp://127.0.0.1:1/app', streamKey: 'sk_us-west-2_testkey123' };
const kinds = (tags: FlvTag[]) => tags.map((t) => classifyTag(t));
const frameOf = (tag: FlvTag) => tag.data.at(-1);

let outputs: StreamOutput[] = [];
function makeOutput(ingest: Ingest, program: Program, over: Partial<StreamOutputOptions> = {}): StreamOutput {
  const output = new StreamOutput({
    source: { onTag: program.emitter.event },
    target,
    createConnection: ingest.factory,
    schedule: fast,
    statsIntervalMs: 50,
    random: () => 0.5,
    ...over,
  });
  outputs.push(output);
  return output;
}
afterEach(async () => {
  for (const o of outputs) await o.dispose();
  outputs = [];
});

/** An output started on a fresh ingest and program, the program's headers sent: live, with nothing sent yet. */
async function liveOutput(over: Partial<StreamOutputOptions> = {}): Promise<{ ingest: Ingest; program: Program; output: StreamOutput }> {
  const ingest = new Ingest();
  const program = new Program();
  const output = makeOutput(ingest, program, over);
  const started = output.start();
  program.emitHeaders();
  await started;
  return { ingest, program, output };
}

describe('StreamOutput', () => {
  it('goes live: headers, then the first keyframe at 0, then the program on a continuous timeline, every frame stamped', async () => {
    const ingest = new Ingest();
    const program = new Program();
    const output = makeOutput(ingest, program);
    const states: string[] = [];
    output.onStateChange((s) => states.push(s.state));
    const before = Date.now();
    const started = output.start();
    program.emitHeaders();
    program.frames(3); // before connect: buffered from the first keyframe
    await started;
    program.frames(12);
    const sent = ingest.last.sent;
    expect(kinds(sent).slice(0, 4)).toEqual(['metadata', 'video-header', 'audio-header', 'keyframe']);
    const media = sent.slice(3);
    expect(media.map((t) => t.timestamp).slice(0, 6)).toEqual([0, 5, 100, 105, 200, 205]);
    expect(media.filter((t) => t.type === 'video').map(frameOf)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    for (const frame of media.filter((t) => t.type === 'video')) {
      const [stamp] = readStudioStampsFromNals(splitAvccNalUnits(frame.data.subarray(5), 4));
      expect(stamp).toBeGreaterThanOrEqual(before);
      expect(stamp).toBeLessThanOrEqual(Date.now());
    }
    expect(states).toEqual(['starting', 'live']);
    expect(output.stats().framesSent).toBe(15);
    expect(ingest.targets[0]).toEqual(target);
  });

  it('uses the source\'s remembered headers when attached to a running program', async () => {
    const ingest = new Ingest();
    const program = new Program();
    const output = makeOutput(ingest, program, { source: { onTag: program.emitter.event, headerTags: () => program.headerTags } });
    await output.start();
    program.frames(2);
    expect(kinds(ingest.last.sent)).toEqual(['metadata', 'video-header', 'audio-header', 'keyframe', 'audio', 'video', 'audio']);
  });

  it('attached mid-GOP, starts at once from the source\'s recent GOP, stamped with when those frames left the encoder', async () => {
    const ingest = new Ingest();
    const program = new Program();
    const recent: Array<{ tag: FlvTag; at: number }> = [];
    const capture = program.emitter.event((tag) => {
      if (classifyTag(tag) === 'keyframe') recent.length = 0;
      if (tag.type !== 'script' && classifyTag(tag) !== 'video-header' && classifyTag(tag) !== 'audio-header') recent.push({ tag, at: 1_700_000_000_000 + tag.timestamp });
    });
    program.frames(13); // frames 0..12: the current GOP is 10, 11, 12
    capture.dispose();
    const output = makeOutput(ingest, program, { source: { onTag: program.emitter.event, headerTags: () => program.headerTags, recentTags: () => recent } });
    await output.start();
    program.frames(2);
    const sent = ingest.last.sent;
    expect(kinds(sent).slice(0, 4)).toEqual(['metadata', 'video-header', 'audio-header', 'keyframe']);
    const video = sent.filter((t) => t.type === 'video' && classifyTag(t) !== 'video-header');
    expect(video.map(frameOf)).toEqual([10, 11, 12, 13, 14]);
    const stamps = video.slice(0, 3).map((t) => readStudioStampsFromNals(splitAvccNalUnits(t.data.subarray(5), 4))[0]);
    expect(stamps).toEqual([1_700_000_001_000, 1_700_000_001_100, 1_700_000_001_200]);
    expect(output.stats().droppedFrames.total).toBe(0);
  });

  it('frames before the stream\'s first keyframe are not counted as dropped', async () => {
    const ingest = new Ingest();
    const program = new Program();
    const output = makeOutput(ingest, program, { source: { onTag: program.emitter.event, headerTags: () => program.headerTags } });
    program.frames(4); // 0..3 before start
    await output.start();
    program.frames(10); // 4..9 precede the keyframe at 10, which starts the stream
    expect(ingest.last.sent.filter((t) => classifyTag(t) === 'keyframe').map(frameOf)).toEqual([10]);
    expect(output.stats().droppedFrames.total).toBe(0);
  });

  it.each(['STREAM_KEY_REJECTED', 'INGEST_UNREACHABLE', 'INGEST_TLS', 'CHANNEL_BUSY'] as const)(
    'a first attempt failing with %s rejects start and returns to offline with that error',
    async (code) => {
      const ingest = new Ingest();
      ingest.willAnswer(new StudioError(code));
      const program = new Program();
      const output = makeOutput(ingest, program);
      await expect(output.start()).rejects.toMatchObject({ code });
      expect(output.state).toBe('offline');
      expect(output.snapshot().lastError?.code).toBe(code);
      expect(program.emitter.listenerCount).toBe(0);
      expect(ingest.last.closed).toBe(true);
      expect(ingest.connections.length).toBe(1);
    },
  );

  it('reconnects after a drop: retries, resumes at a keyframe with headers on a continued timeline, and counts it', async () => {
    const { ingest, program, output } = await liveOutput();
    program.frames(14); // frames 0..13, last sent video at 1300
    const first = ingest.last;
    ingest.willAnswer(new StudioError('INGEST_UNREACHABLE'), new StudioError('CHANNEL_BUSY'));
    first.drop();
    expect(output.state).toBe('reconnecting');
    program.frames(16); // 14..29: 14–19 are the broken GOP's tail, 20–29 a whole GOP
    await waitForEvent(output.onStateChange, (s) => s.state === 'live', 2000);
    expect(ingest.connections.length).toBe(4);
    // Reconnect attempts time out sooner than the first connect, so a hung attempt cannot hold up a return.
    expect(ingest.targets.map((t) => t.connectTimeoutMs)).toEqual([undefined, 4000, 4000, 4000]);
    expect(ingest.targets[1]!.streamKey).toBe(target.streamKey);
    const resumed = ingest.last.sent;
    expect(kinds(resumed).slice(0, 4)).toEqual(['metadata', 'video-header', 'audio-header', 'keyframe']);
    expect(frameOf(resumed[3]!)).toBe(20);
    const lastBefore = Math.max(...first.sent.map((t) => t.timestamp));
    const lastVideoBefore = Math.max(...first.sent.filter((t) => ['keyframe', 'video'].includes(classifyTag(t))).map((t) => t.timestamp));
    expect([lastVideoBefore, lastBefore]).toEqual([1300, 1305]);
    // One frame interval after the last frame sent (not after the audio that trailed it), and after every tag sent.
    expect(resumed[3]!.timestamp).toBe(1400);
    expect(resumed[3]!.timestamp).toBeGreaterThan(lastBefore);
    program.frames(3);
    const videoTimes = resumed.filter((t) => classifyTag(t) === 'keyframe' || classifyTag(t) === 'video').map((t) => t.timestamp);
    expect(videoTimes).toEqual(Array.from({ length: 13 }, (_, i) => 1400 + i * 100));
    const stats = output.stats();
    expect(stats.reconnects.count).toBe(1);
    expect(stats.reconnects.durationsMs[0]).toBeGreaterThan(0);
    expect(stats.droppedFrames.disconnected).toBe(6);
    expect(stats.state).toBe('live');
  });

  it('ends with the error when a reconnect is refused for good (key rejected)', async () => {
    const { ingest, program, output } = await liveOutput();
    program.frames(5);
    ingest.willAnswer(new StudioError('INGEST_UNREACHABLE'), new StudioError('STREAM_KEY_REJECTED'));
    ingest.last.drop();
    await waitForEvent(output.onStateChange, (s) => s.state === 'offline', 2000);
    expect(output.snapshot().lastError?.code).toBe('STREAM_KEY_REJECTED');
    expect(program.emitter.listenerCount).toBe(0);
    expect(ingest.connections.every((c) => c.closed)).toBe(true);
  });

  it('reconnect-now skips a long wait', async () => {
    const { ingest, program, output } = await liveOutput({ schedule: { ...fast, fastDelaysMs: [0], steadyDelayMs: 60_000, graceWindowMs: 300_000 } });
    program.frames(10);
    ingest.willAnswer(new StudioError('INGEST_UNREACHABLE'));
    ingest.last.drop();
    await waitForEvent(output.onStateChange, (s) => s.state === 'reconnecting' && s.reconnect?.nextAttemptAt !== undefined && s.reconnect.attempt === 1, 2000);
    expect(output.snapshot().reconnect!.nextAttemptAt! - Date.now()).toBeGreaterThan(50_000);
    expect(output.reconnectNow()).toBe(true);
    await waitForEvent(output.onStateChange, (s) => s.state === 'live', 2000);
    expect(ingest.connections.length).toBe(3);
  });

  it('stop closes the session cleanly, stops listening and leaves no timer', async () => {
    const ingest = new Ingest();
    const program = new Program();
    const output = makeOutput(ingest, program);
    const states: string[] = [];
    output.onStateChange((s) => states.push(s.state));
    let statsAfterStop = 0;
    const started = output.start();
    program.emitHeaders();
    await started;
    program.frames(5);
    await output.stop();
    output.onStats(() => statsAfterStop++);
    program.frames(5);
    await new Promise((r) => setTimeout(r, 120));
    expect(states).toEqual(['starting', 'live', 'stopping', 'offline']);
    expect(ingest.last.closed).toBe(true);
    expect(ingest.last.sent.filter((t) => t.type === 'video').length).toBe(6); // header + 5 frames
    expect(statsAfterStop).toBe(0);
    expect(program.emitter.listenerCount).toBe(0);
    expect(output.snapshot().lastError).toBeUndefined();
  });

  it('stop during reconnecting abandons the retry', async () => {
    const { ingest, program, output } = await liveOutput({ schedule: { ...fast, fastDelaysMs: [50] } });
    ingest.last.drop();
    await output.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(ingest.connections.length).toBe(1);
    expect(output.state).toBe('offline');
  });

  it('under congestion drops video to the next keyframe, keeps audio, and counts it', async () => {
    const { ingest, program, output } = await liveOutput();
    program.frames(3); // 0,1,2 sent
    ingest.last.bufferedBytes = 10 * 1024 * 1024;
    program.frames(4); // 3..6 dropped
    ingest.last.bufferedBytes = 0;
    program.frames(5); // 7,8,9 dropped (no keyframe yet), 10, 11 sent
    const video = ingest.last.sent.filter((t) => t.type === 'video' && classifyTag(t) !== 'video-header');
    expect(video.map(frameOf)).toEqual([0, 1, 2, 10, 11]);
    expect(video.map((t) => t.timestamp)).toEqual([0, 100, 200, 1000, 1100]); // real time kept: audio never stopped
    expect(ingest.last.sent.filter((t) => classifyTag(t) === 'audio').length).toBe(12);
    const stats = output.stats();
    expect(stats.droppedFrames.congestion).toBe(7);
    expect(stats.congestionBytes).toBe(0);
  });

  it('emits stats every interval while running', async () => {
    const { ingest, program, output } = await liveOutput();
    program.frames(10);
    const stats = await waitForEvent(output.onStats, (s) => s.bytesSent > 0, 1000);
    expect(stats.state).toBe('live');
    expect(stats.bytesAcked).toBe(stats.bytesSent);
  });

  it('refuses to start twice', async () => {
    const output = makeOutput(new Ingest(), new Program());
    await output.start();
    await expect(output.start()).rejects.toMatchObject({ code: 'ALREADY_LIVE' });
  });
});

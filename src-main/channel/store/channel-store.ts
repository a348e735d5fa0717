/**
 * The control plane's persisted state. Every change is applied to a copy, written atomically
 * (temp + fsync + rename, `writeFileAtomic`) and only then made current, synchronously: by the time
 * an API handler returns, and so before its HTTP response is written, the change is on disk. A kill -9
 * at any moment therefore loses nothing that was acknowledged. A corrupt file is moved aside and
 * reported (`problems`), never silently replaced.
 *
 * It also serves the live runtime through the two seams in ../runtime.ts: ChannelDirectory (what a
 * stream key or channel id resolves to) and SessionLog (stream sessions and their events).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonDocument } from '../../core/documents';
import { createLogger } from '../../core/logger';
import { registerSecret } from '../../core/redact';
import type {
  ChannelDirectory,
  ChannelRecord,
  IngestConfiguration,
  PlaybackPublicKey,
  SessionLog,
  StreamEvent,
} from '../runtime';
import {
  emptyResources,
  emptySessions,
  resourcesSchema,
  sessionsSchema,
  type ChannelState,
  type Resources,
  type SessionState,
  type Sessions,
} from './state';

const log = createLogger('local-channel-store');

/** Bounds that keep sessions.json small; IVS itself keeps at most 500 events per session. */
export const MAX_EVENTS_PER_SESSION = 500;
export const MAX_SESSIONS_PER_CHANNEL = 100;

export interface StoreOptions {
  /** `<dataDir>/local-channel` */
  dir: string;
  region: string;
  accountId: string;
  /** Current playback URL of a channel (depends on this run's HTTP port). */
  playbackUrl: (channelId: string) => string;
}

export interface StoreProblem {
  file: string;
  problem: string;
  movedTo: string;
}

export class ChannelStore implements ChannelDirectory, SessionLog {
  readonly region: string;
  readonly accountId: string;
  /** Files found corrupt at start-up: kept aside, reported here and in the log. */
  readonly problems: StoreProblem[] = [];
  /** True when state.json did not exist (or was unreadable) when the store opened. */
  readonly isFresh: boolean;

  private readonly resourcesDoc: JsonDocument<Resources>;
  private readonly sessionsDoc: JsonDocument<Sessions>;
  private current: Resources;
  private currentSessions: Sessions;

  constructor(private readonly options: StoreOptions) {
    this.region = options.region;
    this.accountId = options.accountId;
    fs.mkdirSync(options.dir, { recursive: true });
    this.resourcesDoc = new JsonDocument(path.join(options.dir, 'state.json'), resourcesSchema, emptyResources);
    this.sessionsDoc = new JsonDocument(path.join(options.dir, 'sessions.json'), sessionsSchema, emptySessions);
    const existed = fs.existsSync(this.resourcesDoc.file);
    const resources = this.resourcesDoc.load();
    const sessions = this.sessionsDoc.load();
    for (const [doc, loaded] of [
      [this.resourcesDoc, resources],
      [this.sessionsDoc, sessions],
    ] as const) {
      if (loaded.recovered) {
        const problem = { file: doc.file, problem: loaded.recovered.problem, movedTo: loaded.recovered.movedTo };
        this.problems.push(problem);
        log.error(`${path.basename(doc.file)} was corrupt (${problem.problem}); kept it at ${problem.movedTo} and started from an empty state`);
      }
    }
    this.isFresh = !existed || resources.recovered !== undefined;
    this.current = resources.value;
    this.currentSessions = sessions.value;
    for (const key of this.current.streamKeys) registerSecret(key.value);
  }

  get resources(): Readonly<Resources> {
    return this.current;
  }

  get sessions(): readonly SessionState[] {
    return this.currentSessions.sessions;
  }

  /**
   * Applies `change` to a copy of the state and persists it before making it current. If `change`
   * throws (a refused request), nothing is written and nothing changes.
   */
  commit<T>(change: (draft: Resources) => T): T {
    const draft = structuredClone(this.current);
    const result = change(draft);
    this.resourcesDoc.save(draft);
    this.current = draft;
    for (const key of draft.streamKeys) registerSecret(key.value);
    return result;
  }

  commitSessions<T>(change: (draft: Sessions) => T): T {
    const draft = structuredClone(this.currentSessions);
    const result = change(draft);
    this.sessionsDoc.save(draft);
    this.currentSessions = draft;
    return result;
  }

  // ── ChannelDirectory ──────────────────────────────────────────────────────────────────────

  channelForStreamKey(streamKey: string): ChannelRecord | undefined {
    const key = this.current.streamKeys.find((k) => k.value === streamKey);
    if (!key) return undefined;
    const channel = this.current.channels.find((c) => c.arn === key.channelArn);
    return channel ? this.toRecord(channel) : undefined;
  }

  channelById(channelId: string): ChannelRecord | undefined {
    const channel = this.current.channels.find((c) => c.id === channelId);
    return channel ? this.toRecord(channel) : undefined;
  }

  playbackPublicKeys(): PlaybackPublicKey[] {
    return this.current.playbackKeyPairs.map((k) => ({ arn: k.arn, publicKeyPem: k.publicKeyPem }));
  }

  recordingFolder(recordingConfigurationArn: string): string | undefined {
    const config = this.current.recordingConfigurations.find((r) => r.arn === recordingConfigurationArn);
    return config ? this.bucketFolder(config.bucketName) : undefined;
  }

  /** Where an S3 destination lives locally: `<dataDir>/local-channel/s3/<bucketName>`. */
  bucketFolder(bucketName: string): string {
    return path.join(this.options.dir, 's3', bucketName);
  }

  private toRecord(channel: ChannelState): ChannelRecord {
    return {
      arn: channel.arn,
      id: channel.id,
      name: channel.name,
      type: channel.type,
      latencyMode: channel.latencyMode,
      authorized: channel.authorized,
      insecureIngest: channel.insecureIngest,
      containerFormat: channel.containerFormat,
      recordingConfigurationArn: channel.recordingConfigurationArn,
      playbackUrl: this.options.playbackUrl(channel.id),
    };
  }

  // ── SessionLog ────────────────────────────────────────────────────────────────────────────

  sessionStarted(channelArn: string, streamId: string, startTime: string): void {
    const channel = this.current.channels.find((c) => c.arn === channelArn);
    if (!channel) {
      log.warn(`sessionStarted for unknown channel ${channelArn}; ignored`);
      return;
    }
    const recordingConfiguration = this.current.recordingConfigurations.find((r) => r.arn === channel.recordingConfigurationArn);
    this.commitSessions((draft) => {
      if (draft.sessions.some((s) => s.streamId === streamId)) return;
      draft.sessions.push({ streamId, channelArn, startTime, channel: structuredClone(channel), recordingConfiguration, events: [] });
      const ofChannel = draft.sessions.filter((s) => s.channelArn === channelArn);
      const excess = ofChannel.length - MAX_SESSIONS_PER_CHANNEL;
      if (excess > 0) {
        const drop = new Set(ofChannel.sort((a, b) => (a.startTime < b.startTime ? -1 : 1)).slice(0, excess));
        draft.sessions = draft.sessions.filter((s) => !drop.has(s));
      }
    });
  }

  sessionEvent(streamId: string, event: StreamEvent): void {
    this.updateSession(streamId, 'sessionEvent', (session) => {
      session.events.push({ ...event });
      if (session.events.length > MAX_EVENTS_PER_SESSION) session.events.splice(0, session.events.length - MAX_EVENTS_PER_SESSION);
    });
  }

  sessionIngestConfiguration(streamId: string, configuration: IngestConfiguration): void {
    this.updateSession(streamId, 'sessionIngestConfiguration', (session) => {
      session.ingest = structuredClone(configuration);
    });
  }

  sessionEnded(streamId: string, endTime: string): void {
    this.updateSession(streamId, 'sessionEnded', (session) => {
      session.endTime = endTime;
    });
  }

  private updateSession(streamId: string, what: string, change: (session: SessionState) => void): void {
    if (!this.currentSessions.sessions.some((s) => s.streamId === streamId)) {
      log.warn(`${what} for unknown stream ${streamId}; ignored`);
      return;
    }
    this.commitSessions((draft) => {
      const session = draft.sessions.find((s) => s.streamId === streamId);
      if (session) change(session);
    });
  }
}

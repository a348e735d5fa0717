/**
 * Playback sessions and GetStream's `viewerCount`.
 *
 * Each fetch of a channel's multivariant playlist mints a session id that is baked into the media
 * playlist's path (`…channel.<id>/<streamId>/<session>/media.m3u8`), so every later request of that
 * player — playlist reloads, parts, segments — names its session without cookies or query strings,
 * and plain clients (ffmpeg, VLC) carry it by resolving relative URLs.
 *
 * viewerCount = distinct sessions of the channel that made a request within the last `windowMs`
 * (default 30 s; IVS says views appear within ~15 s and drop within ~1 min). A player that reloads
 * the page counts twice until its old session goes quiet. Counting by address + user agent was
 * rejected: every loopback client (tests, several tabs) would collapse into one viewer.
 *
 * For private channels the session is also the capability: the token is checked once, at the
 * multivariant playlist (as IVS does by default), and only sessions minted then are accepted.
 */
import * as crypto from 'node:crypto';

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface ViewerSession {
  id: string;
  channelArn: string;
  /** Minted after a token check (private channel). */
  authorized: boolean;
  /** Origins allowed by the token when it asked for strict enforcement. */
  strictOrigins?: string;
  lastSeen: number;
}

export class ViewerSessions {
  private readonly sessions = new Map<string, ViewerSession>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  mint(channelArn: string, authorized: boolean, strictOrigins?: string): ViewerSession {
    this.prune();
    const session: ViewerSession = { id: crypto.randomBytes(16).toString('base64url'), channelArn, authorized, strictOrigins, lastSeen: this.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session if it exists for this channel; touching it keeps the viewer counted. */
  touch(id: string, channelArn: string): ViewerSession | undefined {
    const session = this.sessions.get(id);
    if (!session || session.channelArn !== channelArn) return undefined;
    session.lastSeen = this.now();
    return session;
  }

  /** Public channels accept a well-formed session they do not know (e.g. after a restart). */
  adopt(id: string, channelArn: string): ViewerSession {
    const session: ViewerSession = { id, channelArn, authorized: false, lastSeen: this.now() };
    this.sessions.set(id, session);
    return session;
  }

  count(channelArn: string): number {
    const since = this.now() - this.windowMs;
    let count = 0;
    for (const session of this.sessions.values()) if (session.channelArn === channelArn && session.lastSeen >= since) count++;
    return count;
  }

  /** Forget sessions quiet for 10 windows (their ids stop working on private channels). */
  prune(): void {
    const cutoff = this.now() - 10 * this.windowMs;
    for (const [id, session] of this.sessions) if (session.lastSeen < cutoff) this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }
}

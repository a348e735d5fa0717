/**
 * HTTP side of playback, mounted on the local channel's HTTP server at `/api/video/v1/`:
 *
 *   GET <prefix><region>.<account>.channel.<id>.m3u8[?token=…]         multivariant (mints a session)
 *   GET <prefix><region>.<account>.channel.<id>/<streamId>/<session>/media.m3u8[?_HLS_msn=&_HLS_part=]
 *   GET …/<session>/seg<msn>.<ext> · seg<msn>.<part>.<ext> · init<version>.mp4
 *
 * Blocking playlist reload holds the request until the asked-for part exists (up to 3 target durations,
 * then answers with what there is); a request for the preload-hinted part is held until that part is
 * published. Every response carries CORS headers like IVS's playback (`Access-Control-Allow-Origin: *`),
 * and OPTIONS preflights are answered, so a viewer page on any origin can play.
 */
import type * as http from 'node:http';
import type { Logger } from '../../core/logger';
import type { ChannelRecord } from '../runtime';
import type { LiveTimeline, PublishedSegment } from './live-timeline';
import { renderMediaPlaylist, renderMultivariantPlaylist, targetDurationFor } from './playlists';
import { SESSION_ID_PATTERN, type ViewerSession } from './viewer-sessions';
import { originAllowed } from './playback-token';

export const PLAYBACK_PATH_PREFIX = '/api/video/v1/';

export type PlaybackRoute =
  | { kind: 'multivariant'; region: string; accountId: string; channelId: string }
  | { kind: 'media'; region: string; accountId: string; channelId: string; streamId: string; sessionId: string; file: MediaFile };

export type MediaFile =
  | { kind: 'playlist' }
  | { kind: 'segment'; msn: number; extension: string }
  | { kind: 'part'; msn: number; part: number; extension: string }
  | { kind: 'init'; version: number };

const ROUTE = /^\/api\/video\/v1\/([a-z0-9-]+)\.(\d{12})\.channel\.([A-Za-z0-9-]+)(?:\.m3u8|\/([A-Za-z0-9-]+)\/([A-Za-z0-9_-]+)\/([A-Za-z0-9.]+))$/;

/** Pure: the route a request path names, or undefined (not ours → 404). */
export function parsePlaybackPath(pathname: string): PlaybackRoute | undefined {
  const match = ROUTE.exec(pathname);
  if (!match) return undefined;
  const [, region, accountId, channelId, streamId, sessionId, fileName] = match as unknown as [string, string, string, string, string?, string?, string?];
  if (!streamId) return { kind: 'multivariant', region, accountId, channelId };
  if (!SESSION_ID_PATTERN.test(sessionId!)) return undefined;
  const file = parseMediaFile(fileName!);
  if (!file) return undefined;
  return { kind: 'media', region, accountId, channelId, streamId, sessionId: sessionId!, file };
}

export function parseMediaFile(name: string): MediaFile | undefined {
  if (name === 'media.m3u8') return { kind: 'playlist' };
  let m = /^seg(\d{1,9})\.(ts|m4s)$/.exec(name);
  if (m) return { kind: 'segment', msn: Number(m[1]), extension: m[2]! };
  m = /^seg(\d{1,9})\.(\d{1,4})\.(ts|m4s)$/.exec(name);
  if (m) return { kind: 'part', msn: Number(m[1]), part: Number(m[2]), extension: m[3]! };
  m = /^init(\d{1,6})\.mp4$/.exec(name);
  if (m) return { kind: 'init', version: Number(m[1]) };
  return undefined;
}

/** The CORS headers of every playback response. */
export function corsHeaders(req: http.IncomingMessage, allowOrigin = '*'): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': (req.headers['access-control-request-headers'] as string | undefined) ?? '*',
    'Access-Control-Expose-Headers': 'Content-Length, Content-Type, Date, Age',
    'Access-Control-Max-Age': '86400',
    'Timing-Allow-Origin': '*',
  };
  if (allowOrigin !== '*') headers.Vary = 'Origin';
  return headers;
}

export interface PlaybackStreamView {
  channel: ChannelRecord;
  streamId: string;
  timeline: LiveTimeline;
  /** Undefined until the first keyframe is packaged. */
  variant(): { codecs: string[]; width: number; height: number; frameRate?: number } | undefined;
}

export interface PlaybackHttpContext {
  log: Logger;
  partTargetSec: number;
  minTargetDurationSec: number;
  /** Looks a channel up by id (undefined: unknown channel). */
  channel(channelId: string): ChannelRecord | undefined;
  /** The channel's current stream, or the one that just ended (its players get ENDLIST). */
  stream(channelArn: string): PlaybackStreamView | undefined;
  accountId: string;
  region: string;
  /** Private channels: checks the token (before anything about the stream is revealed). */
  authorize(channel: ChannelRecord, token: string | null, origin: string | undefined): { ok: true; strictOrigins?: string } | { ok: false; status: number; code: string; message: string };
  /** A new playback session (a viewer) once the playlist is actually served. */
  openSession(channel: ChannelRecord, strictOrigins: string | undefined): ViewerSession;
  /** Media requests: the known (or, for public channels, adopted) session. */
  resumeSession(channel: ChannelRecord, sessionId: string): ViewerSession | undefined;
  /** How long to wait for a stream's first part when the multivariant playlist is asked for early. */
  firstPartWaitMs: number;
}

/** Sends a small JSON error body with CORS headers. */
function sendError(req: http.IncomingMessage, res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = corsHeaders(req)): void {
  const body = JSON.stringify([{ type: 'error', error_code: code, error: message }]);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function send(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | string, contentType: string, cacheControl: string, headers: Record<string, string>): void {
  const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(200, { ...headers, 'Content-Type': contentType, 'Cache-Control': cacheControl, 'Content-Length': data.length });
  res.end(req.method === 'HEAD' ? undefined : data);
}

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const MEDIA_TYPES: Record<string, string> = { ts: 'video/mp2t', m4s: 'video/iso.segment', mp4: 'video/mp4' };

/**
 * Handles a playback request. Returns false when the path is not a playback path (the caller may try
 * other handlers); otherwise answers it — never throws, never leaves a request unanswered.
 */
export async function handlePlaybackRequest(ctx: PlaybackHttpContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://local');
  if (!url.pathname.startsWith(PLAYBACK_PATH_PREFIX)) return false;
  try {
    await route(ctx, url, req, res);
  } catch (error) {
    ctx.log.error(`playback request ${url.pathname} failed`, error);
    if (!res.headersSent) sendError(req, res, 500, 'internal_error', 'the playback server failed to answer');
    else res.destroy();
  }
  return true;
}

async function route(ctx: PlaybackHttpContext, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, corsHeaders(req));
    res.end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(req, res, 405, 'method_not_allowed', `${req.method} is not supported on playback URLs`, { ...corsHeaders(req), Allow: 'GET, HEAD, OPTIONS' });
    return;
  }
  const parsed = parsePlaybackPath(url.pathname);
  if (!parsed || parsed.region !== ctx.region || parsed.accountId !== ctx.accountId) {
    sendError(req, res, 404, 'not_found', 'no such playback URL');
    return;
  }
  const channel = ctx.channel(parsed.channelId);
  if (!channel) {
    sendError(req, res, 404, 'channel_not_found', `channel ${parsed.channelId} does not exist`);
    return;
  }
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  if (parsed.kind === 'multivariant') {
    await serveMultivariant(ctx, channel, url, origin, req, res);
    return;
  }
  const session = ctx.resumeSession(channel, parsed.sessionId);
  if (!session) {
    sendError(req, res, 403, 'playback_auth_error', 'this playback session is unknown or expired; load the channel playback URL again');
    return;
  }
  if (session.strictOrigins && origin && !originAllowed(origin, session.strictOrigins)) {
    sendError(req, res, 403, 'playback_auth_error', `origin ${origin} is not allowed by the playback token`);
    return;
  }
  const headers = corsHeaders(req);
  const stream = ctx.stream(channel.arn);
  if (!stream || stream.streamId !== parsed.streamId) {
    sendError(req, res, 404, 'stream_not_found', 'this stream is no longer available; the channel went offline or started a new stream');
    return;
  }
  const timeline = stream.timeline;
  const file = parsed.file;
  switch (file.kind) {
    case 'playlist':
      await serveMediaPlaylist(ctx, timeline, url, req, res, headers);
      return;
    case 'init': {
      const init = timeline.init(file.version);
      if (!init) sendError(req, res, 404, 'not_found', `init segment ${file.version} is not available`, headers);
      else send(req, res, init, MEDIA_TYPES.mp4!, 'max-age=3600', headers);
      return;
    }
    case 'part':
      await servePart(ctx, timeline, file.msn, file.part, file.extension, req, res, headers);
      return;
    case 'segment':
      await serveSegment(ctx, timeline, file.msn, file.extension, req, res, headers);
      return;
  }
}

async function serveMultivariant(ctx: PlaybackHttpContext, channel: ChannelRecord, url: URL, origin: string | undefined, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const authorization = ctx.authorize(channel, url.searchParams.get('token'), origin);
  if (!authorization.ok) {
    sendError(req, res, authorization.status, authorization.code, authorization.message);
    return;
  }
  const stream = ctx.stream(channel.arn);
  if (!stream || stream.timeline.ended) {
    sendError(req, res, 404, 'channel_offline', `channel ${channel.id} is not broadcasting`);
    return;
  }
  // A player that arrives between publish and the first part waits for it rather than failing.
  await stream.timeline.waitUntil(() => stream.timeline.latest() !== undefined, ctx.firstPartWaitMs);
  const variant = stream.variant();
  if (!variant || !stream.timeline.latest()) {
    sendError(req, res, 404, 'channel_offline', `channel ${channel.id} has no playable media yet`);
    return;
  }
  const session = ctx.openSession(channel, authorization.strictOrigins);
  const { peak, average } = stream.timeline.bitrates();
  const body = renderMultivariantPlaylist({
    uri: `${ctx.region}.${ctx.accountId}.channel.${channel.id}/${stream.streamId}/${session.id}/media.m3u8`,
    bandwidth: peak > 0 ? peak * 1.1 : 3_000_000,
    averageBandwidth: average > 0 ? average : undefined,
    ...variant,
  });
  send(req, res, body, PLAYLIST_TYPE, 'no-cache', corsHeaders(req));
}

function parseDirective(value: string | null): number | undefined | 'bad' {
  if (value === null) return undefined;
  if (!/^\d{1,9}$/.test(value)) return 'bad';
  return Number(value);
}

async function serveMediaPlaylist(ctx: PlaybackHttpContext, timeline: LiveTimeline, url: URL, req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): Promise<void> {
  const msn = parseDirective(url.searchParams.get('_HLS_msn'));
  const part = parseDirective(url.searchParams.get('_HLS_part'));
  if (msn === 'bad' || part === 'bad' || (part !== undefined && msn === undefined)) {
    sendError(req, res, 400, 'bad_request', '_HLS_msn must be a non-negative integer, and _HLS_part needs _HLS_msn', headers);
    return;
  }
  if (msn !== undefined) {
    const latest = timeline.latest();
    // RFC 8216bis §6.2.5.2: more than two segments ahead of the playlist is a client error.
    if (!timeline.ended && latest && msn > latest.msn + 2) {
      sendError(req, res, 400, 'bad_request', `_HLS_msn=${msn} is too far ahead of the live edge (${latest.msn})`, headers);
      return;
    }
    const holdMs = 3 * targetDurationFor(timeline.segments, ctx.minTargetDurationSec) * 1000;
    await timeline.waitUntil(() => timeline.hasReached(msn, part), holdMs);
    if (res.destroyed) return;
  }
  send(req, res, playlistFor(ctx, timeline), PLAYLIST_TYPE, 'no-cache', headers);
}

/** Every viewer of a stream gets the same media playlist: render it once per timeline change. */
const renderedPlaylists = new WeakMap<LiveTimeline, { version: number; text: string }>();

export function playlistFor(ctx: Pick<PlaybackHttpContext, 'partTargetSec' | 'minTargetDurationSec'>, timeline: LiveTimeline): string {
  const cached = renderedPlaylists.get(timeline);
  if (cached?.version === timeline.version) return cached.text;
  const text = renderMediaPlaylist({
    segments: timeline.segments,
    extension: timeline.extension,
    partTargetSec: ctx.partTargetSec,
    minTargetDurationSec: ctx.minTargetDurationSec,
    ended: timeline.ended,
    discontinuitySequence: timeline.discontinuitySequence,
  });
  renderedPlaylists.set(timeline, { version: timeline.version, text });
  return text;
}

async function servePart(ctx: PlaybackHttpContext, timeline: LiveTimeline, msn: number, index: number, extension: string, req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): Promise<void> {
  if (extension !== timeline.extension) {
    sendError(req, res, 404, 'not_found', `this stream's parts are .${timeline.extension}`, headers);
    return;
  }
  let part = timeline.part(msn, index);
  if (!part && isNextPart(timeline, msn, index)) {
    // The preload hint: hold the request until the part exists (or the segment closes without it).
    await timeline.waitUntil(() => timeline.part(msn, index) !== undefined || !isNextPart(timeline, msn, index), 3 * ctx.partTargetSec * 1000 + 2000);
    part = timeline.part(msn, index);
  }
  if (res.destroyed) return;
  if (!part) {
    sendError(req, res, 404, 'not_found', `part ${msn}.${index} is not available`, headers);
    return;
  }
  send(req, res, part.data, MEDIA_TYPES[extension]!, 'max-age=60', headers);
}

/** Whether (msn, index) is the part the preload hint names (or the first part of the next segment). */
function isNextPart(timeline: LiveTimeline, msn: number, index: number): boolean {
  if (timeline.ended) return false;
  const last = timeline.segments.at(-1);
  if (!last) return msn === 0 && index === 0;
  if (!last.complete) return (msn === last.msn && index === last.parts.length) || (msn === last.msn + 1 && index === 0);
  return msn === last.msn + 1 && index === 0;
}

async function serveSegment(ctx: PlaybackHttpContext, timeline: LiveTimeline, msn: number, extension: string, req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): Promise<void> {
  if (extension !== timeline.extension) {
    sendError(req, res, 404, 'not_found', `this stream's segments are .${timeline.extension}`, headers);
    return;
  }
  let segment: PublishedSegment | undefined = timeline.segment(msn);
  if (segment && !segment.complete) {
    const target = targetDurationFor(timeline.segments, ctx.minTargetDurationSec);
    await timeline.waitUntil(() => timeline.segment(msn)?.complete !== false, 2 * target * 1000);
    segment = timeline.segment(msn);
  }
  if (res.destroyed) return;
  if (!segment || !segment.complete) {
    sendError(req, res, 404, 'not_found', `segment ${msn} is not available`, headers);
    return;
  }
  send(req, res, timeline.segmentBytes(segment), MEDIA_TYPES[extension]!, 'max-age=60', headers);
}

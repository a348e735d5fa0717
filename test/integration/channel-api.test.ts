/**
 * Issue 3 acceptance: the local channel's IVS control plane driven by the real @aws-sdk/client-ivs
 * over HTTP on 127.0.0.1 — every operation, the paginators, each error type with its status — plus
 * raw signed requests for what the SDK cannot send (malformed JSON, unknown members, wrong methods,
 * oversized bodies) and unsigned / badly signed requests (403, nothing changes).
 *
 * The live paths (GetStream, StopStream, PutMetadata, sessions) use a small stand-in for the live
 * runtime through the LiveControl/SessionLog seams; the real ingest has its own tests.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BatchGetChannelCommand,
  BatchGetStreamKeyCommand,
  CreateChannelCommand,
  CreatePlaybackRestrictionPolicyCommand,
  CreateRecordingConfigurationCommand,
  CreateStreamKeyCommand,
  DeleteChannelCommand,
  DeletePlaybackKeyPairCommand,
  DeleteRecordingConfigurationCommand,
  DeleteStreamKeyCommand,
  GetChannelCommand,
  GetPlaybackKeyPairCommand,
  GetRecordingConfigurationCommand,
  GetStreamCommand,
  GetStreamKeyCommand,
  GetStreamSessionCommand,
  ImportPlaybackKeyPairCommand,
  IvsClient,
  IvsServiceException,
  ListChannelsCommand,
  ListStreamKeysCommand,
  ListStreamsCommand,
  ListTagsForResourceCommand,
  PutMetadataCommand,
  StartViewerSessionRevocationCommand,
  StopStreamCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateChannelCommand,
  paginateListChannels,
  paginateListPlaybackKeyPairs,
  paginateListRecordingConfigurations,
  paginateListStreamKeys,
  paginateListStreamSessions,
  paginateListStreams,
} from '@aws-sdk/client-ivs';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResponse, IvsError, ivsErrorStatus, type IvsErrorType } from '../../src-main/channel/api/ivs-error';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import type { LiveControl, LiveStreamStatus } from '../../src-main/channel/runtime';

let dataDir: string;
let channel: LocalChannel;
let ivs: IvsClient;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-api-'));
  channel = await startLocalChannel({ dataDir, port: 0 });
  // One attempt: the tests look at each answer, not at the SDK's retries.
  ivs = new IvsClient({ region: channel.region, endpoint: channel.apiEndpoint, credentials: channel.credentials, maxAttempts: 1 });
});

afterAll(async () => {
  ivs?.destroy();
  await channel?.dispose();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The SDK's error for `promise`, checked for IVS's name and HTTP status and both message members. */
async function ivsError(promise: Promise<unknown>, name: string, status: number): Promise<IvsServiceException & { exceptionMessage?: string }> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${name}`).toBeInstanceOf(IvsServiceException);
  const error = caught as IvsServiceException & { exceptionMessage?: string };
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  expect(error.message).not.toBe('UnknownError');
  expect(error.message.length).toBeGreaterThan(10);
  return error;
}

async function allChannels(): Promise<string[]> {
  const arns: string[] = [];
  for await (const page of paginateListChannels({ client: ivs, pageSize: 7 }, {})) arns.push(...(page.channels ?? []).map((c) => c.arn!));
  return arns;
}

/** Signs and sends a raw request with the local credentials (or `secret` to sign wrongly). */
async function rawRequest(options: {
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  sign?: { secret?: string; accessKeyId?: string; region?: string } | false;
  query?: Record<string, string | string[]>;
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(channel.apiEndpoint);
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  let headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/json',
    ...(body ? { 'content-length': String(body.length) } : {}),
    ...options.headers,
  };
  if (options.sign !== false) {
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: options.sign?.accessKeyId ?? channel.credentials.accessKeyId,
        secretAccessKey: options.sign?.secret ?? channel.credentials.secretAccessKey,
      },
      region: options.sign?.region ?? channel.region,
      service: 'ivs',
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({ method: options.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: options.path, query: options.query ?? {}, headers, body }),
    );
    headers = signed.headers as Record<string, string>;
  }
  const queryString = Object.entries(options.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((item) => `${encodeURIComponent(k)}=${encodeURIComponent(item)}`))
    .join('&');
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: options.method, path: queryString ? `${options.path}?${queryString}` : options.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function expectWireError(response: { status: number; headers: http.IncomingHttpHeaders; body: string }, type: string, status: number): string {
  expect({ status: response.status, type: response.headers['x-amzn-errortype'] }).toEqual({ status, type });
  const parsed = JSON.parse(response.body) as { exceptionMessage: string; message: string };
  expect(parsed.exceptionMessage).toBe(parsed.message);
  return parsed.message;
}

/** A stand-in for the live runtime: what the control plane asks it, recorded. */
class LiveStandIn implements LiveControl {
  readonly streams = new Map<string, LiveStreamStatus>();
  readonly metadata: Array<[string, string]> = [];
  readonly stopped: string[] = [];
  failStops = false;
  liveStream(channelArn: string) {
    return this.streams.get(channelArn);
  }
  liveStreams() {
    return [...this.streams.values()];
  }
  async stopStream(channelArn: string) {
    if (this.failStops) throw new Error('publisher did not disconnect');
    this.stopped.push(channelArn);
    this.streams.delete(channelArn);
  }
  putMetadata(channelArn: string, metadata: string) {
    this.metadata.push([channelArn, metadata]);
  }
}

describe('first start', () => {
  it('has a default channel with its stream key, local credentials and URLs built from this run’s port', async () => {
    const { channels } = await ivs.send(new ListChannelsCommand({}));
    const named = channels!.filter((c) => c.name === 'default');
    expect(named).toHaveLength(1);
    const { channel: def } = await ivs.send(new GetChannelCommand({ arn: named[0]!.arn }));
    const port = new URL(channel.apiEndpoint).port;
    expect(def).toMatchObject({
      arn: expect.stringMatching(/^arn:aws:ivs:us-west-2:\d{12}:channel\/[a-zA-Z0-9]{12}$/),
      ingestEndpoint: `127.0.0.1:${port}`,
      playbackUrl: `http://127.0.0.1:${port}/api/video/v1/us-west-2.${channel.accountId}.channel.${def!.arn!.split('/')[1]}.m3u8`,
    });
    const { streamKeys } = await ivs.send(new ListStreamKeysCommand({ channelArn: def!.arn }));
    expect(streamKeys).toHaveLength(1);
    const credentialsFile = path.join(dataDir, 'local-channel', 'credentials.json');
    expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(channel.credentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(channel.readyInfo()).toEqual({
      event: 'ready',
      apiEndpoint: channel.apiEndpoint,
      region: 'us-west-2',
      accessKeyId: channel.credentials.accessKeyId,
      secretAccessKey: channel.credentials.secretAccessKey,
    });
  });
});

describe('channels', () => {
  it('CreateChannel applies IVS defaults and returns the channel with its stream key; GetChannel agrees', async () => {
    const created = await ivs.send(new CreateChannelCommand({ name: 'studio-main', tags: { show: 'friday' } }));
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.channel).toMatchObject({
      name: 'studio-main',
      latencyMode: 'LOW',
      type: 'STANDARD',
      authorized: false,
      insecureIngest: false,
      preset: '',
      recordingConfigurationArn: '',
      playbackRestrictionPolicyArn: '',
      containerFormat: 'TS',
      multitrackInputConfiguration: { enabled: false, policy: 'ALLOW', maximumResolution: 'FULL_HD' },
      tags: { show: 'friday' },
    });
    expect(created.streamKey).toEqual({
      arn: expect.stringMatching(/^arn:aws:ivs:us-west-2:\d{12}:stream-key\/[a-zA-Z0-9]{12}$/),
      value: expect.stringMatching(/^sk_us-west-2_[a-zA-Z0-9]{12}_[a-zA-Z0-9]{31}$/),
      channelArn: created.channel!.arn,
      tags: {},
    });
    const fetched = await ivs.send(new GetChannelCommand({ arn: created.channel!.arn }));
    expect(fetched.channel).toEqual(created.channel);
  });

  it('ADVANCED channels default their preset; preset and multitrack rules are enforced', async () => {
    const advanced = await ivs.send(new CreateChannelCommand({ type: 'ADVANCED_HD' }));
    expect(advanced.channel?.preset).toBe('HIGHER_BANDWIDTH_DELIVERY');
    const e1 = await ivs.send(new CreateChannelCommand({ type: 'STANDARD', preset: 'CONSTRAINED_BANDWIDTH_DELIVERY' })).catch((e) => e);
    expect(e1.name).toBe('ValidationException');
    await ivsError(ivs.send(new CreateChannelCommand({ type: 'BASIC', containerFormat: 'FRAGMENTED_MP4', multitrackInputConfiguration: { enabled: true, policy: 'ALLOW', maximumResolution: 'HD' } })), 'ValidationException', 400);
    await ivsError(ivs.send(new CreateChannelCommand({ multitrackInputConfiguration: { enabled: true, policy: 'ALLOW', maximumResolution: 'HD' } })), 'ValidationException', 400);
    const multitrack = await ivs.send(
      new CreateChannelCommand({ containerFormat: 'FRAGMENTED_MP4', multitrackInputConfiguration: { enabled: true, policy: 'REQUIRE', maximumResolution: 'HD' } }),
    );
    expect(multitrack.channel?.multitrackInputConfiguration).toEqual({ enabled: true, policy: 'REQUIRE', maximumResolution: 'HD' });
  });

  it('CreateChannel refuses bad names, enums, tags and unknown references with IVS errors', async () => {
    const before = (await allChannels()).length;
    const bad = await ivsError(ivs.send(new CreateChannelCommand({ name: 'has space!' })), 'ValidationException', 400);
    expect(bad.message).toBe(
      "1 validation error detected: Value 'has space!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]*",
    );
    expect(bad.exceptionMessage).toBe(bad.message);
    await ivsError(ivs.send(new CreateChannelCommand({ name: 'x'.repeat(129) })), 'ValidationException', 400);
    await ivsError(ivs.send(new CreateChannelCommand({ latencyMode: 'ULTRA' as never })), 'ValidationException', 400);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await ivsError(ivs.send(new CreateChannelCommand({ tags: tooMany })), 'ValidationException', 400);
    await ivsError(ivs.send(new CreateChannelCommand({ tags: { 'aws:reserved': 'x' } })), 'ValidationException', 400);
    await ivsError(ivs.send(new CreateChannelCommand({ tags: { ok: 'x'.repeat(257) } })), 'ValidationException', 400);
    const missing = `arn:aws:ivs:us-west-2:${channel.accountId}:recording-configuration/AbCdEfGhIjKl`;
    await ivsError(ivs.send(new CreateChannelCommand({ recordingConfigurationArn: missing })), 'ResourceNotFoundException', 404);
    await ivsError(
      ivs.send(new CreateChannelCommand({ playbackRestrictionPolicyArn: `arn:aws:ivs:us-west-2:${channel.accountId}:playback-restriction-policy/AbCdEfGhIjKl` })),
      'ResourceNotFoundException',
      404,
    );
    expect((await allChannels()).length).toBe(before);
  });

  it('GetChannel / UpdateChannel / DeleteChannel on an unknown or malformed ARN', async () => {
    const unknown = `arn:aws:ivs:us-west-2:${channel.accountId}:channel/NoSuchChanne`;
    await ivsError(ivs.send(new GetChannelCommand({ arn: unknown })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new UpdateChannelCommand({ arn: unknown, name: 'x' })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new DeleteChannelCommand({ arn: unknown })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new GetChannelCommand({ arn: 'arn:aws:ivs:us-west-2:1:stream-key/abc' })), 'ValidationException', 400);
  });

  it('BatchGetChannel returns found channels and a BatchError for each missing one', async () => {
    const a = await ivs.send(new CreateChannelCommand({ name: 'batch-a' }));
    const missing = `arn:aws:ivs:us-west-2:${channel.accountId}:channel/MissingChann`;
    const result = await ivs.send(new BatchGetChannelCommand({ arns: [a.channel!.arn!, missing] }));
    expect(result.channels?.map((c) => c.arn)).toEqual([a.channel!.arn]);
    expect(result.errors).toEqual([{ arn: missing, code: 'ResourceNotFoundException', message: expect.stringContaining(missing) }]);
    await ivsError(ivs.send(new BatchGetChannelCommand({ arns: [] })), 'ValidationException', 400);
    await ivsError(ivs.send(new BatchGetChannelCommand({ arns: Array.from({ length: 51 }, () => missing) })), 'ValidationException', 400);
  });

  it('UpdateChannel changes only what it is given; DeleteChannel answers 204 and removes the channel and its key', async () => {
    const created = await ivs.send(new CreateChannelCommand({ name: 'to-update', authorized: true, tags: { a: '1' } }));
    const arn = created.channel!.arn!;
    const updated = await ivs.send(new UpdateChannelCommand({ arn, latencyMode: 'NORMAL', type: 'ADVANCED_SD', preset: 'CONSTRAINED_BANDWIDTH_DELIVERY' }));
    expect(updated.channel).toMatchObject({ arn, name: 'to-update', authorized: true, latencyMode: 'NORMAL', type: 'ADVANCED_SD', preset: 'CONSTRAINED_BANDWIDTH_DELIVERY', tags: { a: '1' } });
    const back = await ivs.send(new UpdateChannelCommand({ arn, type: 'STANDARD' }));
    expect(back.channel?.preset).toBe('');
    const deleted = await ivs.send(new DeleteChannelCommand({ arn }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await ivsError(ivs.send(new GetChannelCommand({ arn })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new GetStreamKeyCommand({ arn: created.streamKey!.arn })), 'ResourceNotFoundException', 404);
  });

  it('ListChannels pages with an opaque nextToken (absent on the last page), filters, and refuses two filters', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await ivs.send(new CreateChannelCommand({ name: 'paged' }))).channel!.arn!);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListChannels({ client: ivs, pageSize: 2 }, { filterByName: 'paged' })) {
      pages++;
      expect(page.channels!.length).toBeLessThanOrEqual(2);
      seen.push(...page.channels!.map((c) => c.arn!));
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...mine].sort());
    const last = await ivs.send(new ListChannelsCommand({ filterByName: 'paged', maxResults: 100 }));
    expect(last.nextToken).toBeUndefined();
    const first = await ivs.send(new ListChannelsCommand({ filterByName: 'paged', maxResults: 2 }));
    expect(first.nextToken).toMatch(/^[a-zA-Z0-9+/=_-]+$/);
    // The token is bound to its filters.
    await ivsError(ivs.send(new ListChannelsCommand({ filterByName: 'other', nextToken: first.nextToken })), 'ValidationException', 400);
    await ivsError(ivs.send(new ListChannelsCommand({ nextToken: 'bm90LWEtdG9rZW4' })), 'ValidationException', 400);
    await ivsError(ivs.send(new ListChannelsCommand({ maxResults: 0 })), 'ValidationException', 400);
    await ivsError(ivs.send(new ListChannelsCommand({ maxResults: 101 })), 'ValidationException', 400);
    await ivsError(
      ivs.send(new ListChannelsCommand({ filterByName: 'paged', filterByRecordingConfigurationArn: '' })),
      'ConflictException',
      409,
    );
  });
});

describe('stream keys', () => {
  it('one key per channel: a second CreateStreamKey is refused until the key is deleted (rotation)', async () => {
    const { channel: ch, streamKey } = await ivs.send(new CreateChannelCommand({ name: 'keys' }));
    const refused = await ivsError(ivs.send(new CreateStreamKeyCommand({ channelArn: ch!.arn })), 'ServiceQuotaExceededException', 402);
    expect(refused.message).toContain('1 per channel');
    const deleted = await ivs.send(new DeleteStreamKeyCommand({ arn: streamKey!.arn }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const rotated = await ivs.send(new CreateStreamKeyCommand({ channelArn: ch!.arn, tags: { rotated: 'yes' } }));
    expect(rotated.streamKey).toMatchObject({ channelArn: ch!.arn, tags: { rotated: 'yes' } });
    expect(rotated.streamKey!.value).not.toBe(streamKey!.value);
    expect((await ivs.send(new GetStreamKeyCommand({ arn: rotated.streamKey!.arn }))).streamKey).toEqual(rotated.streamKey);
    // The live runtime resolves the new key, not the old one.
    expect(channel.directory.channelForStreamKey(rotated.streamKey!.value!)?.arn).toBe(ch!.arn);
    expect(channel.directory.channelForStreamKey(streamKey!.value!)).toBeUndefined();
    await ivsError(ivs.send(new CreateStreamKeyCommand({ channelArn: `arn:aws:ivs:us-west-2:${channel.accountId}:channel/NoSuchChanne` })), 'ResourceNotFoundException', 404);
  });

  it('BatchGetStreamKey, ListStreamKeys (default maxResults 1, no value in summaries) and its paginator', async () => {
    const { channel: ch, streamKey } = await ivs.send(new CreateChannelCommand({ name: 'keys-list' }));
    const missing = `arn:aws:ivs:us-west-2:${channel.accountId}:stream-key/MissingKeyAb`;
    const batch = await ivs.send(new BatchGetStreamKeyCommand({ arns: [streamKey!.arn!, missing] }));
    expect(batch.streamKeys).toEqual([streamKey]);
    expect(batch.errors?.map((e) => [e.arn, e.code])).toEqual([[missing, 'ResourceNotFoundException']]);
    const listed = await ivs.send(new ListStreamKeysCommand({ channelArn: ch!.arn }));
    expect(listed.streamKeys).toEqual([{ arn: streamKey!.arn, channelArn: ch!.arn, tags: {} }]);
    expect(listed.nextToken).toBeUndefined();
    const paged: string[] = [];
    for await (const page of paginateListStreamKeys({ client: ivs }, { channelArn: ch!.arn })) paged.push(...page.streamKeys!.map((k) => k.arn!));
    expect(paged).toEqual([streamKey!.arn]);
    await ivsError(ivs.send(new ListStreamKeysCommand({ channelArn: ch!.arn, maxResults: 51 })), 'ValidationException', 400);
    await ivsError(ivs.send(new ListStreamKeysCommand({ channelArn: `arn:aws:ivs:us-west-2:${channel.accountId}:channel/NoSuchChanne` })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new DeleteStreamKeyCommand({ arn: missing })), 'ResourceNotFoundException', 404);
  });
});

describe('streams, metadata and sessions', () => {
  it('offline: GetStream, StopStream and PutMetadata → 404 ChannelNotBroadcasting; ListStreams is empty', async () => {
    const { channel: ch } = await ivs.send(new CreateChannelCommand({ name: 'offline' }));
    await ivsError(ivs.send(new GetStreamCommand({ channelArn: ch!.arn })), 'ChannelNotBroadcasting', 404);
    await ivsError(ivs.send(new StopStreamCommand({ channelArn: ch!.arn })), 'ChannelNotBroadcasting', 404);
    await ivsError(ivs.send(new PutMetadataCommand({ channelArn: ch!.arn, metadata: 'cue' })), 'ChannelNotBroadcasting', 404);
    expect((await ivs.send(new ListStreamsCommand({}))).streams).toEqual([]);
  });

  it('PutMetadata: over 1 KB → 400 ValidationException; over 5 calls/s on a channel → 429 ThrottlingException', async () => {
    const { channel: ch } = await ivs.send(new CreateChannelCommand({ name: 'metadata-limits' }));
    const big = await ivsError(ivs.send(new PutMetadataCommand({ channelArn: ch!.arn, metadata: 'é'.repeat(513) })), 'ValidationException', 400);
    expect(big.message).toContain('1024 bytes');
    expect(big.message).not.toContain('é'); // sensitive member: the payload is not echoed
    await ivsError(ivs.send(new PutMetadataCommand({ channelArn: ch!.arn, metadata: '' })), 'ValidationException', 400);
    const answers = await Promise.all(
      Array.from({ length: 7 }, () => ivs.send(new PutMetadataCommand({ channelArn: ch!.arn, metadata: 'x' })).then(() => 'ok', (e: Error) => e.name)),
    );
    expect(answers.filter((a) => a === 'ChannelNotBroadcasting')).toHaveLength(5);
    expect(answers.filter((a) => a === 'ThrottlingException')).toHaveLength(2);
    const throttled = await ivsError(ivs.send(new PutMetadataCommand({ channelArn: ch!.arn, metadata: 'x' })), 'ThrottlingException', 429);
    expect(throttled.message).toContain('5 calls per second');
  });

  it('live: GetStream, ListStreams (+filter, paginator), PutMetadata, StopStream, and 409 on update/delete', async () => {
    const live = new LiveStandIn();
    channel.setLiveControl(live);
    try {
      const a = (await ivs.send(new CreateChannelCommand({ name: 'live-a' }))).channel!;
      const b = (await ivs.send(new CreateChannelCommand({ name: 'live-b' }))).channel!;
      live.streams.set(a.arn!, { channelArn: a.arn!, streamId: 'st-aaaaaaaaaaaaaaaaaaaaaaa', startTime: '2026-01-02T03:04:05Z', health: 'HEALTHY', viewerCount: 3 });
      live.streams.set(b.arn!, { channelArn: b.arn!, streamId: 'st-bbbbbbbbbbbbbbbbbbbbbbb', startTime: '2026-01-02T03:04:06Z', health: 'STARVING', viewerCount: 0 });

      const { stream } = await ivs.send(new GetStreamCommand({ channelArn: a.arn }));
      expect(stream).toEqual({
        channelArn: a.arn,
        streamId: 'st-aaaaaaaaaaaaaaaaaaaaaaa',
        playbackUrl: a.playbackUrl,
        startTime: new Date('2026-01-02T03:04:05Z'),
        state: 'LIVE',
        health: 'HEALTHY',
        viewerCount: 3,
      });
      const listed: string[] = [];
      for await (const page of paginateListStreams({ client: ivs, pageSize: 1 }, {})) listed.push(...page.streams!.map((s) => s.channelArn!));
      expect(listed.sort()).toEqual([a.arn, b.arn].sort());
      const starving = await ivs.send(new ListStreamsCommand({ filterBy: { health: 'STARVING' } }));
      expect(starving.streams?.map((s) => s.channelArn)).toEqual([b.arn]);

      const put = await ivs.send(new PutMetadataCommand({ channelArn: a.arn, metadata: '{"cue":"lower-third"}' }));
      expect(put.$metadata.httpStatusCode).toBe(204);
      expect(live.metadata).toEqual([[a.arn, '{"cue":"lower-third"}']]);

      await ivsError(ivs.send(new UpdateChannelCommand({ arn: a.arn, name: 'renamed' })), 'ConflictException', 409);
      await ivsError(ivs.send(new DeleteChannelCommand({ arn: a.arn })), 'ConflictException', 409);
      expect((await ivs.send(new GetChannelCommand({ arn: a.arn }))).channel?.name).toBe('live-a');

      live.failStops = true;
      await ivsError(ivs.send(new StopStreamCommand({ channelArn: b.arn })), 'StreamUnavailable', 503);
      live.failStops = false;
      const stopped = await ivs.send(new StopStreamCommand({ channelArn: a.arn }));
      expect(stopped.$metadata.httpStatusCode).toBe(200);
      expect(live.stopped).toEqual([a.arn]);
      await ivsError(ivs.send(new GetStreamCommand({ channelArn: a.arn })), 'ChannelNotBroadcasting', 404);
      expect((await ivs.send(new DeleteChannelCommand({ arn: a.arn }))).$metadata.httpStatusCode).toBe(204);
    } finally {
      channel.setLiveControl(undefined);
    }
  });

  it('sessions reported through SessionLog come back from GetStreamSession / ListStreamSessions (newest first, paged)', async () => {
    const recording = await ivs.send(new CreateRecordingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'session-bucket' } } }));
    const ch = (await ivs.send(new CreateChannelCommand({ name: 'sessions', recordingConfigurationArn: recording.recordingConfiguration!.arn }))).channel!;
    await ivsError(ivs.send(new GetStreamSessionCommand({ channelArn: ch.arn })), 'ResourceNotFoundException', 404);
    const ids = ['st-1111111111111111111111a', 'st-2222222222222222222222b', 'st-3333333333333333333333c'];
    ids.forEach((id, i) => {
      const start = `2026-02-0${i + 1}T10:00:00Z`;
      channel.sessions.sessionStarted(ch.arn!, id, start);
      channel.sessions.sessionEvent(id, { name: 'Session Created', type: 'IVS Stream State Change', eventTime: start });
      channel.sessions.sessionEvent(id, { name: 'Stream Start', type: 'IVS Stream State Change', eventTime: `2026-02-0${i + 1}T10:00:02Z` });
    });
    channel.sessions.sessionIngestConfiguration(ids[2]!, {
      video: { avcProfile: 'Main', avcLevel: '3.1', codec: 'avc1.4D401F', encoder: 'Lavf59.27.100', targetBitrate: 2500000, targetFramerate: 30, videoWidth: 1280, videoHeight: 720, profile: 'Main', level: '3.1', track: 'Track0' },
      audio: { channels: 2, codec: 'mp4a.40.2', sampleRate: 48000, targetBitrate: 160000, track: 'Track0' },
    });
    channel.sessions.sessionEvent(ids[0]!, { name: 'Stream Failure', type: 'IVS Stream State Change', eventTime: '2026-02-01T10:05:00Z' });
    channel.sessions.sessionEnded(ids[0]!, '2026-02-01T10:05:01Z');
    channel.sessions.sessionEnded(ids[1]!, '2026-02-02T11:00:00Z');

    const latest = (await ivs.send(new GetStreamSessionCommand({ channelArn: ch.arn }))).streamSession!;
    expect(latest.streamId).toBe(ids[2]);
    expect(latest.startTime).toEqual(new Date('2026-02-03T10:00:00Z'));
    expect(latest.endTime).toBeUndefined();
    expect(latest.channel?.arn).toBe(ch.arn);
    expect(latest.recordingConfiguration?.arn).toBe(recording.recordingConfiguration!.arn);
    expect(latest.truncatedEvents?.map((e) => e.name)).toEqual(['Stream Start', 'Session Created']);
    expect(latest.truncatedEvents?.[0]?.eventTime).toEqual(new Date('2026-02-03T10:00:02Z'));
    expect(latest.ingestConfigurations?.videoConfigurations?.[0]).toMatchObject({ codec: 'avc1.4D401F', videoWidth: 1280, targetFramerate: 30 });
    expect(latest.ingestConfigurations?.audioConfigurations?.[0]).toMatchObject({ codec: 'mp4a.40.2', sampleRate: 48000 });
    expect(latest.ingestConfiguration?.video?.avcProfile).toBe('Main');

    const first = (await ivs.send(new GetStreamSessionCommand({ channelArn: ch.arn, streamId: ids[0] }))).streamSession!;
    expect(first.endTime).toEqual(new Date('2026-02-01T10:05:01Z'));
    await ivsError(ivs.send(new GetStreamSessionCommand({ channelArn: ch.arn, streamId: 'st-9999999999999999999999z' })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new GetStreamSessionCommand({ channelArn: ch.arn, streamId: 'st-short' })), 'ValidationException', 400);

    const summaries = [];
    for await (const page of paginateListStreamSessions({ client: ivs, pageSize: 2 }, { channelArn: ch.arn })) summaries.push(...page.streamSessions!);
    expect(summaries.map((s) => s.streamId)).toEqual([ids[2], ids[1], ids[0]]);
    expect(summaries.map((s) => s.hasErrorEvent)).toEqual([false, false, true]);
    expect(summaries[1]?.endTime).toEqual(new Date('2026-02-02T11:00:00Z'));
  });
});

describe('playback key pairs', () => {
  const pem = () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('Import (P-384 only, no duplicates), Get, List with paginator, Delete (200 {})', async () => {
    const material = pem();
    const imported = await ivs.send(new ImportPlaybackKeyPairCommand({ publicKeyMaterial: material, name: 'viewer-tokens', tags: { env: 'test' } }));
    expect(imported.keyPair).toEqual({
      arn: expect.stringMatching(/^arn:aws:ivs:us-west-2:\d{12}:playback-key\/[a-zA-Z0-9]{12}$/),
      name: 'viewer-tokens',
      fingerprint: expect.stringMatching(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/),
      tags: { env: 'test' },
    });
    expect(channel.directory.playbackPublicKeys().map((k) => k.arn)).toContain(imported.keyPair!.arn);
    await ivsError(ivs.send(new ImportPlaybackKeyPairCommand({ publicKeyMaterial: material })), 'ConflictException', 409);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await ivsError(ivs.send(new ImportPlaybackKeyPairCommand({ publicKeyMaterial: p256 })), 'ValidationException', 400);
    await ivsError(ivs.send(new ImportPlaybackKeyPairCommand({ publicKeyMaterial: 'not a key' })), 'ValidationException', 400);
    expect((await ivs.send(new GetPlaybackKeyPairCommand({ arn: imported.keyPair!.arn }))).keyPair).toEqual(imported.keyPair);

    const second = await ivs.send(new ImportPlaybackKeyPairCommand({ publicKeyMaterial: pem() }));
    const listed = [];
    for await (const page of paginateListPlaybackKeyPairs({ client: ivs, pageSize: 1 }, {})) listed.push(...page.keyPairs!);
    expect(listed.map((k) => k.arn).sort()).toEqual([imported.keyPair!.arn, second.keyPair!.arn].sort());
    expect(listed.every((k) => !('fingerprint' in k))).toBe(true);

    const deleted = await ivs.send(new DeletePlaybackKeyPairCommand({ arn: imported.keyPair!.arn }));
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    await ivsError(ivs.send(new GetPlaybackKeyPairCommand({ arn: imported.keyPair!.arn })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new DeletePlaybackKeyPairCommand({ arn: imported.keyPair!.arn })), 'ResourceNotFoundException', 404);
  });
});

describe('recording configurations', () => {
  it('Create maps the S3 bucket to a folder in the data dir; Get/List/Delete, 409 while a channel uses it', async () => {
    const created = await ivs.send(
      new CreateRecordingConfigurationCommand({
        name: 'archive',
        destinationConfiguration: { s3: { bucketName: 'my-show.recordings' } },
        thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 10, storage: ['LATEST'] },
        recordingReconnectWindowSeconds: 60,
        tags: { kind: 'vod' },
      }),
    );
    const config = created.recordingConfiguration!;
    expect(config).toEqual({
      arn: expect.stringMatching(/^arn:aws:ivs:us-west-2:\d{12}:recording-configuration\/[a-zA-Z0-9]{12}$/),
      name: 'archive',
      destinationConfiguration: { s3: { bucketName: 'my-show.recordings' } },
      state: 'CREATING',
      tags: { kind: 'vod' },
      thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 10, storage: ['LATEST'] },
      recordingReconnectWindowSeconds: 60,
      renditionConfiguration: { renditionSelection: 'ALL', renditions: [] },
    });
    const folder = path.join(dataDir, 'local-channel', 's3', 'my-show.recordings');
    expect(fs.statSync(folder).isDirectory()).toBe(true);
    expect(channel.directory.recordingFolder(config.arn!)).toBe(folder);
    const fetched = (await ivs.send(new GetRecordingConfigurationCommand({ arn: config.arn }))).recordingConfiguration!;
    expect(fetched.state).toBe('ACTIVE');

    const defaults = (await ivs.send(new CreateRecordingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'defaults-bucket' } } }))).recordingConfiguration!;
    expect(defaults.thumbnailConfiguration).toEqual({ recordingMode: 'INTERVAL', targetIntervalSeconds: 60, storage: ['SEQUENTIAL'] });
    expect(defaults.recordingReconnectWindowSeconds).toBe(0);

    const user = (await ivs.send(new CreateChannelCommand({ name: 'recorded', recordingConfigurationArn: config.arn }))).channel!;
    const filtered = await ivs.send(new ListChannelsCommand({ filterByRecordingConfigurationArn: config.arn }));
    expect(filtered.channels?.map((c) => c.arn)).toEqual([user.arn]);
    await ivsError(ivs.send(new DeleteRecordingConfigurationCommand({ arn: config.arn })), 'ConflictException', 409);
    await ivs.send(new UpdateChannelCommand({ arn: user.arn, recordingConfigurationArn: '' }));
    const deleted = await ivs.send(new DeleteRecordingConfigurationCommand({ arn: config.arn }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await ivsError(ivs.send(new GetRecordingConfigurationCommand({ arn: config.arn })), 'ResourceNotFoundException', 404);
    expect(fs.existsSync(folder)).toBe(true); // recordings are the user's files: kept

    const listed = [];
    for await (const page of paginateListRecordingConfigurations({ client: ivs, pageSize: 1 }, {})) listed.push(...page.recordingConfigurations!);
    expect(listed.map((r) => r.arn)).toContain(defaults.arn);
    expect(listed.map((r) => r.arn)).not.toContain(config.arn);

    await ivsError(ivs.send(new CreateRecordingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'UPPER' } } })), 'ValidationException', 400);
    await ivsError(ivs.send(new CreateRecordingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'ok-bucket' } }, recordingReconnectWindowSeconds: 301 })), 'ValidationException', 400);
    await ivsError(ivs.send(new CreateRecordingConfigurationCommand({} as never)), 'ValidationException', 400);
  });
});

describe('tags', () => {
  it('TagResource / UntagResource / ListTagsForResource on every resource kind, with the 50-tag limit', async () => {
    const { channel: ch, streamKey } = await ivs.send(new CreateChannelCommand({ name: 'tagged' }));
    const rc = (await ivs.send(new CreateRecordingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'tag-bucket' } } }))).recordingConfiguration!;
    const kp = (await ivs.send(new ImportPlaybackKeyPairCommand({ publicKeyMaterial: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString() }))).keyPair!;
    for (const arn of [ch!.arn!, streamKey!.arn!, rc.arn!, kp.arn!]) {
      const tagged = await ivs.send(new TagResourceCommand({ resourceArn: arn, tags: { 'team name': 'live ops', env: 'dev' } }));
      expect(tagged.$metadata.httpStatusCode).toBe(200);
      expect((await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ 'team name': 'live ops', env: 'dev' });
      const untagged = await ivs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team name'] }));
      expect(untagged.$metadata.httpStatusCode).toBe(200);
      expect((await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ env: 'dev' });
    }
    expect((await ivs.send(new GetChannelCommand({ arn: ch!.arn }))).channel?.tags).toEqual({ env: 'dev' });
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, 'v']));
    await ivsError(ivs.send(new TagResourceCommand({ resourceArn: ch!.arn, tags: fifty })), 'ValidationException', 400);
    expect((await ivs.send(new ListTagsForResourceCommand({ resourceArn: ch!.arn }))).tags).toEqual({ env: 'dev' });
    const unknown = `arn:aws:ivs:us-west-2:${channel.accountId}:channel/NoSuchChanne`;
    await ivsError(ivs.send(new TagResourceCommand({ resourceArn: unknown, tags: { a: 'b' } })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new UntagResourceCommand({ resourceArn: unknown, tagKeys: ['a'] })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new ListTagsForResourceCommand({ resourceArn: unknown })), 'ResourceNotFoundException', 404);
    await ivsError(ivs.send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' })), 'ValidationException', 400);
  });
});

describe('requests the SDK would not send', () => {
  const listStillWorks = async () => expect((await ivs.send(new ListChannelsCommand({ maxResults: 1 }))).$metadata.httpStatusCode).toBe(200);

  it.each([
    ['malformed JSON', { method: 'POST', path: '/CreateChannel', body: '{"name": "x",' }, 'ValidationException', 400, 'not valid JSON'],
    ['a JSON array body', { method: 'POST', path: '/CreateChannel', body: '[]' }, 'ValidationException', 400, 'JSON object'],
    ['an unknown member', { method: 'POST', path: '/CreateChannel', body: '{"name":"x","colour":"red"}' }, 'ValidationException', 400, "Unknown member 'colour'"],
    ['a wrong type', { method: 'POST', path: '/CreateChannel', body: '{"authorized":"yes"}' }, 'ValidationException', 400, "'authorized' must be a boolean"],
    ['a non-integer maxResults', { method: 'POST', path: '/ListChannels', body: '{"maxResults":1.5}' }, 'ValidationException', 400, 'must be an integer'],
    ['a missing required member', { method: 'POST', path: '/GetChannel', body: '{}' }, 'ValidationException', 400, "Value null at 'arn'"],
    ['a wrong method', { method: 'GET', path: '/CreateChannel' }, 'MethodNotAllowedException', 405, 'use POST'],
    ['an unknown path', { method: 'POST', path: '/MakeCoffee', body: '{}' }, 'UnknownOperationException', 404, '/MakeCoffee'],
    ['PUT on /tags', { method: 'PUT', path: '/tags/x', body: '{}' }, 'MethodNotAllowedException', 405, 'GET, POST, DELETE'],
  ] as const)('%s → %s %i, and the server keeps serving', async (_label, request, type, status, text) => {
    const before = (await allChannels()).length;
    const response = await rawRequest(request);
    expect(expectWireError(response, type, status)).toContain(text);
    expect((await allChannels()).length).toBe(before);
    await listStillWorks();
  });

  it('an oversized body → 413 RequestEntityTooLargeException, nothing stored, server keeps serving', async () => {
    const before = (await allChannels()).length;
    const body = JSON.stringify({ name: 'big', tags: { a: 'x'.repeat(300 * 1024) } });
    const response = await rawRequest({ method: 'POST', path: '/CreateChannel', body });
    expect(expectWireError(response, 'RequestEntityTooLargeException', 413)).toContain('256 KB');
    expect((await allChannels()).length).toBe(before);
    await listStillWorks();
  });

  it('operations IVS has but the local channel does not emulate → 501 naming the operation', async () => {
    const e1 = await ivsError(ivs.send(new StartViewerSessionRevocationCommand({ channelArn: 'arn:aws:ivs:us-west-2:1:channel/x', viewerId: 'v' })), 'NotImplementedException', 501);
    expect(e1.message).toContain('StartViewerSessionRevocation');
    const e2 = await ivsError(ivs.send(new CreatePlaybackRestrictionPolicyCommand({})), 'NotImplementedException', 501);
    expect(e2.message).toContain('CreatePlaybackRestrictionPolicy');
  });
});

describe('SigV4', () => {
  const createBody = JSON.stringify({ name: 'should-not-exist' });

  it.each([
    ['no signature', 'MissingAuthenticationTokenException', { sign: false as const }],
    ['a signature made with the wrong secret', 'InvalidSignatureException', { sign: { secret: 'wrong-secret-wrong-secret-wrong-secret-00' } }],
    ['an unknown access key', 'UnrecognizedClientException', { sign: { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' } }],
    ['a signature scoped to another region', 'InvalidSignatureException', { sign: { region: 'eu-west-1' } }],
  ])('%s → 403 %s, nothing created', async (_label, type, options) => {
    const before = await allChannels();
    const response = await rawRequest({ method: 'POST', path: '/CreateChannel', body: createBody, ...options });
    expectWireError(response, type, 403);
    expect(await allChannels()).toEqual(before);
  });

  it('a body changed after signing → 403, nothing created', async () => {
    const before = await allChannels();
    const url = new URL(channel.apiEndpoint);
    const signer = new SignatureV4({ credentials: channel.credentials, region: channel.region, service: 'ivs', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
    const body = Buffer.from(createBody);
    const signed = await signer.sign(
      new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/CreateChannel', headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(body.length) }, body }),
    );
    const tampered = Buffer.from(createBody.replace('exist"', 'exiXX"'));
    expect(tampered.length).toBe(body.length);
    const response = await rawRequest({ method: 'POST', path: '/CreateChannel', body: tampered, headers: signed.headers as Record<string, string>, sign: false });
    expectWireError(response, 'InvalidSignatureException', 403);
    expect(await allChannels()).toEqual(before);
  });

  it('the SDK with wrong credentials gets a 403 it can name; a correctly signed tag request with an encoded ARN works', async () => {
    const wrong = new IvsClient({ region: channel.region, endpoint: channel.apiEndpoint, credentials: { accessKeyId: channel.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) }, maxAttempts: 1 });
    try {
      await ivsError(wrong.send(new CreateChannelCommand({ name: 'nope' })), 'InvalidSignatureException', 403);
    } finally {
      wrong.destroy();
    }
    const { channel: ch } = await ivs.send(new CreateChannelCommand({ name: 'raw-tags' }));
    const response = await rawRequest({ method: 'DELETE', path: `/tags/${encodeURIComponent(ch!.arn!)}`, query: { tagKeys: ['a b', 'c+d'] } });
    expect(response.status).toBe(200);
  });
});

describe('the error wire format', () => {
  it('every IVS error type reaches the real SDK with its name, status, exceptionMessage and message', async () => {
    const types = Object.keys(ivsErrorStatus) as IvsErrorType[];
    let next: IvsErrorType = types[0]!;
    const server = http.createServer((_req, res) => {
      const wire = errorResponse(new IvsError(next, `the ${next} text`));
      res.writeHead(wire.status, wire.headers).end(wire.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const client = new IvsClient({ region: 'us-west-2', endpoint: `http://127.0.0.1:${port}`, credentials: channel.credentials, maxAttempts: 1 });
    try {
      for (const type of types) {
        next = type;
        const error = await ivsError(client.send(new GetChannelCommand({ arn: 'arn:aws:ivs:us-west-2:000000000000:channel/abc' })), type, ivsErrorStatus[type]);
        expect({ message: error.message, exceptionMessage: error.exceptionMessage }).toEqual({ message: `the ${type} text`, exceptionMessage: `the ${type} text` });
      }
    } finally {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('disposal', () => {
  it('dispose closes the port (no socket left behind)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-api-dispose-'));
    const other = await startLocalChannel({ dataDir: dir, port: 0 });
    const client = new IvsClient({ region: other.region, endpoint: other.apiEndpoint, credentials: other.credentials, maxAttempts: 1 });
    await client.send(new ListChannelsCommand({})); // leaves a keep-alive socket open
    await other.dispose();
    client.destroy();
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(other.httpPort, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

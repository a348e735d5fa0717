/**
 * Composition root of the local channel's control plane: the persisted store, local credentials,
 * the SigV4-verified IVS API on one HTTP port, and the hooks the live runtime (ingest, packager,
 * playback) plugs into: `setLiveControl`, `setIngestPorts`, `mountHttp`, `extendReadyInfo`.
 *
 *   const channel = await startLocalChannel({ dataDir, port: 0 });
 *   new IvsClient({ region: channel.region, endpoint: channel.apiEndpoint, credentials: channel.credentials });
 */
import * as path from 'node:path';
import { createLogger } from '../core/logger';
import { DisposableStore, toDisposable, type Disposable } from '../core/disposable';
import { handleApiRequest } from './api/control-plane';
import { createChannel } from './api/handlers/channels';
import type { HandlerContext } from './api/handlers/context';
import { startApiHttpServer, type MountedHandler } from './api/http-server';
import { playbackUrlFor, type Endpoints } from './api/identifiers';
import { SlidingWindowLimiter } from './api/rate-limiter';
import { SigV4Verifier } from './api/sigv4-verifier';
import type { WireContext } from './api/wire';
import type { ChannelDirectory, LiveControl, SessionLog } from './runtime';
import { ChannelStore, type StoreProblem } from './store/channel-store';
import { loadOrCreateCredentials } from './store/credentials';

const log = createLogger('local-channel');

/** The account id in every local ARN: fixed, 12 digits, and obviously not a real AWS account. */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-west-2';
export const DEFAULT_CHANNEL_NAME = 'default';

export interface LocalChannelOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on; 127.0.0.1 unless the user opts in to more. */
  host?: string;
  region?: string;
}

export interface ReadyInfo {
  event: 'ready';
  apiEndpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  [extension: string]: unknown;
}

export interface LocalChannel extends Disposable {
  readonly apiEndpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly directory: ChannelDirectory;
  readonly sessions: SessionLog;
  /** Files found corrupt at start-up (kept aside, not replaced silently). */
  readonly problems: readonly StoreProblem[];
  readonly httpPort: number;
  /** The live runtime registers here; until then (or after `undefined`) every channel is offline. */
  setLiveControl(live: LiveControl | undefined): void;
  /** The live runtime reports its ingest ports; channel `ingestEndpoint`s follow at once. */
  setIngestPorts(ports: { rtmp?: number; rtmps?: number }): void;
  /** Serves `pathPrefix…` (e.g. `/api/video/v1/`) on the API's HTTP port, without SigV4. */
  mountHttp(pathPrefix: string, handler: MountedHandler): Disposable;
  /** The `ready` line the CLI prints; `extendReadyInfo` adds fields (e.g. `ingest`). */
  readyInfo(): ReadyInfo;
  extendReadyInfo(extend: () => Record<string, unknown>): Disposable;
}

export async function startLocalChannel(options: LocalChannelOptions): Promise<LocalChannel> {
  const region = options.region ?? DEFAULT_REGION;
  const host = options.host ?? '127.0.0.1';
  // URLs handed to clients must be dialable: a wildcard listen address is reached through loopback.
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const dir = path.join(options.dataDir, 'local-channel');
  const disposables = new DisposableStore();

  let httpPort = 0;
  let ingestPorts: { rtmp?: number; rtmps?: number } = {};
  const endpoints = (): Endpoints => ({ httpHost: urlHost, httpPort, ingestPort: ingestPorts.rtmps ?? ingestPorts.rtmp ?? httpPort });

  const { credentials, problem: credentialsProblem } = loadOrCreateCredentials(dir);
  const store = new ChannelStore({
    dir,
    region,
    accountId: LOCAL_ACCOUNT_ID,
    playbackUrl: (channelId) => playbackUrlFor(endpoints(), region, LOCAL_ACCOUNT_ID, channelId),
  });
  const problems = [...store.problems, ...(credentialsProblem ? [credentialsProblem] : [])];

  let live: LiveControl | undefined;
  const limits = {
    metadataPerChannel: new SlidingWindowLimiter(5),
    metadataPerAccount: new SlidingWindowLimiter(155),
  };
  const wire = (): WireContext => ({ region, accountId: LOCAL_ACCOUNT_ID, endpoints: endpoints() });
  const context = (): HandlerContext => ({ store, live, wire: wire(), now: () => new Date(), limits });

  const verifier = new SigV4Verifier({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, region });
  const server = await startApiHttpServer({ host, port: options.port, handle: (request) => handleApiRequest(request, verifier, context) });
  disposables.add(server);
  httpPort = server.port;

  if (store.isFresh && store.resources.channels.length === 0) {
    // So the studio can go live with no setup.
    const created = createChannel(context(), { name: DEFAULT_CHANNEL_NAME });
    log.info(`created the default channel ${(created?.channel as { arn: string }).arn}`);
  }

  const extensions = new Set<() => Record<string, unknown>>();
  const apiEndpoint = `http://${urlHost}:${httpPort}`;
  log.info(`IVS API listening on ${apiEndpoint} (region ${region}, account ${LOCAL_ACCOUNT_ID})`);

  return {
    apiEndpoint,
    region,
    accountId: LOCAL_ACCOUNT_ID,
    credentials: { ...credentials },
    directory: store,
    sessions: store,
    problems,
    httpPort,
    setLiveControl(next) {
      live = next;
    },
    setIngestPorts(ports) {
      ingestPorts = { ...ports };
    },
    mountHttp(pathPrefix, handler) {
      return disposables.add(server.mount(pathPrefix, handler));
    },
    readyInfo() {
      const base: ReadyInfo = { event: 'ready', apiEndpoint, region, accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
      for (const extend of extensions) Object.assign(base, extend(), { event: 'ready' });
      return base;
    },
    extendReadyInfo(extend) {
      extensions.add(extend);
      return toDisposable(() => {
        extensions.delete(extend);
      });
    },
    async dispose() {
      live = undefined;
      await disposables.dispose();
      log.info('stopped');
    },
  };
}

/**
 * Plugs the live side into a running local channel (control plane): RTMPS certificate, playback
 * service (LL-HLS over the channel's HTTP port), ingest listeners, LiveControl, and the `ingest`
 * entry of the ready line:
 *
 *   "ingest":{"rtmp":"rtmp://127.0.0.1:…/app/","rtmps":"rtmps://127.0.0.1:…/app/","caFile":"…/tls/ca.pem"}
 *
 * Disposing ends every live session (Stream End, Session Ended recorded), unmounts playback and
 * closes the listeners.
 */
import type * as http from 'node:http';
import { DisposableStore, type Disposable } from '../../core/disposable';
import { createLogger } from '../../core/logger';
import { ensureIngestTls } from '../ingest/tls-material';
import { createPlaybackService, PLAYBACK_PATH_PREFIX, type PlaybackService, type PlaybackServiceOptions } from '../playback/playback-service';
import type { ChannelDirectory, LiveControl, SessionLog } from '../runtime';
import { LiveRuntime, type LiveRuntimeOptions } from './live-runtime';

const log = createLogger('live');

/** What the live side needs from the local channel's control plane (LocalChannel provides it). */
export interface LocalChannelHost {
  readonly directory: ChannelDirectory;
  readonly sessions: SessionLog;
  setLiveControl(live: LiveControl | undefined): void;
  setIngestPorts(ports: { rtmp?: number; rtmps?: number }): void;
  mountHttp(pathPrefix: string, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Disposable;
  extendReadyInfo(extend: () => Record<string, unknown>): Disposable;
}

export interface StartLiveRuntimeOptions
  extends Pick<LiveRuntimeOptions, 'rtmpPort' | 'rtmpsPort' | 'starvingAfterMs' | 'idleTimeoutMs' | 'bitrateWindowMs' | 'bitrateTolerance' | 'enforceInsecureIngest' | 'now'> {
  dataDir: string;
  /** Interface the ingest listens on (127.0.0.1 unless the user opts in to more). */
  host?: string;
  playback?: Omit<PlaybackServiceOptions, 'directory'>;
}

export interface LocalChannelLive extends Disposable {
  readonly runtime: LiveRuntime;
  readonly playback: PlaybackService;
  readonly rtmpUrl: string;
  readonly rtmpsUrl: string;
  /** The CA clients trust for RTMPS (ffmpeg: -tls_verify 1 -ca_file <caFile>). */
  readonly caFile: string;
  readonly caPem: string;
  dispose(): Promise<void>;
}

export async function startLiveRuntime(channel: LocalChannelHost, options: StartLiveRuntimeOptions): Promise<LocalChannelLive> {
  const disposables = new DisposableStore();
  try {
    const tls = await ensureIngestTls(options.dataDir);
    const playback = createPlaybackService({ ...options.playback, directory: channel.directory, now: options.playback?.now ?? options.now });
    disposables.add(playback);
    disposables.add(
      channel.mountHttp(PLAYBACK_PATH_PREFIX, (req, res) => {
        void playback.handler(req, res).then((handled) => {
          if (!handled && !res.headersSent) {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('Not found');
          }
        });
      }),
    );

    const runtime = new LiveRuntime({
      ...options,
      directory: channel.directory,
      sessions: channel.sessions,
      playback,
      tls: { key: tls.key, cert: tls.cert },
      host: options.host,
    });
    await runtime.start();
    // Registered last so it is disposed first: sessions end while playback and the API still run.
    disposables.add({ dispose: () => runtime.dispose() });
    channel.setIngestPorts({ rtmp: runtime.ingest.rtmpPort, rtmps: runtime.ingest.rtmpsPort });
    channel.setLiveControl(runtime);
    disposables.add({ dispose: () => channel.setLiveControl(undefined) });
    const rtmpUrl = runtime.ingest.rtmpUrl;
    const rtmpsUrl = runtime.ingest.rtmpsUrl!;
    disposables.add(channel.extendReadyInfo(() => ({ ingest: { rtmp: rtmpUrl, rtmps: rtmpsUrl, caFile: tls.caPath } })));
    log.info(`live runtime ready: ${rtmpsUrl} (CA ${tls.caPath}), ${rtmpUrl}`);
    return { runtime, playback, rtmpUrl, rtmpsUrl, caFile: tls.caPath, caPem: tls.caPem, dispose: () => disposables.dispose() };
  } catch (error) {
    await disposables.dispose();
    throw error;
  }
}

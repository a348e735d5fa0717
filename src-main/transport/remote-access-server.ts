/**
 * Remote access for the Electron studio: the window talks IPC, so a network server runs only while
 * remote access is on. It serves the same UI and WebSocket API as browser mode on all interfaces,
 * with this run's token and cue-board rights for remote peers (unless the operator granted full).
 */
import type { ClientRights, RemoteAccess } from '../contract/domains/app';
import type { Disposable } from '../core/disposable';
import type { ApiRouter } from '../engine/api-router';
import { ELECTRON_APP_ORIGIN } from './access-policy';
import { ALL_INTERFACES, StudioServer } from './studio-server';

export interface RemoteAccessServerOptions {
  router: ApiRouter;
  staticRoot: string | null;
  remoteRights: ClientRights;
  /** 0 picks a free port each time remote access is switched on. */
  port?: number;
  token?: string;
}

export class RemoteAccessServer implements Disposable {
  private server: StudioServer | undefined;
  /** Serialises on/off switches so a quick toggle cannot interleave two starts. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: RemoteAccessServerOptions) {}

  get enabled(): boolean {
    return !!this.server;
  }

  setEnabled(enabled: boolean): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (enabled && !this.server) {
        const server = new StudioServer({
          router: this.options.router,
          staticRoot: this.options.staticRoot,
          remoteRights: this.options.remoteRights,
          token: this.options.token,
          extraOrigins: [ELECTRON_APP_ORIGIN],
        });
        try {
          await server.listen(ALL_INTERFACES, this.options.port ?? 0);
        } catch (error) {
          await server.dispose();
          throw error;
        }
        this.server = server;
      } else if (!enabled && this.server) {
        const server = this.server;
        this.server = undefined;
        await server.dispose();
      }
    });
    return this.queue;
  }

  info(): RemoteAccess {
    return { enabled: this.enabled, urls: this.server?.remoteUrls() ?? [], remoteRights: this.options.remoteRights };
  }

  /** The token of the running server (registered as a secret by the host). */
  get token(): string | undefined {
    return this.server?.token;
  }

  async dispose(): Promise<void> {
    await this.setEnabled(false);
  }
}

/**
 * The studio API over Electron IPC (the other transport is ws-transport.ts). One invoke channel and
 * one event channel; the contract's channel names travel inside and are re-checked here: main never
 * trusts the renderer's allow-list. Every message's sender frame must be the studio UI on app://.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../contract/ipc-wire';
import type { Reply } from '../contract/reply';
import { isAppUrl } from '../app/security-policy';
import type { Disposable } from '../core/disposable';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import type { ApiRouter } from '../engine/api-router';

const log = createLogger('ipc');

export class IpcMainTransport implements Disposable {
  private readonly windows = new Set<BrowserWindow>();
  private readonly eventSubscription: Disposable;

  constructor(private readonly router: ApiRouter) {
    ipcMain.handle(IPC_INVOKE_CHANNEL, (event, channel: unknown, args: unknown) => this.onInvoke(event, channel, args));
    this.eventSubscription = router.onEvent((name, payload) => {
      for (const window of this.windows) {
        if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
      }
    });
  }

  /** Windows that receive engine events. */
  attach(window: BrowserWindow): void {
    this.windows.add(window);
    window.once('closed', () => this.windows.delete(window));
  }

  private async onInvoke(event: IpcMainInvokeEvent, channel: unknown, args: unknown): Promise<Reply<unknown>> {
    const senderUrl = event.senderFrame?.url;
    if (!isAppUrl(senderUrl)) {
      log.warn(`refused IPC from ${senderUrl ?? 'an unknown frame'}`);
      return { ok: false, error: new StudioError('FORBIDDEN_ORIGIN', { message: 'IPC is only accepted from the studio UI (app://studio).' }).toPayload() };
    }
    if (!Array.isArray(args)) {
      return { ok: false, error: new StudioError('BAD_REQUEST', { message: `Arguments of ${String(channel).slice(0, 80)} must be an array.` }).toPayload() };
    }
    return this.router.dispatch({ rights: 'full', transport: 'ipc' }, channel, args);
  }

  dispose(): void {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    this.eventSubscription.dispose();
    this.windows.clear();
  }
}

/**
 * Issue 3 acceptance: `ivs-studio local-channel` is SIGKILLed in the middle of a burst of writes,
 * restarted on the same data dir, and every change it acknowledged is still there (channels and
 * their tags), under the same local credentials, with no corrupt-state report.
 *
 * The command runs from source through tsx (`node --import tsx`), so the test does not depend on a
 * fresh `dist/` build; SIGKILL hits the server process itself (no wrapper in between).
 */
import type { ChildProcess } from 'node:child_process';
import { CreateChannelCommand, IvsClient, TagResourceCommand, paginateListChannels } from '@aws-sdk/client-ivs';
import { describe, expect, it } from 'vitest';
import { afterAllCleanup } from '../support/after-all-cleanup';
import { startLocalChannelCli, type LocalChannelCliRun } from '../support/local-channel-cli';

const { children, tempDir } = afterAllCleanup();

interface Ready {
  event: string;
  apiEndpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  warnings?: string[];
}

/** Starts `ivs-studio local-channel --port 0 --data-dir <dir>` and resolves with its ready line. */
async function startCli(dataDir: string): Promise<{ child: ChildProcess; ready: Ready; exited: LocalChannelCliRun['exited'] }> {
  const cli = startLocalChannelCli(['--port', '0', '--data-dir', dataDir], children);
  return { child: cli.child, ready: JSON.parse(await cli.firstLine) as Ready, exited: cli.exited };
}

function clientFor(ready: Ready): IvsClient {
  return new IvsClient({
    region: ready.region,
    endpoint: ready.apiEndpoint,
    credentials: { accessKeyId: ready.accessKeyId, secretAccessKey: ready.secretAccessKey },
    maxAttempts: 1,
  });
}

describe('local-channel crash safety', () => {
  it('kill -9 during a burst of writes loses no acknowledged change', async () => {
    const dataDir = tempDir('channel-crash-');
    const first = await startCli(dataDir);
    const ivs = clientFor(first.ready);

    const ackedChannels = new Map<string, string>(); // arn → name
    const ackedTags = new Map<string, string>(); // arn → value of tag "round"
    let inFlight = 0;
    let inFlightAtKill = -1;
    let failedAfterKill = 0;
    let killed = false;

    const kill = () => {
      if (killed) return;
      killed = true;
      inFlightAtKill = inFlight;
      first.child.kill('SIGKILL');
    };
    const call = async <T>(send: () => Promise<T>): Promise<T | undefined> => {
      inFlight++;
      try {
        return await send();
      } catch {
        if (killed) failedAfterKill++;
        return undefined;
      } finally {
        inFlight--;
      }
    };

    const worker = async (w: number) => {
      for (let i = 0; !killed && i < 200; i++) {
        const name = `burst-${w}-${i}`;
        const created = await call(() => ivs.send(new CreateChannelCommand({ name, tags: { round: '0' } })));
        if (!created) break;
        ackedChannels.set(created.channel!.arn!, name);
        const tagged = await call(() => ivs.send(new TagResourceCommand({ resourceArn: created.channel!.arn!, tags: { round: String(i + 1) } })));
        if (!tagged) break;
        ackedTags.set(created.channel!.arn!, String(i + 1));
        // Kill once enough has been acknowledged, while the other workers still have requests on the wire.
        if (ackedChannels.size >= 40 && inFlight > 0) kill();
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    kill(); // in case every worker finished first (it should not happen: 6 × 200 writes)
    const exit = await first.exited;
    ivs.destroy();

    expect(exit.signal).toBe('SIGKILL');
    expect(inFlightAtKill).toBeGreaterThan(0); // the kill landed mid-burst…
    expect(failedAfterKill).toBeGreaterThan(0); // …and cut requests short
    expect(ackedChannels.size).toBeGreaterThanOrEqual(40);

    const second = await startCli(dataDir);
    expect(second.ready.warnings).toBeUndefined(); // no torn or corrupt state file
    expect(second.ready.accessKeyId).toBe(first.ready.accessKeyId); // credentials persisted
    expect(second.ready.apiEndpoint).not.toBe(''); // a new port: endpoints are computed, not stored
    const after = clientFor(second.ready);
    const stored = new Map<string, { name: string; round?: string }>();
    for await (const page of paginateListChannels({ client: after, pageSize: 100 }, {})) {
      for (const c of page.channels ?? []) stored.set(c.arn!, { name: c.name!, round: c.tags?.round });
    }
    after.destroy();

    const lostChannels = [...ackedChannels].filter(([arn, name]) => stored.get(arn)?.name !== name);
    expect(lostChannels).toEqual([]);
    // A tag write can only be newer than what was acknowledged (a later write may have committed
    // without its answer arriving), never older.
    const staleTags = [...ackedTags].filter(([arn, round]) => Number(stored.get(arn)?.round ?? -1) < Number(round));
    expect(staleTags).toEqual([]);
    // Only the default channel and burst channels exist: no half-written extras.
    expect([...stored.values()].filter((c) => c.name !== 'default' && !c.name.startsWith('burst-'))).toEqual([]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 120_000); // two process start-ups from source on a shared 2-core machine
});

/**
 * `ivs-studio local-channel` as a process: exactly one JSON `ready` line on stdout (logs on stderr),
 * clean exit 0 on SIGINT and SIGTERM, strict flags, a corrupt state file kept aside and reported —
 * and the AWS CLI (`aws ivs … --endpoint-url`) working against it unchanged, when `aws` is installed.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { IvsClient, ListChannelsCommand } from '@aws-sdk/client-ivs';
import { describe, expect, it } from 'vitest';
import { afterAllCleanup } from '../support/after-all-cleanup';
import { startLocalChannelCli } from '../support/local-channel-cli';

const run = promisify(execFile);
const { children, tempDir: makeTempDir } = afterAllCleanup();
const tempDir = () => makeTempDir('channel-cli-');
const startCli = (args: string[]) => startLocalChannelCli(args, children);

describe('ivs-studio local-channel', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints one ready line, serves the API, and exits 0 on %s', async (signal) => {
    const dataDir = tempDir();
    const cli = startCli(['--port', '0', '--data-dir', dataDir]);
    const ready = JSON.parse(await cli.firstLine) as Record<string, string>;
    // The control plane's fields; the live runtime may add its own (`ingest`), nothing else.
    expect(Object.keys(ready).filter((k) => k !== 'ingest').sort()).toEqual(['accessKeyId', 'apiEndpoint', 'event', 'region', 'secretAccessKey']);
    expect(ready).toMatchObject({ event: 'ready', region: 'us-west-2', apiEndpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const ivs = new IvsClient({ region: ready.region!, endpoint: ready.apiEndpoint!, credentials: { accessKeyId: ready.accessKeyId!, secretAccessKey: ready.secretAccessKey! } });
    const { channels } = await ivs.send(new ListChannelsCommand({}));
    ivs.destroy();
    expect(channels?.map((c) => c.name)).toEqual(['default']);
    cli.child.kill(signal);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    // stdout carries the ready line and nothing else; logs went to stderr and the log file.
    expect(cli.stdout()).toBe(`${JSON.stringify(ready)}\n`);
    expect(cli.stderr()).toContain('IVS API listening on');
    expect(cli.stderr()).not.toContain(ready.secretAccessKey);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'studio.log'), 'utf8')).toContain('IVS API listening on');
  }, 60_000);

  it.each([
    [['--port', 'abc'], '--port must be 0–65535'],
    [['--port', '70000'], '--port must be 0–65535'],
    [['--colour', 'red'], 'unknown option --colour'],
    [['--region', 'Not A Region'], 'is not a region name'],
  ])('refuses %j with exit code 2 and a message', async (args, message) => {
    const cli = startCli([...args, '--data-dir', tempDir()]);
    const { code } = await cli.exited;
    expect(code).toBe(2);
    expect(cli.stderr()).toContain(message);
    expect(cli.stdout()).toBe('');
  }, 60_000);

  it('a port in use is reported with exit code 1', async () => {
    const first = startCli(['--port', '0', '--data-dir', tempDir()]);
    const port = new URL((JSON.parse(await first.firstLine) as { apiEndpoint: string }).apiEndpoint).port;
    const second = startCli(['--port', port, '--data-dir', tempDir()]);
    expect((await second.exited).code).toBe(1);
    expect(second.stderr()).toContain(`port ${port} is already in use`);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  }, 60_000);

  it('a corrupt state file is kept aside byte for byte and reported, not silently replaced', async () => {
    const dataDir = tempDir();
    const stateDir = path.join(dataDir, 'local-channel');
    fs.mkdirSync(stateDir, { recursive: true });
    const garbage = '{"version":1,"channels":[{"arn":"torn';
    fs.writeFileSync(path.join(stateDir, 'state.json'), garbage);
    const cli = startCli(['--port', '0', '--data-dir', dataDir]);
    const ready = JSON.parse(await cli.firstLine) as { warnings?: string[] };
    expect(ready.warnings).toHaveLength(1);
    expect(ready.warnings![0]).toMatch(/^state\.json was corrupt \(not valid JSON.*\); kept at .*state\.corrupt-.*\.json$/);
    const kept = fs.readdirSync(stateDir).filter((f) => f.startsWith('state.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(stateDir, kept[0]!), 'utf8')).toBe(garbage);
    expect(cli.stderr()).toContain('state.json was corrupt');
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  }, 60_000);
});

/** `aws` on PATH, or undefined (the test is then skipped with the reason printed). */
async function findAwsCli(): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run('aws', ['--version'], { timeout: 20_000 });
    return `${stdout}${stderr}`.trim();
  } catch {
    return undefined;
  }
}

const awsVersion = await findAwsCli();
if (!awsVersion) process.stdout.write('channel-api-cli: the AWS CLI test is skipped: no `aws` binary on PATH (Debian: apt-get install awscli)\n');

describe.skipIf(!awsVersion)(`the AWS CLI against the local channel (${awsVersion ?? 'absent'})`, () => {
  it('create, list (paged), tag, untag and get-stream work unchanged with --endpoint-url', async () => {
    const dataDir = tempDir();
    const cli = startCli(['--port', '0', '--data-dir', dataDir]);
    const ready = JSON.parse(await cli.firstLine) as { apiEndpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
    // Credentials through a 0600 file, not the child's environment.
    const home = tempDir();
    const credentialsFile = path.join(home, 'credentials');
    fs.writeFileSync(credentialsFile, `[local]\naws_access_key_id = ${ready.accessKeyId}\naws_secret_access_key = ${ready.secretAccessKey}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(home, 'config'), `[profile local]\nregion = ${ready.region}\noutput = json\n`);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_PROFILE: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
    const aws = async (...args: string[]) => JSON.parse((await run('aws', ['ivs', ...args, '--endpoint-url', ready.apiEndpoint], { env, timeout: 60_000 })).stdout || '{}') as Record<string, unknown>;
    try {
      const created = (await aws('create-channel', '--name', 'from-cli', '--latency-mode', 'NORMAL', '--tags', 'team=ops')) as { channel: { arn: string; latencyMode: string }; streamKey: { value: string } };
      expect(created.channel.latencyMode).toBe('NORMAL');
      expect(created.streamKey.value).toMatch(/^sk_us-west-2_/);
      await aws('create-channel', '--name', 'from-cli-2');
      // --page-size 1 makes the CLI follow nextToken across three pages.
      const listed = (await aws('list-channels', '--page-size', '1')) as { channels: Array<{ name: string }> };
      expect(listed.channels.map((c) => c.name).sort()).toEqual(['default', 'from-cli', 'from-cli-2']);
      await aws('tag-resource', '--resource-arn', created.channel.arn, '--tags', 'show=friday night');
      await aws('untag-resource', '--resource-arn', created.channel.arn, '--tag-keys', 'team');
      expect(await aws('list-tags-for-resource', '--resource-arn', created.channel.arn)).toEqual({ tags: { show: 'friday night' } });
      const failure = await aws('get-stream', '--channel-arn', created.channel.arn).then(
        () => 'succeeded',
        (error: { stderr: string }) => error.stderr,
      );
      expect(failure).toContain('ChannelNotBroadcasting');
    } finally {
      cli.child.kill('SIGTERM');
      expect((await cli.exited).code).toBe(0);
    }
  }, 180_000); // each `aws` run costs ~3 s of Python start-up on these machines
});

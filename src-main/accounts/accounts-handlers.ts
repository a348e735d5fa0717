import { z } from 'zod';
import type { AccountsRequests } from '../contract/domains/accounts';
import type { ApiRouter, HandlerMap } from '../engine/api-router';
import { noArgs } from '../engine/api-router';
import type { AccountsService } from './accounts-service';

/** The router checks every argument tuple against these before a handler runs. */
const accountId = z.string().min(1).max(64);
const arn = z.string().min(1).max(256).regex(/^arn:[a-z-]+:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+\/[A-Za-z0-9-]+$/, 'not an IVS ARN');
const channelName = z.string().max(128).regex(/^[a-zA-Z0-9-_]*$/, 'use letters, digits, - and _ only (IVS channel names)');
const tags = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((t) => Object.keys(t).length <= 50, 'at most 50 tags');

const addAwsInput = z
  .object({
    label: z.string().max(200),
    region: z.string().min(1).max(32),
    auth: z.discriminatedUnion('type', [
      z.object({ type: z.literal('default-chain'), profile: z.string().max(128).optional() }).strict(),
      z
        .object({
          type: z.literal('access-key'),
          accessKeyId: z.string().min(1).max(128),
          secretAccessKey: z.string().min(1).max(256),
          sessionToken: z.string().max(4096).optional(),
        })
        .strict(),
    ]),
  })
  .strict();

const addCustomTargetInput = z
  .object({ label: z.string().max(200), ingestUrl: z.string().min(1).max(2048), streamKey: z.string().min(1).max(1024) })
  .strict();

const createChannelInput = z
  .object({
    name: channelName,
    type: z.enum(['STANDARD', 'BASIC', 'ADVANCED_SD', 'ADVANCED_HD']).optional(),
    latencyMode: z.enum(['LOW', 'NORMAL']).optional(),
    authorized: z.boolean().optional(),
    insecureIngest: z.boolean().optional(),
    tags: tags.optional(),
  })
  .strict();

const createRecordingInput = z
  .object({
    bucketName: z.string().min(3).max(63).regex(/^[a-z0-9-.]+$/, 'S3 bucket names use lower-case letters, digits, - and .'),
    name: channelName.optional(),
  })
  .strict();

const encoderSettings = z
  .object({
    videoCodec: z.string().max(64),
    width: z.number().int().min(0).max(16384),
    height: z.number().int().min(0).max(16384),
    fps: z.number().min(0).max(1000),
    videoBitrateKbps: z.number().min(0).max(1_000_000),
    keyframeIntervalSec: z.number().min(0).max(3600),
    rateControl: z.enum(['cbr', 'vbr', 'crf']).optional(),
    audioCodec: z.string().max(64).optional(),
    audioBitrateKbps: z.number().min(0).max(10_000).optional(),
    audioSampleRate: z.number().int().min(0).max(384_000).optional(),
    audioChannels: z.number().int().min(0).max(64).optional(),
  })
  .strict();

type AccountsChannel = keyof AccountsRequests;

// zod's inferred tuple types are structurally the contract's argument tuples; the cast bridges
// zod's output type (with `| undefined` on optionals) and the contract's optional members.
const tuple = <T>(schema: z.ZodType) => schema as unknown as z.ZodType<T>;

export function accountsHandlers(accounts: AccountsService): HandlerMap<AccountsChannel> {
  return {
    'accounts:get-state': { args: noArgs, handle: () => accounts.getState() },
    'accounts:add-aws': { args: tuple(z.tuple([addAwsInput])), handle: (_ctx, input) => accounts.addAws(input) },
    'accounts:add-custom-target': { args: tuple(z.tuple([addCustomTargetInput])), handle: (_ctx, input) => accounts.addCustomTarget(input) },
    'accounts:remove': { args: tuple(z.tuple([accountId])), handle: (_ctx, id) => accounts.remove(id) },
    'accounts:set-region': { args: tuple(z.tuple([accountId, z.string().min(1).max(32)])), handle: (_ctx, id, region) => accounts.setRegion(id, region) },
    'accounts:test-connection': { args: tuple(z.tuple([accountId])), handle: (_ctx, id) => accounts.testConnection(id) },
    'accounts:list-aws-profiles': { args: noArgs, handle: () => accounts.listAwsProfiles() },
    'accounts:allow-session-secrets': { args: noArgs, handle: () => accounts.allowSessionSecrets() },
    'channels:list': { args: tuple(z.tuple([accountId])), handle: (_ctx, id) => accounts.listChannels(id) },
    'channels:create': { args: tuple(z.tuple([accountId, createChannelInput])), handle: (_ctx, id, input) => accounts.createChannel(id, input) },
    'channels:delete': { args: tuple(z.tuple([accountId, arn])), handle: (_ctx, id, channelArn) => accounts.deleteChannel(id, channelArn) },
    'channels:select': {
      args: tuple(z.union([z.tuple([accountId]), z.tuple([accountId, arn])])),
      handle: (_ctx, id, channelArn) => accounts.select(id, channelArn),
    },
    'channels:rotate-key': { args: tuple(z.tuple([accountId, arn])), handle: (_ctx, id, channelArn) => accounts.rotateKey(id, channelArn) },
    'channels:reveal-key': {
      args: tuple(z.union([z.tuple([accountId]), z.tuple([accountId, arn])])),
      handle: (_ctx, id, channelArn) => accounts.revealKey(id, channelArn),
    },
    'channels:stop-stream': { args: tuple(z.tuple([accountId, arn])), handle: (_ctx, id, channelArn) => accounts.stopStream(id, channelArn) },
    'channels:get-status': { args: noArgs, handle: () => accounts.getStatus() },
    'channels:preflight': { args: tuple(z.tuple([encoderSettings])), handle: (_ctx, encoder) => accounts.preflight(encoder) },
    'channels:list-recording-configurations': { args: tuple(z.tuple([accountId])), handle: (_ctx, id) => accounts.listRecordingConfigurations(id) },
    'channels:create-recording-configuration': {
      args: tuple(z.tuple([accountId, createRecordingInput])),
      handle: (_ctx, id, input) => accounts.createRecordingConfiguration(id, input),
    },
    'channels:set-recording': {
      args: tuple(z.tuple([accountId, arn, z.union([z.literal(''), arn])])),
      handle: (_ctx, id, channelArn, recordingArn) => accounts.setRecording(id, channelArn, recordingArn),
    },
  };
}

/** Registers the handlers and forwards the service's events to every transport. */
export function registerAccounts(router: ApiRouter, accounts: AccountsService): void {
  router.register(accountsHandlers(accounts));
  accounts.onDidChangeState((state) => router.emit('accounts:state-changed', state));
  accounts.onDidChangeStatus((status) => router.emit('channels:status-changed', status));
}

/** ImportPlaybackKeyPair, GetPlaybackKeyPair, ListPlaybackKeyPairs, DeletePlaybackKeyPair. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type {
  DeletePlaybackKeyPairRequest,
  GetPlaybackKeyPairRequest,
  ImportPlaybackKeyPairRequest,
  ListPlaybackKeyPairsRequest,
} from '@aws-sdk/client-ivs';
import { buildArn, fingerprintOf, newResourceId } from '../identifiers';
import { conflict, notFound, validation } from '../ivs-error';
import { paginate } from '../pagination';
import type { PlaybackKeyPairState } from '../../store/state';
import { keyPairSummaryToWire, keyPairToWire } from '../wire';
import { checkTags, iso, type HandlerContext, type HandlerResult } from './context';

/** Playback tokens are ES384: the public key must be ECDSA on P-384 (secp384r1). */
function parseEs384PublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw validation('publicKeyMaterial is not a PEM-encoded public key.');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw validation('publicKeyMaterial must be an ECDSA P-384 (secp384r1) public key, as ES384 playback tokens need.');
  }
  return key;
}

export function importPlaybackKeyPair(ctx: HandlerContext, input: ImportPlaybackKeyPairRequest): HandlerResult {
  const key = parseEs384PublicKey(input.publicKeyMaterial!);
  const fingerprint = fingerprintOf(key.export({ type: 'spki', format: 'der' }));
  const tags = checkTags(input.tags);
  const duplicate = ctx.store.resources.playbackKeyPairs.find((k) => k.fingerprint === fingerprint);
  if (duplicate) throw conflict(`This public key was already imported as ${duplicate.arn}.`);
  const id = newResourceId(ctx.random);
  const pair: PlaybackKeyPairState = {
    id,
    arn: buildArn(ctx.wire.region, ctx.wire.accountId, 'playback-key', id),
    name: input.name ?? '',
    fingerprint,
    publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
    tags,
    createdAt: iso(ctx.now()),
  };
  ctx.store.commit((draft) => {
    draft.playbackKeyPairs.push(pair);
  });
  return { keyPair: keyPairToWire(pair) };
}

function requirePair(ctx: HandlerContext, arn: string): PlaybackKeyPairState {
  const pair = ctx.store.resources.playbackKeyPairs.find((k) => k.arn === arn);
  if (!pair) throw notFound('Playback key pair', arn);
  return pair;
}

export function getPlaybackKeyPair(ctx: HandlerContext, input: GetPlaybackKeyPairRequest): HandlerResult {
  return { keyPair: keyPairToWire(requirePair(ctx, input.arn!)) };
}

export function listPlaybackKeyPairs(ctx: HandlerContext, input: ListPlaybackKeyPairsRequest): HandlerResult {
  const page = paginate(ctx.store.resources.playbackKeyPairs, (k) => k.arn, {
    operation: 'ListPlaybackKeyPairs',
    filters: {},
    nextToken: input.nextToken,
    maxResults: input.maxResults ?? 100,
  });
  return { keyPairs: page.items.map(keyPairSummaryToWire), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export function deletePlaybackKeyPair(ctx: HandlerContext, input: DeletePlaybackKeyPairRequest): HandlerResult {
  const pair = requirePair(ctx, input.arn!);
  ctx.store.commit((draft) => {
    draft.playbackKeyPairs = draft.playbackKeyPairs.filter((k) => k.arn !== pair.arn);
  });
  return {};
}

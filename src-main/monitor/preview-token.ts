/**
 * Viewer tokens for the preview of a private channel on the local channel. The studio makes its own
 * ES384 (P-384) playback key pair, imports the public half into the local channel under the name
 * `ivs-studio-preview` (replacing the one an earlier run left there), keeps the private half in memory
 * only (registered as a secret), and signs one token per preview URL: `aws:channel-arn` + `exp`.
 *
 * Real IVS channels are not signed here: that needs the account's own playback key, which the studio
 * does not hold (the preview names the problem instead).
 */
import * as crypto from 'node:crypto';
import { DeletePlaybackKeyPairCommand, ImportPlaybackKeyPairCommand, IvsClient, ListPlaybackKeyPairsCommand } from '@aws-sdk/client-ivs';
import { signPlaybackToken } from '../channel/playback/playback-token';
import { registerSecret } from '../core/redact';
import type { LocalChannelAccess } from '../golive/go-live';

export const PREVIEW_KEY_PAIR_NAME = 'ivs-studio-preview';
/** Long enough for a show: the token is checked when playback (re)starts. */
const TOKEN_LIFETIME_MS = 12 * 3600_000;

export class PreviewTokenSigner {
  private key: Promise<{ privatePem: string; endpoint: string }> | undefined;

  constructor(private readonly localChannel: () => LocalChannelAccess | undefined) {}

  /** The playback URL with a fresh token, and when it expires. */
  async sign(playbackUrl: string, channelArn: string, now = Date.now()): Promise<{ url: string; expiresAt: string }> {
    const { privatePem } = await this.ensureKey();
    const exp = Math.floor((now + TOKEN_LIFETIME_MS) / 1000);
    const token = signPlaybackToken({ 'aws:channel-arn': channelArn, exp }, privatePem);
    const url = new URL(playbackUrl);
    url.searchParams.set('token', token);
    return { url: url.toString(), expiresAt: new Date(exp * 1000).toISOString() };
  }

  private ensureKey(): Promise<{ privatePem: string; endpoint: string }> {
    const local = this.localChannel();
    if (!local) return Promise.reject(new Error('the local channel is not running'));
    if (!this.key) {
      this.key = this.importKey(local);
      this.key.catch(() => (this.key = undefined));
    }
    return this.key;
  }

  private async importKey(local: LocalChannelAccess): Promise<{ privatePem: string; endpoint: string }> {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    registerSecret(privatePem);
    const client = new IvsClient({ region: local.region, endpoint: local.apiEndpoint, credentials: local.credentials, maxAttempts: 1 });
    try {
      const existing = await client.send(new ListPlaybackKeyPairsCommand({}));
      for (const pair of existing.keyPairs ?? []) {
        if (pair.name === PREVIEW_KEY_PAIR_NAME && pair.arn) await client.send(new DeletePlaybackKeyPairCommand({ arn: pair.arn }));
      }
      await client.send(new ImportPlaybackKeyPairCommand({ name: PREVIEW_KEY_PAIR_NAME, publicKeyMaterial: publicKey.export({ type: 'spki', format: 'pem' }).toString() }));
    } finally {
      client.destroy();
    }
    return { privatePem, endpoint: local.apiEndpoint };
  }
}

/** A channel's settings and the values CreateChannel gives the ones a request leaves out. */
import type { ChannelState } from './state';

/** Everything in a channel but its identity, tags and creation time: what Create/UpdateChannel set. */
export type ChannelSettings = Omit<ChannelState, 'id' | 'arn' | 'tags' | 'createdAt'>;

/** IVS's documented CreateChannel defaults (the integration test checks them against the wire). */
export const defaultChannelSettings = (): ChannelSettings => ({
  name: '',
  latencyMode: 'LOW',
  type: 'STANDARD',
  authorized: false,
  insecureIngest: false,
  preset: '',
  recordingConfigurationArn: '',
  playbackRestrictionPolicyArn: '',
  adConfigurationArn: '',
  multitrackInputConfiguration: { enabled: false, policy: 'ALLOW', maximumResolution: 'FULL_HD' },
  containerFormat: 'TS',
});

/**
 * The two Electron IPC channels that carry the studio API between preload and main. The contract's
 * own channel names travel inside them and are checked against the allow-lists on both sides, so the
 * IPC surface stays two channels however many requests the contract grows.
 */
export const IPC_INVOKE_CHANNEL = 'studio:invoke';
export const IPC_EVENT_CHANNEL = 'studio:event';

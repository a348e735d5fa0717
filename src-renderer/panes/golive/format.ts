/** Pure formatting for the Go Live pane (unit-tested). */
import type { StreamState } from '@contract/studio-api';

export function stateLabel(state: StreamState): string {
  switch (state) {
    case 'offline':
      return 'Offline';
    case 'starting':
      return 'Starting…';
    case 'live':
      return 'LIVE';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'stopping':
      return 'Stopping…';
  }
}

export function formatBitrate(bps: number): string {
  if (bps >= 1_000_000) return `${(bps / 1_000_000).toFixed(2)} Mbps`;
  return `${Math.round(bps / 1000)} kbps`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** 0:07, 1:02:03; under 10 s with a decimal (reconnect durations). */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 10_000) return `${(safe / 1000).toFixed(1)} s`;
  const total = Math.floor(safe / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

import type { IvsRegionInfo } from '../contract/domains/accounts';

/** Regions that serve IVS low-latency channels (AWS General Reference, IVS endpoints). */
export const IVS_REGIONS: readonly IvsRegionInfo[] = [
  { id: 'us-east-1', label: 'US East (N. Virginia)' },
  { id: 'us-west-2', label: 'US West (Oregon)' },
  { id: 'eu-central-1', label: 'Europe (Frankfurt)' },
  { id: 'eu-west-1', label: 'Europe (Ireland)' },
  { id: 'ap-south-1', label: 'Asia Pacific (Mumbai)' },
  { id: 'ap-northeast-1', label: 'Asia Pacific (Tokyo)' },
  { id: 'ap-northeast-2', label: 'Asia Pacific (Seoul)' },
];

export function isIvsRegion(region: string): boolean {
  return IVS_REGIONS.some((r) => r.id === region);
}

export function describeIvsRegions(): string {
  return IVS_REGIONS.map((r) => r.id).join(', ');
}

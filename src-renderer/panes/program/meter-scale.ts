/** dBFS → the meter's fill (0 … 1) on a −60 … 0 dB scale, as OBS draws it. */
export const METER_FLOOR_DB = -60;

export function meterFill(db: number): number {
  if (!Number.isFinite(db) || db <= METER_FLOOR_DB) return 0;
  return Math.min(1, (db - METER_FLOOR_DB) / -METER_FLOOR_DB);
}

/**
 * ffmpeg's two levels of escaping for a value inside a filtergraph (libavfilter docs, "Notes on
 * filtergraph escaping"): first the option value (`\ ' :`), then the whole filter description
 * (`\ ' [ ] , ;`). A path like `C:\fonts\a,b.ttf` or a window title survives both.
 */
export function escapeOptionValue(value: string): string {
  return value.replace(/[\\':]/g, '\\$&');
}

export function escapeGraphLevel(text: string): string {
  return text.replace(/[\\'[\],;]/g, '\\$&');
}

/** A value written into a filtergraph string (`-filter_complex`, or a lavfi `-i`). */
export function escapeFilterValue(value: string): string {
  return escapeGraphLevel(escapeOptionValue(value));
}

/** `#rrggbb` / `#rrggbbaa` → ffmpeg's `0xrrggbb@alpha`. */
export function ffmpegColor(color: string): string {
  const hex = color.replace(/^#/, '');
  const rgb = hex.slice(0, 6);
  if (hex.length === 8) {
    const alpha = parseInt(hex.slice(6, 8), 16) / 255;
    return `0x${rgb}@${Number(alpha.toFixed(3))}`;
  }
  return `0x${rgb}`;
}

/** A number as ffmpeg reads it: no exponent, no trailing zeros. */
export function ffmpegNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(6)));
}

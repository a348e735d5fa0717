/**
 * The redaction layer: every secret the engine holds (stream keys, AWS secrets, signing keys, API
 * tokens) is registered here the moment it is read, and every log line and error detail passes through
 * `redact` before it leaves the process or reaches a file.
 */
const secrets = new Set<string>();
const MASK = '[redacted]';

/** Shorter strings would match too much ordinary text; real secrets are long. */
const MIN_SECRET_LENGTH = 6;

export function registerSecret(secret: string | undefined | null): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return;
  secrets.add(secret);
  // The URL-encoded form appears in request lines and RTMP URLs.
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) secrets.add(encoded);
}

export function forgetSecret(secret: string): void {
  secrets.delete(secret);
  secrets.delete(encodeURIComponent(secret));
}

export function redact(text: string): string {
  if (secrets.size === 0 || !text) return text;
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** Masked form for the renderer: the last 4 characters, enough to tell two keys apart. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '••••';
  return `••••••••${secret.slice(-4)}`;
}

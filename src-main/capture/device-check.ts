/**
 * Missing or busy devices: checked before the program starts where the OS lets us look cheaply (files,
 * /dev/video*, the X display, PulseAudio's source list), and recognised afterwards in ffmpeg's own
 * error line (`<url>: <reason>`) when opening fails anyway (a busy camera). Either way the source is
 * named in a DEVICE_MISSING warning and replaced by a slate, so the rest of the scene keeps running.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { Source } from '../contract/domains/scenes';
import type { CapturePlatform } from './capture-types';

/** The url of the input ffmpeg failed to open, from its stderr; undefined if no input is blamed. Pure. */
export function findFailedInputUrl(stderr: string, urls: readonly string[]): string | undefined {
  const lines = stderr.split(/\r?\n/).map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim());
  // Longest first: `:0.0+10,10` must not be taken for `:0.0`.
  const candidates = [...urls].sort((a, b) => b.length - a.length);
  for (const line of lines) {
    for (const url of candidates) {
      if (line.startsWith(`${url}: `)) return url;
    }
  }
  // x11grab reports the display without the screen/offset part: "Cannot open display :99, error 1."
  const display = /Cannot open display ([^,\s]+)/.exec(stderr)?.[1];
  if (display) return candidates.find((url) => url === display || url.startsWith(`${display}.`) || url.startsWith(`${display}+`));
  return undefined;
}

/**
 * The input ffmpeg could open but not read (a file that is not what its name says): its index, from
 * "Error while decoding stream #3:0" or "Cannot determine format of input stream 3:0". Pure.
 */
export function findUndecodableInput(stderr: string): { index: number; reason: string } | undefined {
  const decoding = /Error while decoding stream #(\d+):\d+: ([^\n]+)/.exec(stderr);
  if (decoding) return { index: Number(decoding[1]), reason: decoding[2]!.trim() };
  const format = /Cannot determine format of input stream (\d+):\d+[^\n]*/.exec(stderr);
  if (format) return { index: Number(format[1]), reason: 'its format could not be determined' };
  return undefined;
}

/** The reason in ffmpeg's error line for that url ("Device or resource busy"). Pure. */
export function failureReason(stderr: string, url: string): string | undefined {
  for (const raw of stderr.split(/\r?\n/)) {
    const line = raw.replace(/^\[[^\]]*\]\s*/, '').trim();
    if (line.startsWith(`${url}: `)) return line.slice(url.length + 2);
  }
  return /Cannot open display[^\n]*/.exec(stderr)?.[0];
}

export interface DeviceProbe {
  fileExists(file: string): boolean;
  /** Whether an X display accepts connections. */
  displayReachable(display: string): Promise<boolean>;
  /** PulseAudio source names, or undefined when they cannot be listed (no pactl): then assume present. */
  pulseSources(): Promise<string[] | undefined>;
}

function run(command: string, args: string[], timeoutMs = 3000): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => resolve({ ok: !error, stdout: String(stdout) }));
  });
}

export const systemDeviceProbe: DeviceProbe = {
  fileExists: (file) => {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return true;
    } catch {
      return false;
    }
  },
  displayReachable: async (display) => {
    const result = await run('xdpyinfo', ['-display', display.replace(/\+.*$/, '')]);
    return result.ok;
  },
  pulseSources: async () => {
    const result = await run('pactl', ['list', 'short', 'sources']);
    if (!result.ok) return undefined;
    return parsePactlSources(result.stdout).map((s) => s.name);
  },
};

/** `pactl list short sources` → names and whether each is a monitor (system audio). Pure. */
export function parsePactlSources(text: string): { name: string; monitor: boolean; description: string }[] {
  return text
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length >= 2 && fields[1]!.trim())
    .map((fields) => ({ name: fields[1]!.trim(), monitor: fields[1]!.trim().endsWith('.monitor'), description: (fields[3] ?? '').trim() }));
}

/**
 * Why a source cannot be opened, in plain words naming it; undefined when it looks available (or we
 * cannot tell before trying — ffmpeg's own error then decides).
 */
export async function checkSource(source: Source, platform: CapturePlatform, probe: DeviceProbe = systemDeviceProbe): Promise<string | undefined> {
  const spec = source.spec;
  switch (spec.kind) {
    case 'image':
    case 'media':
      return probe.fileExists(spec.path) ? undefined : `${source.name}: ${spec.kind === 'image' ? 'image' : 'media'} file ${spec.path} was not found.`;
    case 'text':
      return spec.fontFile && !probe.fileExists(spec.fontFile) ? `${source.name}: font file ${spec.fontFile} was not found.` : undefined;
    case 'camera':
      if (platform === 'linux' && !probe.fileExists(spec.device)) return `${source.name}: camera ${spec.device} is not connected.`;
      return undefined;
    case 'screen':
      if (platform === 'linux' && !(await probe.displayReachable(spec.device))) return `${source.name}: display ${spec.device} cannot be opened.`;
      return undefined;
    case 'microphone':
    case 'system-audio': {
      if (platform !== 'linux' || spec.device.startsWith('alsa:')) return undefined;
      const names = await probe.pulseSources();
      const device = spec.device.replace(/^pulse:/, '');
      if (names && !names.includes(device)) return `${source.name}: audio device ${device} is not available.`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What ffmpeg can open on this machine. Each OS's tool output goes through a pure parser (unit-tested
 * with captured output); the impure `enumerateDevices` runs the tools and never throws: a kind it cannot
 * list becomes a plain-words `problems` entry.
 *
 *   Linux:   xdpyinfo ($DISPLAY screens) · xwininfo (windows) · /dev/video* probed with ffmpeg v4l2
 *            · pactl (PulseAudio sources; monitors are system audio) · /proc/asound/pcm (ALSA capture)
 *   macOS:   ffmpeg -f avfoundation -list_devices true
 *   Windows: ffmpeg -f dshow -list_devices true; screens through ddagrab/gdigrab
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { CaptureDevice, DeviceList } from '../contract/domains/scenes';
import type { CapturePlatform } from './capture-types';
import { parsePactlSources } from './device-check';

/** `xdpyinfo` → one device per screen of the display. Pure. */
export function parseXdpyinfoScreens(text: string): CaptureDevice[] {
  const display = /^name of display:\s*(\S+)/m.exec(text)?.[1];
  if (!display) return [];
  const base = display.replace(/\.\d+$/, '');
  const out: CaptureDevice[] = [];
  for (const match of text.matchAll(/^screen #(\d+):\s*\n\s*dimensions:\s*(\d+)x(\d+) pixels/gm)) {
    const [, screen, width, height] = match;
    out.push({ kind: 'screen', device: `${base}.${screen}`, label: `Screen ${screen} (${width}×${height}) on ${base}`, width: Number(width), height: Number(height) });
  }
  return out;
}

/** `xwininfo -root -children` → named top-level windows of a useful size. Pure. */
export function parseXwininfoWindows(text: string): CaptureDevice[] {
  const out: CaptureDevice[] = [];
  for (const match of text.matchAll(/^\s*(0x[0-9a-f]+) "((?:[^"\\]|\\.)*)":.*?\s(\d+)x(\d+)[+-]/gim)) {
    const [, id, name, width, height] = match;
    if (Number(width) < 64 || Number(height) < 64) continue;
    out.push({ kind: 'window', device: id!, label: name!, width: Number(width), height: Number(height) });
  }
  return out;
}

/**
 * `ffmpeg -f v4l2 -list_formats all -i /dev/videoN` stderr → the largest size it offers, or undefined
 * when the node is not a capture device (metadata nodes, encoders). Pure.
 */
export function parseV4l2Formats(text: string): { width: number; height: number } | undefined {
  if (/Not a video capture device/i.test(text)) return undefined;
  let best: { width: number; height: number } | undefined;
  for (const line of text.split('\n')) {
    if (!/(Raw|Compressed)\s*:/.test(line)) continue;
    for (const size of line.matchAll(/(\d+)x(\d+)/g)) {
      const width = Number(size[1]);
      const height = Number(size[2]);
      if (!best || width * height > best.width * best.height) best = { width, height };
    }
  }
  return best;
}

/** `/proc/asound/pcm` → ALSA capture devices as `alsa:hw:C,D`. Pure. */
export function parseAsoundPcm(text: string): CaptureDevice[] {
  const out: CaptureDevice[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+)-(\d+):\s*([^:]*):.*capture/.exec(line);
    if (!match) continue;
    out.push({ kind: 'microphone', device: `alsa:hw:${Number(match[1])},${Number(match[2])}`, label: `${match[3]!.trim()} (ALSA)` });
  }
  return out;
}

/** avfoundation's device list (stderr of `-list_devices true`). Screens are video devices named "Capture screen N". Pure. */
export function parseAvfoundationDevices(text: string): CaptureDevice[] {
  const out: CaptureDevice[] = [];
  let section: 'video' | 'audio' | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\[[^\]]*\]\s*/, '');
    if (/AVFoundation video devices/i.test(line)) section = 'video';
    else if (/AVFoundation audio devices/i.test(line)) section = 'audio';
    const match = /^\[(\d+)\]\s+(.+)$/.exec(line.trim());
    if (!match || !section) continue;
    const [, index, name] = match;
    if (section === 'video') out.push({ kind: /^Capture screen/i.test(name!) ? 'screen' : 'camera', device: index!, label: name!.trim() });
    else out.push({ kind: /blackhole|loopback|soundflower/i.test(name!) ? 'system-audio' : 'microphone', device: index!, label: name!.trim() });
  }
  return out;
}

/** DirectShow's device list, in both the ffmpeg ≥ 4.4 (`"name" (video)`) and older (section headings) formats. Pure. */
export function parseDshowDevices(text: string): CaptureDevice[] {
  const out: CaptureDevice[] = [];
  let section: 'video' | 'audio' | undefined;
  const add = (name: string, kind: 'video' | 'audio') => {
    if (kind === 'video') out.push({ kind: 'camera', device: name, label: name });
    else out.push({ kind: /stereo mix|what u hear|loopback|virtual-audio-capturer/i.test(name) ? 'system-audio' : 'microphone', device: name, label: name });
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\[[^\]]*\]\s*/, '').trim();
    if (/DirectShow video devices/i.test(line)) section = 'video';
    else if (/DirectShow audio devices/i.test(line)) section = 'audio';
    if (/^Alternative name/i.test(line)) continue;
    const modern = /^"(.+)" \((video|audio|none)\)$/.exec(line);
    if (modern) {
      if (modern[2] !== 'none') add(modern[1]!, modern[2] as 'video' | 'audio');
      continue;
    }
    const legacy = /^"(.+)"$/.exec(line);
    if (legacy && section) add(legacy[1]!, section);
  }
  return out;
}

function run(command: string, args: string[], timeoutMs = 5000): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

export interface EnumerationOptions {
  platform: CapturePlatform;
  ffmpegPath: string;
  /** The binary's filters (ddagrab on Windows). */
  filters?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export async function enumerateDevices(options: EnumerationOptions): Promise<DeviceList> {
  const devices: CaptureDevice[] = [];
  const problems: string[] = [];
  const env = options.env ?? process.env;
  if (options.platform === 'linux') {
    if (!env.DISPLAY) problems.push('No X display ($DISPLAY is not set): screens and windows cannot be captured (Wayland sessions need XWayland).');
    else {
      const screens = await run('xdpyinfo', ['-display', env.DISPLAY]);
      if (screens.ok) devices.push(...parseXdpyinfoScreens(screens.stdout));
      else problems.push(`The X display ${env.DISPLAY} did not answer (is xdpyinfo installed?).`);
      const windows = await run('xwininfo', ['-display', env.DISPLAY, '-root', '-children']);
      if (windows.ok) devices.push(...parseXwininfoWindows(windows.stdout));
    }
    let videoNodes: string[] = [];
    try {
      videoNodes = fs.readdirSync('/dev').filter((name) => /^video\d+$/.test(name)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    } catch {
      videoNodes = [];
    }
    for (const node of videoNodes) {
      const device = `/dev/${node}`;
      const probe = await run(options.ffmpegPath, ['-hide_banner', '-f', 'v4l2', '-list_formats', 'all', '-i', device]);
      const size = parseV4l2Formats(probe.stderr);
      if (size) devices.push({ kind: 'camera', device, label: `Camera ${device}`, ...size });
    }
    const pulse = await run('pactl', ['list', 'short', 'sources']);
    if (pulse.ok) {
      for (const source of parsePactlSources(pulse.stdout)) {
        devices.push({ kind: source.monitor ? 'system-audio' : 'microphone', device: source.name, label: source.monitor ? `System audio (${source.name})` : source.name });
      }
    } else problems.push('PulseAudio did not answer (pactl): microphones and system audio are listed from ALSA only.');
    try {
      devices.push(...parseAsoundPcm(fs.readFileSync('/proc/asound/pcm', 'utf8')));
    } catch {
      // No ALSA sound cards (a server, a container): nothing to list.
    }
  } else if (options.platform === 'darwin') {
    const listed = await run(options.ffmpegPath, ['-hide_banner', '-f', 'avfoundation', '-list_devices', 'true', '-i', '']);
    devices.push(...parseAvfoundationDevices(listed.stderr));
    if (!devices.some((d) => d.kind === 'screen')) problems.push('No screens listed: allow Screen Recording for the studio in System Settings › Privacy & Security.');
  } else {
    devices.push({ kind: 'screen', device: '0', label: options.filters?.includes('ddagrab') ? 'Display 1 (Desktop Duplication)' : 'Desktop (all displays)' });
    const listed = await run(options.ffmpegPath, ['-hide_banner', '-list_devices', 'true', '-f', 'dshow', '-i', 'dummy']);
    devices.push(...parseDshowDevices(listed.stderr));
  }
  return { platform: options.platform, devices, problems };
}

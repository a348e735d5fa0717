import { describe, expect, it } from 'vitest';
import type { Source, SourceSpec } from '../contract/domains/scenes';
import { checkSource, failureReason, findFailedInputUrl, parsePactlSources, type DeviceProbe } from './device-check';
import {
  parseAsoundPcm,
  parseAvfoundationDevices,
  parseDshowDevices,
  parseV4l2Formats,
  parseXdpyinfoScreens,
  parseXwininfoWindows,
} from './device-enumeration';

describe('which input ffmpeg failed to open', () => {
  it.each([
    ['a missing camera', '[video4linux2,v4l2 @ 0x55] Cannot open video device /dev/video9: No such file or directory\n/dev/video9: No such file or directory\n', '/dev/video9', 'No such file or directory'],
    ['a busy camera', '[video4linux2,v4l2 @ 0x55] ioctl(VIDIOC_STREAMON): Device or resource busy\n/dev/video0: Device or resource busy\n', '/dev/video0', 'Device or resource busy'],
    ['an unknown pulse source', '[pulse @ 0x5] pa_simple_new failed: No such entity\nnosuch.monitor: Input/output error\n', 'nosuch.monitor', 'Input/output error'],
    ['a closed display (level-prefixed log)', '[x11grab @ 0x5] [error] Cannot open display :99, error 1.\n[fatal] :99.0+0,0: Input/output error\n', ':99.0+0,0', 'Input/output error'],
  ])('%s', (_name, stderr, url, reason) => {
    const urls = ['/dev/video0', '/dev/video9', 'nosuch.monitor', ':99.0', ':99.0+0,0', 'sine=frequency=440'];
    expect(findFailedInputUrl(stderr, urls)).toBe(url);
    expect(failureReason(stderr, url)).toBe(reason);
  });

  it('blames no input for an encoder or filter error', () => {
    expect(findFailedInputUrl('[libx264 @ 0x5] Error setting profile main\nError initializing output stream 0:0\n', ['/dev/video0'])).toBeUndefined();
  });
});

describe('checks before starting', () => {
  const probe = (present: string[], pulse?: string[], display = true): DeviceProbe => ({
    fileExists: (f) => present.includes(f),
    displayReachable: () => Promise.resolve(display),
    pulseSources: () => Promise.resolve(pulse),
  });
  const source = (spec: SourceSpec): Source => ({ id: 's', name: 'Cam', spec, audio: { gainDb: 0, muted: false } });

  it.each<[string, SourceSpec, DeviceProbe, RegExp | undefined]>([
    ['camera unplugged', { kind: 'camera', device: '/dev/video3' }, probe([]), /Cam: camera \/dev\/video3 is not connected/],
    ['camera present', { kind: 'camera', device: '/dev/video3' }, probe(['/dev/video3']), undefined],
    ['image missing', { kind: 'image', path: '/x/logo.png' }, probe([]), /image file \/x\/logo\.png was not found/],
    ['font missing', { kind: 'text', text: 'a', fontSize: 10, color: '#ffffff', background: '#00000000', fontFile: '/f.ttf' }, probe([]), /font file \/f\.ttf/],
    ['display closed', { kind: 'screen', device: ':5.0', captureCursor: true }, probe([], [], false), /display :5\.0 cannot be opened/],
    ['pulse source gone', { kind: 'microphone', device: 'usb-mic' }, probe([], ['other']), /audio device usb-mic is not available/],
    ['pulse not listable: let ffmpeg decide', { kind: 'microphone', device: 'usb-mic' }, probe([], undefined), undefined],
    ['pulse source present', { kind: 'system-audio', device: 'pulse:out.monitor' }, probe([], ['out.monitor']), undefined],
  ])('%s', async (_name, spec, p, expected) => {
    const result = await checkSource(source(spec), 'linux', p);
    if (expected) expect(result).toMatch(expected);
    else expect(result).toBeUndefined();
  });
});

describe('device list parsers', () => {
  it('xdpyinfo screens', () => {
    const text = 'name of display:    :57\nversion number:    11.0\n\nscreen #0:\n  dimensions:    1920x1080 pixels (508x285 millimeters)\n  resolution:    96x96 dots per inch\n\nscreen #1:\n  dimensions:    1280x720 pixels (1x1 millimeters)\n';
    expect(parseXdpyinfoScreens(text)).toEqual([
      { kind: 'screen', device: ':57.0', label: 'Screen 0 (1920×1080) on :57', width: 1920, height: 1080 },
      { kind: 'screen', device: ':57.1', label: 'Screen 1 (1280×720) on :57', width: 1280, height: 720 },
    ]);
  });

  it('xwininfo windows (named, not tiny)', () => {
    const text = `
xwininfo: Window id: 0x50d (the root window) (has no name)

  Root window id: 0x50d (the root window) (has no name)
  Parent window id: 0x0 (none)
     3 children:
     0x1e00007 "Terminal — bash": ("xterm" "XTerm")  800x600+10+10  +10+10
     0x1c00001 (has no name): ()  1x1+-1+-1  +-1+-1
     0x2000003 "tooltip": ()  20x10+0+0  +0+0
`;
    expect(parseXwininfoWindows(text)).toEqual([{ kind: 'window', device: '0x1e00007', label: 'Terminal — bash', width: 800, height: 600 }]);
  });

  it('v4l2 formats: the largest size; metadata nodes are not cameras', () => {
    const camera =
      '[video4linux2,v4l2 @ 0x5] Compressed:       mjpeg :          Motion-JPEG : 1280x720 640x480 1920x1080\n[video4linux2,v4l2 @ 0x5] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 320x240\n/dev/video0: Immediate exit requested\n';
    expect(parseV4l2Formats(camera)).toEqual({ width: 1920, height: 1080 });
    expect(parseV4l2Formats('[video4linux2,v4l2 @ 0x5] Not a video capture device.\n/dev/video1: No such device\n')).toBeUndefined();
  });

  it('pactl sources: monitors are system audio', () => {
    expect(parsePactlSources('0\tstudio_null.monitor\tmodule-null-sink.c\ts16le 2ch 44100Hz\tIDLE\n1\talsa_input.usb-Mic\tmodule-alsa-card.c\ts16le 1ch 48000Hz\tSUSPENDED\n')).toEqual([
      { name: 'studio_null.monitor', monitor: true, description: 's16le 2ch 44100Hz' },
      { name: 'alsa_input.usb-Mic', monitor: false, description: 's16le 1ch 48000Hz' },
    ]);
  });

  it('/proc/asound/pcm capture devices', () => {
    const text = '00-00: ALC887-VD Analog : ALC887-VD Analog : playback 1 : capture 1\n00-01: ALC887-VD Digital : ALC887-VD Digital : playback 1\n01-00: USB Audio : USB Audio : capture 1\n';
    expect(parseAsoundPcm(text)).toEqual([
      { kind: 'microphone', device: 'alsa:hw:0,0', label: 'ALC887-VD Analog (ALSA)' },
      { kind: 'microphone', device: 'alsa:hw:1,0', label: 'USB Audio (ALSA)' },
    ]);
  });

  it('avfoundation list (macOS)', () => {
    const text = `[AVFoundation indev @ 0x7f8] AVFoundation video devices:
[AVFoundation indev @ 0x7f8] [0] FaceTime HD Camera
[AVFoundation indev @ 0x7f8] [1] Capture screen 0
[AVFoundation indev @ 0x7f8] AVFoundation audio devices:
[AVFoundation indev @ 0x7f8] [0] MacBook Pro Microphone
[AVFoundation indev @ 0x7f8] [1] BlackHole 2ch
: Input/output error`;
    expect(parseAvfoundationDevices(text)).toEqual([
      { kind: 'camera', device: '0', label: 'FaceTime HD Camera' },
      { kind: 'screen', device: '1', label: 'Capture screen 0' },
      { kind: 'microphone', device: '0', label: 'MacBook Pro Microphone' },
      { kind: 'system-audio', device: '1', label: 'BlackHole 2ch' },
    ]);
  });

  it('dshow list, current and legacy formats (Windows)', () => {
    const modern = `[dshow @ 000001] "Integrated Camera" (video)
[dshow @ 000001]   Alternative name "@device_pnp_\\\\?\\usb#vid_04f2"
[dshow @ 000001] "Microphone Array (Realtek(R) Audio)" (audio)
[dshow @ 000001]   Alternative name "@device_cm_{33D9A762}"
[dshow @ 000001] "Stereo Mix (Realtek(R) Audio)" (audio)`;
    const legacy = `[dshow @ 0] DirectShow video devices (some may be both video and audio devices)
[dshow @ 0]  "USB Camera"
[dshow @ 0]     Alternative name "@device_pnp_x"
[dshow @ 0] DirectShow audio devices
[dshow @ 0]  "Line In (USB)"`;
    expect(parseDshowDevices(modern)).toEqual([
      { kind: 'camera', device: 'Integrated Camera', label: 'Integrated Camera' },
      { kind: 'microphone', device: 'Microphone Array (Realtek(R) Audio)', label: 'Microphone Array (Realtek(R) Audio)' },
      { kind: 'system-audio', device: 'Stereo Mix (Realtek(R) Audio)', label: 'Stereo Mix (Realtek(R) Audio)' },
    ]);
    expect(parseDshowDevices(legacy)).toEqual([
      { kind: 'camera', device: 'USB Camera', label: 'USB Camera' },
      { kind: 'microphone', device: 'Line In (USB)', label: 'Line In (USB)' },
    ]);
  });
});

describe('an input that opens but cannot be decoded', () => {
  it('is found by its input index', async () => {
    const { findUndecodableInput } = await import('./device-check');
    const stderr =
      '[png @ 0x56] [error] Invalid PNG signature 0x6E6F74206120706E.\n[error] Error while decoding stream #1:0: Invalid data found when processing input\n[error] Cannot determine format of input stream 1:0 after EOF\n[fatal] Error marking filters as finished\n';
    expect(findUndecodableInput(stderr)).toEqual({ index: 1, reason: 'Invalid data found when processing input' });
    expect(findUndecodableInput('[error] Cannot determine format of input stream 4:0 after EOF\n')).toEqual({ index: 4, reason: 'its format could not be determined' });
    expect(findUndecodableInput('[fatal] Conversion failed!\n')).toBeUndefined();
  });
});

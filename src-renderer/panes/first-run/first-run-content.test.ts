import { describe, expect, it } from 'vitest';
import type { ConnectionTest, Settings } from '@contract/studio-api';
import { describeLocalChannel, goLiveSteps, permissionGuide, shouldShowFirstRun } from './first-run-content';

const settings: Settings = { theme: 'system', ffmpegPath: '', remoteAccess: false };

describe('shouldShowFirstRun', () => {
  it.each([
    ['desktop, first launch', { mode: 'electron', rights: 'full', settings, requested: false }, true],
    ['desktop, already done', { mode: 'electron', rights: 'full', settings: { ...settings, firstRunCompleted: true }, requested: false }, false],
    ['browser tab, not asked', { mode: 'browser', rights: 'full', settings, requested: false }, false],
    ['browser tab, asked with #first-run=1', { mode: 'browser', rights: 'full', settings, requested: true }, true],
    ['asked, but already done', { mode: 'browser', rights: 'full', settings: { ...settings, firstRunCompleted: true }, requested: true }, false],
    ['remote producer', { mode: 'electron', rights: 'cues', settings, requested: true }, false],
    ['settings not loaded yet', { mode: 'electron', rights: 'full', settings: undefined, requested: false }, false],
  ] as const)('%s', (_name, inputs, expected) => {
    expect(shouldShowFirstRun(inputs)).toBe(expected);
  });
});

describe('permissionGuide', () => {
  it.each(['darwin', 'win32', 'linux'])('%s covers screen, camera and microphone, each with when, answer and later', (platform) => {
    const guide = permissionGuide(platform, 'electron');
    expect(guide.items.map((i) => i.id)).toEqual(['screen', 'camera', 'microphone']);
    for (const item of guide.items) for (const text of [item.when, item.answer, item.later]) expect(text.length, `${platform} ${item.id}`).toBeGreaterThan(10);
    expect(guide.remoteNote).toBeUndefined();
  });

  it('macOS names the System Settings panes and the usage texts the app declares', () => {
    const guide = permissionGuide('darwin', 'electron');
    const text = JSON.stringify(guide);
    expect(text).toContain('Screen & System Audio Recording');
    expect(text).toContain('Privacy & Security › Camera');
    expect(text).toContain('Privacy & Security › Microphone');
    // The same words electron-builder.yml puts in Info.plist (NSCameraUsageDescription, NSMicrophoneUsageDescription).
    expect(text).toContain('IVS Studio uses your camera when you add a camera source to a scene.');
    expect(text).toContain('IVS Studio uses your microphone when you add an audio input to a scene.');
    expect(guide.items[0]!.answer).toMatch(/restart|reopen/);
  });

  it('Windows points at the desktop-app privacy switches; Linux at X11 sessions and the video group', () => {
    expect(JSON.stringify(permissionGuide('win32', 'electron'))).toContain('Let desktop apps access your camera');
    const linux = JSON.stringify(permissionGuide('linux', 'electron'));
    expect(linux).toContain('Wayland');
    expect(linux).toContain('video');
  });

  it('in browser mode says the prompts appear on the machine that runs the studio', () => {
    expect(permissionGuide('darwin', 'browser').remoteNote).toMatch(/running on a macOS machine/);
  });

  it('an unknown platform still gets a complete guide', () => {
    expect(permissionGuide('freebsd', 'electron').items).toHaveLength(3);
  });
});

describe('describeLocalChannel', () => {
  const test = (over: Partial<ConnectionTest>): ConnectionTest => ({ ok: true, testedAt: '2026-11-29T00:00:00Z', steps: [], ...over });

  it('pending, ready (with the channel count), not ready (the failed step), refused (the error)', () => {
    expect(describeLocalChannel({ state: 'checking' })).toEqual({ tone: 'pending', text: 'Checking the local channel…' });
    expect(describeLocalChannel({ state: 'done', test: test({ channelCount: 1 }) })).toMatchObject({ tone: 'ok', text: 'The local channel is ready — 1 channel.' });
    expect(describeLocalChannel({ state: 'done', test: test({ channelCount: 3 }) }).text).toBe('The local channel is ready — 3 channels.');
    const down = test({
      ok: false,
      steps: [
        { step: 'credentials', ok: true, message: 'local credentials' },
        { step: 'endpoint', ok: false, message: 'The local channel is not running.' },
      ],
    });
    expect(describeLocalChannel({ state: 'done', test: down })).toMatchObject({ tone: 'error', text: 'The local channel is not ready: The local channel is not running.' });
    expect(describeLocalChannel({ state: 'failed', error: { code: 'ENDPOINT_UNREACHABLE', message: 'Nothing answers.', action: 'Restart the studio.', fatal: false } })).toEqual({
      tone: 'error',
      text: 'The local channel is not ready: Nothing answers.',
      detail: 'Restart the studio.',
    });
  });
});

it('the go-live guide is short and ends with the cost warning', () => {
  expect(goLiveSteps.length).toBeLessThanOrEqual(6);
  expect(goLiveSteps.at(-1)!.text).toMatch(/bills/);
});

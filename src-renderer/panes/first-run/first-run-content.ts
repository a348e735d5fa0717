/**
 * What the first-run guide says, as data: when it shows, what each OS will ask before the studio may
 * record the screen, the camera and the microphone, how ready the local channel is, and the short
 * way to a real IVS channel. Pure, so every platform's text is tested without that platform.
 */
import type { ClientRights, ConnectionTest, HostMode, Settings, StudioErrorPayload } from '@contract/studio-api';

/** `#first-run=1` in the page address: show the guide as the desktop app does on its first launch. */
export const FIRST_RUN_FRAGMENT_KEY = 'first-run';

export interface FirstRunInputs {
  mode: HostMode | undefined;
  rights: ClientRights | undefined;
  settings: Settings | undefined;
  /** The page asked for it (`#first-run=1`): browser mode, a preview, tests. */
  requested: boolean;
}

/**
 * The packaged desktop app shows the guide once, until it is finished or skipped. Browser mode shows
 * it only when asked (a server's page is often a second window or a test), a remote producer never.
 */
export function shouldShowFirstRun({ mode, rights, settings, requested }: FirstRunInputs): boolean {
  if (!settings || rights !== 'full') return false;
  if (settings.firstRunCompleted === true) return false;
  return mode === 'electron' || requested;
}

export type PermissionId = 'screen' | 'camera' | 'microphone';

export interface PermissionItem {
  id: PermissionId;
  title: string;
  /** When the OS asks (or why it does not). */
  when: string;
  /** What to do when it asks. */
  answer: string;
  /** Where to change it later, or what to check when capture stays black or silent. */
  later: string;
}

export interface PermissionGuide {
  heading: string;
  intro: string;
  items: PermissionItem[];
  /** Browser mode: the prompts appear on the machine that runs the studio, not in this browser. */
  remoteNote?: string;
}

const osNames: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

export function permissionGuide(platform: string, mode: HostMode | undefined): PermissionGuide {
  const osName = osNames[platform] ?? platform;
  const remoteNote =
    mode === 'browser'
      ? `This page is a view of IVS Studio running on a ${osName} machine: the questions below appear on that machine's screen, not in this browser.`
      : undefined;
  const guide = guides[platform] ?? genericGuide(osName);
  return remoteNote ? { ...guide, remoteNote } : guide;
}

const guides: Record<string, PermissionGuide> = {
  darwin: {
    heading: 'Before macOS asks',
    intro:
      'macOS asks once before any app may record the screen, use the camera or hear the microphone. IVS Studio asks only when you add a source that needs it — nothing is captured before that.',
    items: [
      {
        id: 'screen',
        title: 'Screen recording',
        when: 'The first time a Screen or Window source starts.',
        answer:
          'macOS shows “IVS Studio would like to record this computer’s screen and audio”. Choose Open System Settings, switch IVS Studio on, then let macOS quit and reopen the studio — screen access only applies after a restart.',
        later: 'System Settings › Privacy & Security › Screen & System Audio Recording.',
      },
      {
        id: 'camera',
        title: 'Camera',
        when: 'The first time a Camera source starts.',
        answer: 'macOS asks whether IVS Studio may access the camera, with the reason “IVS Studio uses your camera when you add a camera source to a scene.” Choose Allow.',
        later: 'System Settings › Privacy & Security › Camera.',
      },
      {
        id: 'microphone',
        title: 'Microphone',
        when: 'The first time an audio input source starts.',
        answer: 'macOS asks whether IVS Studio may access the microphone, with the reason “IVS Studio uses your microphone when you add an audio input to a scene.” Choose Allow.',
        later: 'System Settings › Privacy & Security › Microphone.',
      },
    ],
  },
  win32: {
    heading: 'What Windows will (and will not) ask',
    intro: 'Windows does not prompt desktop apps: screen capture just works, and the camera and microphone follow the privacy switches in Settings.',
    items: [
      {
        id: 'screen',
        title: 'Screen capture',
        when: 'No question: a Screen or Window source starts capturing at once.',
        answer: 'Nothing to answer.',
        later: 'A window that stays black protects its content from capture (protected video, some password managers).',
      },
      {
        id: 'camera',
        title: 'Camera',
        when: 'No prompt for desktop apps; the camera works if Windows lets desktop apps use it.',
        answer: 'Check Settings › Privacy & security › Camera: “Camera access” and “Let desktop apps access your camera” must be on.',
        later: 'Turn those switches on, then restart the camera source. Another app holding the camera also blocks it.',
      },
      {
        id: 'microphone',
        title: 'Microphone',
        when: 'No prompt for desktop apps; the microphone works if Windows lets desktop apps use it.',
        answer: 'Check Settings › Privacy & security › Microphone: “Microphone access” and “Let desktop apps access your microphone” must be on.',
        later: 'Turn those switches on, then restart the audio source.',
      },
    ],
  },
  linux: {
    heading: 'What Linux needs',
    intro: 'Linux asks no questions on an X11 desktop; what matters is the kind of session you log in to and the groups your user is in.',
    items: [
      {
        id: 'screen',
        title: 'Screen capture',
        when: 'No prompt on X11 (Xorg): the screen or a region is captured as soon as the source starts.',
        answer: 'Nothing to answer on X11. On a Wayland session the studio sees only X11 (XWayland) windows: to capture the whole desktop, choose an “Xorg” or “X11” session at login.',
        later: 'A black capture on Wayland means the session, not a setting.',
      },
      {
        id: 'camera',
        title: 'Camera',
        when: 'No prompt: cameras are /dev/video devices.',
        answer: 'Make sure your user may open them: membership of the “video” group on most distributions.',
        later: 'sudo usermod -aG video $USER, then log out and in again.',
      },
      {
        id: 'microphone',
        title: 'Microphone',
        when: 'No prompt: microphones come through PulseAudio or PipeWire.',
        answer: 'Pick the input in the audio source; your desktop’s sound settings (or pavucontrol) show its level.',
        later: 'A silent input is usually muted or not the default source in the sound settings.',
      },
    ],
  },
};

function genericGuide(osName: string): PermissionGuide {
  return {
    heading: `Permissions on ${osName}`,
    intro: 'The studio captures with ffmpeg; your system may ask before it records the screen, the camera or the microphone.',
    items: (['screen', 'camera', 'microphone'] as const).map((id) => ({
      id,
      title: id === 'screen' ? 'Screen capture' : id === 'camera' ? 'Camera' : 'Microphone',
      when: 'When the first source that needs it starts.',
      answer: 'Allow it when asked.',
      later: 'Your system’s privacy settings.',
    })),
  };
}

export type LocalChannelCheck =
  | { state: 'checking' }
  | { state: 'done'; test: ConnectionTest }
  | { state: 'failed'; error: StudioErrorPayload };

export interface LocalChannelLine {
  tone: 'pending' | 'ok' | 'error';
  text: string;
  detail?: string;
}

/** One line on the local channel from the engine's own connection test of it. */
export function describeLocalChannel(check: LocalChannelCheck): LocalChannelLine {
  if (check.state === 'checking') return { tone: 'pending', text: 'Checking the local channel…' };
  if (check.state === 'failed') return { tone: 'error', text: `The local channel is not ready: ${check.error.message}`, ...(check.error.action ? { detail: check.error.action } : {}) };
  const { test } = check;
  if (test.ok) {
    const channels = test.channelCount === undefined ? '' : ` — ${test.channelCount} channel${test.channelCount === 1 ? '' : 's'}`;
    return {
      tone: 'ok',
      text: `The local channel is ready${channels}.`,
      detail: 'Go live to it from the Go Live pane and watch the result in Preview: nothing leaves this computer and nothing is billed.',
    };
  }
  const failed = test.steps.find((step) => !step.ok);
  return {
    tone: 'error',
    text: `The local channel is not ready: ${failed?.message ?? test.error?.message ?? 'its connection test failed'}`,
    detail: test.error?.action ?? 'It starts with the studio; if this stays, restart IVS Studio.',
  };
}

/** The short way from the local channel to a real Amazon IVS channel. */
export const goLiveSteps: readonly { title: string; text: string }[] = [
  {
    title: 'Add your AWS account',
    text: 'In Channel, add an account: a profile from your AWS configuration (SSO works) or an access key. Secrets go to the OS keychain, never to a file. The IAM identity needs the IVS actions the studio uses: channels, stream keys, PutMetadata and StopStream.',
  },
  {
    title: 'Test the connection',
    text: 'The test walks credentials, region, endpoint and permissions, and says which one failed and why.',
  },
  {
    title: 'Pick or create a channel',
    text: 'Choose the channel type (STANDARD, ADVANCED or BASIC) and latency; the encoder follows its limits. Selecting it stores its stream key in the keychain; you only ever see it masked unless you reveal it.',
  },
  {
    title: 'Go live',
    text: 'Go Live runs a preflight — encoder against channel limits, ingest reachable — then streams over RTMPS. Rehearse the same steps on the local channel first.',
  },
  {
    title: 'Mind the meter',
    text: 'Amazon IVS bills while a channel receives video and while viewers watch. Stop the stream when the show ends.',
  },
];

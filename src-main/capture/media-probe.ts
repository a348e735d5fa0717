/** Which streams a media file has, asked of ffprobe before the program maps them. */
import { execFile } from 'node:child_process';

/** `ffprobe -show_entries stream=codec_type -of csv=p=0` output → stream kinds present. Pure. */
export function parseStreamKinds(text: string): { hasVideo: boolean; hasAudio: boolean } {
  const kinds = text.split(/\r?\n/).map((l) => l.trim().replace(/,+$/, ''));
  return { hasVideo: kinds.includes('video'), hasAudio: kinds.includes('audio') };
}

export function probeMediaStreams(ffprobePath: string, file: string): Promise<{ hasVideo: boolean; hasAudio: boolean } | undefined> {
  return new Promise((resolve) => {
    execFile(ffprobePath, ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file], { timeout: 10_000 }, (error, stdout) =>
      resolve(error ? undefined : parseStreamKinds(String(stdout))),
    );
  });
}

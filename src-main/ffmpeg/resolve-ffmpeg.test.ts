import { describe, expect, it } from 'vitest';
import { resolveFfmpeg, type ResolveInputs } from './resolve-ffmpeg';

const base = (over: Partial<ResolveInputs>, files: string[]): ResolveInputs => ({
  env: { PATH: '/usr/local/bin:/usr/bin' },
  platform: 'linux',
  bundledPath: null,
  isExecutable: (f) => files.includes(f),
  ...over,
});

describe('resolveFfmpeg', () => {
  it.each([
    ['setting wins over everything', { settingPath: '/opt/ff' }, ['/opt/ff', '/env/ff', '/usr/bin/ffmpeg'], { path: '/opt/ff', source: 'setting' }],
    ['FFMPEG_PATH next', { env: { FFMPEG_PATH: '/env/ff', PATH: '/usr/bin' } }, ['/env/ff', '/usr/bin/ffmpeg'], { path: '/env/ff', source: 'env' }],
    ['bundled before PATH', { bundledPath: '/app/node_modules/ffmpeg-static/ffmpeg' }, ['/app/node_modules/ffmpeg-static/ffmpeg', '/usr/bin/ffmpeg'], { path: '/app/node_modules/ffmpeg-static/ffmpeg', source: 'bundled' }],
    [
      'bundled inside asar resolves to the unpacked copy',
      { bundledPath: '/opt/IVS Studio/resources/app.asar/node_modules/ffmpeg-static/ffmpeg' },
      ['/opt/IVS Studio/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg', '/usr/bin/ffmpeg'],
      { path: '/opt/IVS Studio/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg', source: 'bundled' },
    ],
    ['PATH last', {}, ['/usr/bin/ffmpeg'], { path: '/usr/bin/ffmpeg', source: 'path' }],
    ['windows exe on Path', { platform: 'win32' as const, env: { Path: 'C:\\ff\\bin' } }, ['C:\\ff\\bin/ffmpeg.exe'], { path: 'C:\\ff\\bin/ffmpeg.exe', source: 'path' }],
  ])('%s', (_name, over, files, expected) => {
    expect(resolveFfmpeg(base(over, files))).toEqual(expected);
  });

  it('names the bad setting instead of silently falling back', () => {
    expect(() => resolveFfmpeg(base({ settingPath: '/nope' }, ['/usr/bin/ffmpeg']))).toThrow(/Settings \(\/nope\)/);
  });

  it('reports a missing binary with the catalog code', () => {
    expect(() => resolveFfmpeg(base({}, []))).toThrow(expect.objectContaining({ code: 'FFMPEG_NOT_FOUND' }));
  });
});

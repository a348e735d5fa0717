import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nalToRbsp, splitAvccNalUnits } from '../media/avc';
import { encodeFlvHeader, encodeFlvTag, FlvDemuxer, type FlvTag } from '../media/flv';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import {
  addEmulationPrevention,
  buildTimestampSeiNal,
  buildUserDataSeiNal,
  readStudioStamps,
  readStudioStampsFromNals,
  readUserDataUnregistered,
  stampVideoTag,
  STUDIO_SEI_UUID,
  uuidBytes,
} from './sei-stamp';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

/** True when a NAL payload contains a start-code emulation (00 00 00|01|02) — what EPBs prevent. */
function hasStartCodeEmulation(nal: Buffer): boolean {
  for (let i = 0; i + 2 < nal.length; i++) if (nal[i] === 0 && nal[i + 1] === 0 && nal[i + 2]! <= 2) return true;
  return false;
}

describe('addEmulationPrevention', () => {
  it.each([
    ['000000', '00000300'],
    ['000001', '00000301'],
    ['000002', '00000302'],
    ['000003', '00000303'],
    ['000004', '000004'],
    ['0000000000', '00000300000300'],
    ['00000100', '0000030100'],
    ['00ff0000', '00ff0000'],
    ['0000ff0000ff', '0000ff0000ff'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(addEmulationPrevention(hex(input)).toString('hex')).toBe(expected);
  });

  it('round-trips through the decoder-side removal for random data', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 200; n++) {
      // Skewed towards zeros, where the escaping happens.
      const data = Buffer.from(Array.from({ length: 1 + (n % 64) }, () => (rand() < 160 ? 0 : rand() & 3)));
      // The RBSP always ends in the 0x80 stop bit, as in a real SEI.
      const rbsp = Buffer.concat([data, Buffer.from([0x80])]);
      const escaped = addEmulationPrevention(rbsp);
      expect(hasStartCodeEmulation(escaped)).toBe(false);
      expect(nalToRbsp(escaped).equals(rbsp)).toBe(true);
    }
  });
});

describe('buildTimestampSeiNal / readStudioStamps', () => {
  it('lays out header, type 5, size, UUID, ASCII milliseconds and the stop bit', () => {
    const nal = buildTimestampSeiNal(1764412800123);
    expect(nal.toString('hex')).toBe(
      `06051d${STUDIO_SEI_UUID.replace(/-/g, '')}${Buffer.from('1764412800123').toString('hex')}80`,
    );
    expect(readStudioStamps(nal)).toEqual([1764412800123]);
  });

  it.each([
    ['zeros inside the UUID', '00000001-0000-0200-0000-000000000003'],
    ['a UUID ending in zeros', 'ffffffff-ffff-ffff-ffff-ff0000000000'],
  ])('escapes %s so no start code can appear, and reads it back', (_name, uuid) => {
    const nal = buildTimestampSeiNal(42_000_000, uuidBytes(uuid));
    expect(hasStartCodeEmulation(nal)).toBe(false);
    expect(readUserDataUnregistered(nal)).toEqual([{ uuid, data: Buffer.from('42000000') }]);
    expect(readStudioStamps(nal)).toEqual([]); // not our UUID
  });

  it('handles payload sizes of 255 and more (0xFF size bytes)', () => {
    for (const size of [238, 239, 240, 600]) {
      const nal = buildUserDataSeiNal(uuidBytes(STUDIO_SEI_UUID), Buffer.alloc(size, 0x31));
      const [message] = readUserDataUnregistered(nal);
      expect(message?.data.length).toBe(size);
    }
  });

  it('reads several messages in one SEI and ignores other payload types', () => {
    const ours = buildTimestampSeiNal(123456789);
    // SEI with a recovery_point (type 6, size 1) followed by our message, then the trailing bits.
    const combined = Buffer.concat([Buffer.from([0x06, 0x06, 0x01, 0x84]), ours.subarray(1)]);
    expect(readStudioStamps(combined)).toEqual([123456789]);
    expect(readStudioStamps(hex('0605'))).toEqual([]); // truncated: nothing, no throw
    expect(readStudioStamps(hex('0605ff'))).toEqual([]);
    expect(readStudioStamps(hex('65888000'))).toEqual([]); // a slice, not a SEI
  });

  it('refuses times that are not whole non-negative milliseconds', () => {
    expect(() => buildTimestampSeiNal(-1)).toThrow();
    expect(() => buildTimestampSeiNal(1.5)).toThrow();
  });
});

describe('stampVideoTag', () => {
  const avcTag = (nals: Buffer[], lengthSize = 4, keyframe = true) =>
    Buffer.concat([
      Buffer.from([keyframe ? 0x17 : 0x27, 0x01, 0x00, 0x00, 0x21]),
      ...nals.flatMap((nal) => {
        const prefix = Buffer.alloc(lengthSize);
        prefix.writeUIntBE(nal.length, 0, lengthSize);
        return [prefix, nal];
      }),
    ]);

  it.each([
    ['slice only', [hex('6588840000')], 0],
    ['AUD + x264 SEI + IDR', [hex('09f0'), hex('0605020102 80'), hex('6588840000')], 2],
    ['SPS + PPS + IDR + second slice', [hex('6742c01e'), hex('68ce3c80'), hex('6588840000'), hex('6588840001')], 2],
  ])('puts the stamp just before the first slice (%s)', (_name, nals, position) => {
    for (const lengthSize of [4, 2]) {
      const out = stampVideoTag(avcTag(nals, lengthSize), 1700000000000, lengthSize);
      expect(out.subarray(0, 5).equals(avcTag(nals, lengthSize).subarray(0, 5))).toBe(true);
      const units = splitAvccNalUnits(out.subarray(5), lengthSize);
      expect(units.length).toBe(nals.length + 1);
      expect(readStudioStamps(units[position]!)).toEqual([1700000000000]);
      expect(units.filter((_, i) => i !== position).map((u) => u.toString('hex'))).toEqual(nals.map((n) => n.toString('hex')));
    }
  });

  it.each([
    ['a sequence header', hex('1700000000 0142c01effe1')],
    ['end of sequence', hex('1702000000')],
    ['a non-AVC codec', hex('22 0102030405')],
    ['a tag with no slice', Buffer.concat([hex('2701000000'), hex('0000000209f0')])],
    ['a 4-byte stub', hex('17010000')],
  ])('leaves %s untouched', (_name, data) => {
    expect(stampVideoTag(data, 1).equals(data)).toBe(true);
  });

  it('produces a stream ffmpeg decodes and whose stamps ffmpeg reads back (x264 SEI kept)', () => {
    const ffmpeg = findFfmpeg().path;
    const flv = execFileSync(ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-f', 'flv', 'pipe:1',
    ]);
    const tags = new FlvDemuxer().push(flv);
    const base = 1764412800000;
    let frame = 0;
    const isFrame = (tag: FlvTag) => tag.type === 'video' && tag.data[1] === 1;
    const stamped: FlvTag[] = tags.map((tag) => (isFrame(tag) ? { ...tag, data: stampVideoTag(tag.data, base + frame++ * 100) } : tag));
    expect(frame).toBe(10);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sei-'));
    try {
      const file = path.join(dir, 'stamped.flv');
      fs.writeFileSync(file, Buffer.concat([encodeFlvHeader(false, true), ...stamped.map(encodeFlvTag)]));
      // ffmpeg's own SEI parser and decoder are the judge: any error fails, showinfo lists the user data.
      const run = spawnSync(ffmpeg, ['-hide_banner', '-xerror', '-i', file, '-vf', 'showinfo', '-f', 'null', '-'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/error|invalid|corrupt/i);
      const uuids = [...run.stderr.matchAll(/UUID=([0-9a-f-]+)/g)].map((m) => m[1]);
      const stamps = [...run.stderr.matchAll(/UUID=7308d79e[^\n]*\n[^\n]*User Data=([0-9a-f]+)/g)].map((m) => Number(Buffer.from(m[1]!, 'hex').toString('ascii')));
      expect(stamps).toEqual(Array.from({ length: 10 }, (_, i) => base + i * 100));
      expect(uuids.filter((u) => u !== STUDIO_SEI_UUID).length).toBe(1); // x264's own version SEI survived
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readStudioStampsFromNals', () => {
  it('finds the stamps among other NAL units', () => {
    const nals = [hex('09f0'), buildTimestampSeiNal(5_000_000), hex('658884')];
    expect(readStudioStampsFromNals(nals)).toEqual([5_000_000]);
  });
});

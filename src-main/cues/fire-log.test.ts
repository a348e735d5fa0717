import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CueFire } from '../contract/domains/cues';
import { CSV_COLUMNS, FireLog, csvField, fireLogToCsv } from './fire-log';

function fire(overrides: Partial<CueFire> = {}): CueFire {
  return {
    fid: 'abcd1234',
    seq: 1,
    cueId: 'poll',
    cueName: 'Poll',
    boardId: 'show',
    kind: 'poll',
    channelArn: 'arn:aws:ivs:us-west-2:000000000000:channel/abc',
    via: 'button',
    firedAt: '2026-11-29T10:00:00.000Z',
    payload: '{"type":"poll","fid":"abcd1234","question":"A, or \\"B\\"?","options":["a","b"]}',
    bytes: 70,
    status: 'seen',
    acceptedAt: '2026-11-29T10:00:00.040Z',
    acceptMs: 40,
    seenAt: '2026-11-29T10:00:01.300Z',
    deliveryMs: 1300,
    seenBy: 'viewer page',
    attempts: 1,
    throttled: 0,
    ...overrides,
  };
}

describe('CSV export', () => {
  it.each<[string, string | number | undefined, 'text' | 'number', string]>([
    ['plain', 'abc', 'text', 'abc'],
    ['comma is quoted', 'a,b', 'text', '"a,b"'],
    ['quotes doubled', 'say "hi"', 'text', '"say ""hi"""'],
    ['line breaks quoted', 'a\nb', 'text', '"a\nb"'],
    ['formula neutralised', '=HYPERLINK("x")', 'text', '"\'=HYPERLINK(""x"")"'],
    ['leading @ neutralised', '@cmd', 'text', "'@cmd"],
    ['negative numbers stay numbers', -12, 'number', '-12'],
    ['missing is empty', undefined, 'text', ''],
  ])('%s', (_name, value, kind, expected) => {
    expect(csvField(value, kind)).toBe(expected);
  });

  it('one header row, one row per fire in order, CRLF line ends, payload round-trips', () => {
    const fires = [fire(), fire({ seq: 2, fid: 'efgh5678', status: 'failed', payload: 'plain, text', error: { code: 'NOT_LIVE', message: 'x is not live.', fatal: false } })];
    const csv = fireLogToCsv(fires);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4); // header, 2 rows, trailing empty
    expect(lines[1]!.startsWith('1,abcd1234,2026-11-29T10:00:00.000Z,Poll,show,poll,button,')).toBe(true);
    expect(lines[1]).toContain(',seen,2026-11-29T10:00:00.040Z,40,2026-11-29T10:00:01.300Z,1300,viewer page,1,0,70,,');
    expect(lines[1]!.endsWith(`"${fires[0]!.payload.replace(/"/g, '""')}"`)).toBe(true);
    expect(lines[2]).toContain(',failed,');
    expect(lines[2]).toContain('NOT_LIVE: x is not live.');
    expect(lines[2]!.endsWith('"plain, text"')).toBe(true);
  });
});

describe('FireLog persistence', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes on dispose and reads back after a restart, numbering on from the last fire', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cue-log-'));
    dirs.push(dir);
    const first = new FireLog(dir, 60_000);
    first.add(fire({ seq: first.nextSeq() }));
    first.update('abcd1234', (f) => (f.deliveryMs = 999));
    first.dispose();
    const second = new FireLog(dir);
    expect(second.all()).toMatchObject([{ fid: 'abcd1234', deliveryMs: 999 }]);
    expect(second.nextSeq()).toBe(2);
    expect(second.export('json').content).toContain('"deliveryMs": 999');
    second.dispose();
  });

  it('keeps a corrupt log aside and starts empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cue-log-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'cue-fire-log.json'), '{ not json');
    const log = new FireLog(dir);
    expect(log.all()).toEqual([]);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('cue-fire-log.corrupt-'))).toBe(true);
    log.dispose();
  });
});

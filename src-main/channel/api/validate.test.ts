import { describe, expect, it } from 'vitest';
import { inputShapes } from './shapes';
import { findProblems, formatProblems } from './validate';

const arn = 'arn:aws:ivs:us-west-2:000000000000:channel/abcdABCDefgh';

describe('findProblems against the IVS model shapes', () => {
  it.each([
    ['CreateChannel', {}, []],
    ['CreateChannel', { name: 'ok-name_1', latencyMode: 'NORMAL', authorized: true, tags: { 'a b': 'c:d/e' } }, []],
    ['CreateChannel', { name: 'bad name' }, ["Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]*"]],
    ['CreateChannel', { name: 'n'.repeat(129) }, [expect.stringContaining("at 'name' failed to satisfy constraint: Member must have length less than or equal to 128")]],
    ['CreateChannel', { type: 'HUGE' }, ["Value 'HUGE' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, STANDARD, ADVANCED_SD, ADVANCED_HD]"]],
    ['CreateChannel', { authorized: 'yes' }, ["Value at 'authorized' must be a boolean, not string"]],
    ['CreateChannel', { colour: 'red' }, ["Unknown member 'colour': it is not part of this request"]],
    ['CreateChannel', { multitrackInputConfiguration: { enabled: true, extra: 1 } }, ["Unknown member 'multitrackInputConfiguration.extra': it is not part of this request"]],
    ['CreateChannel', { recordingConfigurationArn: '' }, []],
    ['CreateChannel', { recordingConfigurationArn: arn }, [expect.stringContaining("at 'recordingConfigurationArn' failed to satisfy constraint: Member must satisfy regular expression pattern")]],
    ['CreateChannel', { tags: { '': 'x' } }, [
      expect.stringContaining("at 'tags.key' failed to satisfy constraint: Member must have length greater than or equal to 1"),
      expect.stringContaining("at 'tags.key' failed to satisfy constraint: Member must satisfy regular expression pattern"),
    ]],
    ['CreateChannel', { tags: { k: 'bad#value' } }, [expect.stringContaining("at 'tags.k' failed to satisfy constraint: Member must satisfy regular expression pattern")]],
    ['CreateChannel', { tags: { k: null } }, ["Value null at 'tags.k' failed to satisfy constraint: Member must not be null"]],
    ['CreateChannel', { name: null }, []],
    ['GetChannel', {}, ["Value null at 'arn' failed to satisfy constraint: Member must not be null"]],
    ['GetChannel', { arn }, []],
    ['GetChannel', { arn: `${arn}/extra` }, [expect.stringContaining('Member must satisfy regular expression pattern')]],
    ['BatchGetChannel', { arns: [arn, 'nope'] }, [expect.stringContaining("at 'arns.2.member' failed")]],
    ['BatchGetChannel', { arns: [] }, [expect.stringContaining('Member must have length greater than or equal to 1')]],
    ['BatchGetChannel', { arns: arn }, ["Value at 'arns' must be a list, not string"]],
    ['ListChannels', { maxResults: 0 }, [expect.stringContaining('Member must have value greater than or equal to 1')]],
    ['ListChannels', { maxResults: 2.5 }, ["Value at 'maxResults' must be an integer, not number"]],
    ['ListChannels', { nextToken: 'has space' }, [expect.stringContaining("at 'nextToken' failed")]],
    ['ListStreamKeys', { channelArn: arn, maxResults: 51 }, [expect.stringContaining('less than or equal to 50')]],
    ['PutMetadata', { channelArn: arn, metadata: 'x'.repeat(1024) }, []],
    ['PutMetadata', { channelArn: arn, metadata: 'x'.repeat(1025) }, ["Value '*** Sensitive Data Redacted ***' at 'metadata' failed to satisfy constraint: Member must have a size less than or equal to 1024 bytes"]],
    ['PutMetadata', { channelArn: arn, metadata: '€'.repeat(342) }, [expect.stringContaining('1024 bytes')]], // 1026 UTF-8 bytes
    ['GetStreamSession', { channelArn: arn, streamId: 'st-1AuTyMDASvHUTSb8p5PvbsO' }, []],
    ['GetStreamSession', { channelArn: arn, streamId: 'st-short' }, [expect.stringContaining('greater than or equal to 26')]],
    ['CreateRecordingConfiguration', { destinationConfiguration: { s3: {} } }, ["Value null at 'destinationConfiguration.s3.bucketName' failed to satisfy constraint: Member must not be null"]],
    ['CreateRecordingConfiguration', { destinationConfiguration: { s3: { bucketName: 'ok.bucket-1' } }, thumbnailConfiguration: { targetIntervalSeconds: 61 } }, [expect.stringContaining('less than or equal to 60')]],
    ['UntagResource', { resourceArn: arn, tagKeys: ['a', 5] }, ["Value at 'tagKeys.2.member' must be a string, not number"]],
    ['TagResource', { resourceArn: 'arn:aws:ivs:us-west-2:1:playback-key/x', tags: {} }, []],
  ] as const)('%s %j', (operation, input, expected) => {
    expect(findProblems(inputShapes[operation], input).map((p) => p.message)).toEqual(expected);
  });

  it('refuses a body that is not an object', () => {
    expect(findProblems(inputShapes.CreateChannel, [1]).map((p) => p.message)).toEqual(["Value at '(body)' must be a structure (a JSON object), not list"]);
  });

  it('formats the Coral summary line', () => {
    expect(formatProblems([{ path: 'a', message: 'A' }])).toBe('1 validation error detected: A');
    expect(formatProblems([{ path: 'a', message: 'A' }, { path: 'b', message: 'B' }])).toBe('2 validation errors detected: A; B');
  });
});

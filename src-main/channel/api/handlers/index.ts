/** The operation table: name → success status and handler (reference §1.2). */
import type { ImplementedOperation } from '../shapes';
import { batchGetChannel, createChannel, deleteChannel, getChannel, listChannels, updateChannel } from './channels';
import type { HandlerContext, HandlerResult } from './context';
import { deletePlaybackKeyPair, getPlaybackKeyPair, importPlaybackKeyPair, listPlaybackKeyPairs } from './playback-key-pairs';
import {
  createRecordingConfiguration,
  deleteRecordingConfiguration,
  getRecordingConfiguration,
  listRecordingConfigurations,
} from './recording-configurations';
import { batchGetStreamKey, createStreamKey, deleteStreamKey, getStreamKey, listStreamKeys } from './stream-keys';
import { getStream, getStreamSession, listStreamSessions, listStreams, putMetadata, stopStream } from './streams';
import { listTagsForResource, tagResource, untagResource } from './tags';

export interface OperationSpec {
  /** 200 with a JSON body, or 204 with none. */
  status: 200 | 204;
  // Inputs are validated against the operation's shape before the handler runs; the SDK's request
  // types describe them, hence the loose parameter type here.
  handle(ctx: HandlerContext, input: any): HandlerResult | Promise<HandlerResult>;
}

export const operations: Record<ImplementedOperation, OperationSpec> = {
  CreateChannel: { status: 200, handle: createChannel },
  GetChannel: { status: 200, handle: getChannel },
  BatchGetChannel: { status: 200, handle: batchGetChannel },
  ListChannels: { status: 200, handle: listChannels },
  UpdateChannel: { status: 200, handle: updateChannel },
  DeleteChannel: { status: 204, handle: deleteChannel },
  CreateStreamKey: { status: 200, handle: createStreamKey },
  GetStreamKey: { status: 200, handle: getStreamKey },
  BatchGetStreamKey: { status: 200, handle: batchGetStreamKey },
  ListStreamKeys: { status: 200, handle: listStreamKeys },
  DeleteStreamKey: { status: 204, handle: deleteStreamKey },
  GetStream: { status: 200, handle: getStream },
  ListStreams: { status: 200, handle: listStreams },
  StopStream: { status: 200, handle: stopStream },
  PutMetadata: { status: 204, handle: putMetadata },
  GetStreamSession: { status: 200, handle: getStreamSession },
  ListStreamSessions: { status: 200, handle: listStreamSessions },
  ImportPlaybackKeyPair: { status: 200, handle: importPlaybackKeyPair },
  GetPlaybackKeyPair: { status: 200, handle: getPlaybackKeyPair },
  ListPlaybackKeyPairs: { status: 200, handle: listPlaybackKeyPairs },
  DeletePlaybackKeyPair: { status: 200, handle: deletePlaybackKeyPair },
  CreateRecordingConfiguration: { status: 200, handle: createRecordingConfiguration },
  GetRecordingConfiguration: { status: 200, handle: getRecordingConfiguration },
  ListRecordingConfigurations: { status: 200, handle: listRecordingConfigurations },
  DeleteRecordingConfiguration: { status: 204, handle: deleteRecordingConfiguration },
  TagResource: { status: 200, handle: tagResource },
  UntagResource: { status: 200, handle: untagResource },
  ListTagsForResource: { status: 200, handle: listTagsForResource },
};

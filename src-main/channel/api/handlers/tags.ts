/** TagResource, UntagResource, ListTagsForResource on any of the local channel's resources. */
import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-ivs';
import { notFound, validation } from '../ivs-error';
import type { Resources } from '../../store/state';
import { checkTags, MAX_TAGS, type HandlerContext, type HandlerResult } from './context';

type Tagged = { arn: string; tags: Record<string, string> };

function findTagged(resources: Resources, arn: string): Tagged | undefined {
  return (
    resources.channels.find((r) => r.arn === arn) ??
    resources.streamKeys.find((r) => r.arn === arn) ??
    resources.playbackKeyPairs.find((r) => r.arn === arn) ??
    resources.recordingConfigurations.find((r) => r.arn === arn)
  );
}

function requireTagged(ctx: HandlerContext, arn: string): Tagged {
  const resource = findTagged(ctx.store.resources, arn);
  if (!resource) throw notFound('Resource', arn);
  return resource;
}

export function tagResource(ctx: HandlerContext, input: TagResourceRequest): HandlerResult {
  const arn = input.resourceArn!;
  const resource = requireTagged(ctx, arn);
  const added = checkTags(input.tags);
  const merged = { ...resource.tags, ...added };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw validation(`At most ${MAX_TAGS} tags can be applied to a resource; ${arn} would have ${Object.keys(merged).length}.`);
  }
  ctx.store.commit((draft) => {
    findTagged(draft, arn)!.tags = merged;
  });
  return {};
}

export function untagResource(ctx: HandlerContext, input: UntagResourceRequest): HandlerResult {
  const arn = input.resourceArn!;
  const resource = requireTagged(ctx, arn);
  const remove = new Set(input.tagKeys);
  if ([...remove].some((k) => k in resource.tags)) {
    ctx.store.commit((draft) => {
      const target = findTagged(draft, arn)!;
      target.tags = Object.fromEntries(Object.entries(target.tags).filter(([k]) => !remove.has(k)));
    });
  }
  return {};
}

export function listTagsForResource(ctx: HandlerContext, input: ListTagsForResourceRequest): HandlerResult {
  return { tags: { ...requireTagged(ctx, input.resourceArn!).tags } };
}

/**
 * StartReplay, DescribeReplay, ListReplays, CancelReplay. A replay is stored (STARTING) and handed
 * to the replay runner (`bus/delivery/replay-runner.ts`), which moves it through RUNNING to
 * COMPLETED, or CANCELLING to CANCELLED. Timestamps on the wire are epoch seconds (AWS JSON 1.1).
 */
import type { ReplayState, StoredReplay } from '../../storage/index.ts';
import { BusRequestError, busArn, constraintError, matchesRegexConstraint, maxLength, minLength, ruleArn, type ArnScope } from '../rules/index.ts';
import { archiveArn, busOfArn, requireArchive } from './archive-operations.ts';
import { busStream, type Operation } from './context.ts';
import { isStructure, optionalList, optionalString, requiredString, type Input } from './members.ts';
import { pageOf, readPage } from './pagination.ts';

const REPLAY_NAME = /^[.\-_A-Za-z0-9]+$/;
const ARCHIVE_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:archive\/([.\-_A-Za-z0-9]+)$/;
const RULE_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:rule\/(?:([.\-_A-Za-z0-9]+)\/)?([.\-_A-Za-z0-9]+)$/;
/** AWS: at most 10 replays in progress per account and region. */
const MAX_ACTIVE_REPLAYS = 10;
const CANCELLABLE: ReadonlySet<ReplayState> = new Set(['STARTING', 'RUNNING']);

const replayArn = (scope: ArnScope, name: string): string => `arn:aws:events:${scope.region}:${scope.accountId}:replay/${name}`;
const replayNotFound = (name: string): BusRequestError => new BusRequestError('ResourceNotFoundException', `Replay ${name} does not exist.`);

function checkReplayName(member: string, value: string | undefined): string {
  if (value === undefined) throw constraintError(member, value, 'Member must not be null');
  if (value.length < 1) throw constraintError(member, value, minLength(1));
  if (value.length > 64) throw constraintError(member, value, maxLength(64));
  if (!REPLAY_NAME.test(value)) throw constraintError(member, value, matchesRegexConstraint('[\\.\\-_A-Za-z0-9]+'));
  return value;
}

/** A timestamp member: epoch seconds (a JSON number), as the SDKs send it. */
function requiredTime(input: Input, name: string, member: string): number {
  const value = input[name];
  if (value === undefined || value === null) throw constraintError(member, undefined, 'Member must not be null');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BusRequestError('SerializationException', `Unexpected value for ${name}: expected a timestamp`);
  return Math.round(value * 1000);
}

function destinationOf(input: Input): { bus: string; filterRules?: string[] } {
  const destination = input['Destination'];
  if (destination === undefined || destination === null) throw constraintError('destination', undefined, 'Member must not be null');
  if (!isStructure(destination)) throw new BusRequestError('SerializationException', 'Unexpected value for Destination: expected a structure');
  const bus = busOfArn('destination.arn', requiredString(destination, 'Arn', 'destination.arn'));
  const filterArns = optionalList(destination, 'FilterArns');
  if (filterArns === undefined) return { bus };
  const filterRules = filterArns.map((arn) => {
    const m = typeof arn === 'string' ? RULE_ARN.exec(arn) : null;
    if (m?.[2] === undefined) throw new BusRequestError('ValidationException', `Parameter Destination.FilterArns is not valid. Reason: ${String(arn)} is not a rule ARN.`);
    if ((m[1] ?? 'default') !== bus) throw new BusRequestError('ValidationException', `Parameter Destination.FilterArns is not valid. Reason: Rule ${m[2]} is not on event bus ${bus}.`);
    return m[2];
  });
  return { bus, filterRules };
}

export const startReplay: Operation = async (input, ctx) => {
  const name = checkReplayName('replayName', optionalString(input, 'ReplayName'));
  const description = optionalString(input, 'Description');
  if (description !== undefined && description.length > 512) throw constraintError('description', description, maxLength(512));
  const source = requiredString(input, 'EventSourceArn', 'eventSourceArn');
  const archiveName = ARCHIVE_ARN.exec(source)?.[1];
  if (archiveName === undefined) throw new BusRequestError('ValidationException', 'Parameter EventSourceArn is not valid. Reason: Provided Arn is not in correct format.');
  const start = requiredTime(input, 'EventStartTime', 'eventStartTime');
  const end = requiredTime(input, 'EventEndTime', 'eventEndTime');
  const destination = destinationOf(input);
  if (start >= end) throw new BusRequestError('ValidationException', 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  const archive = await requireArchive(ctx, archiveName);
  if (destination.bus !== archive.bus) throw new BusRequestError('ValidationException', 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
  const now = ctx.clock.now();
  const replay: StoredReplay = {
    name,
    archive: archive.name,
    ...(description !== undefined ? { description } : {}),
    bus: destination.bus,
    ...(destination.filterRules !== undefined ? { filterRules: destination.filterRules } : {}),
    eventStartTime: start,
    eventEndTime: end,
    state: 'STARTING',
    cursor: archive.startOffset,
    // Events put after this call are not part of it, whatever their `time`.
    throughOffset: await ctx.eventLog.head(busStream(archive.bus)),
    startedAt: now,
  };
  const outcome = await ctx.store.createReplay(replay, MAX_ACTIVE_REPLAYS);
  if (outcome === 'exists') throw new BusRequestError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
  if (outcome === 'no-archive') throw new BusRequestError('ResourceNotFoundException', `Archive ${archive.name} does not exist.`);
  if (outcome === 'limit') throw new BusRequestError('LimitExceededException', `The requested resource exceeds the maximum number allowed. Maximum of ${MAX_ACTIVE_REPLAYS} replays can be in progress.`);
  ctx.kickReplays();
  return { ReplayArn: replayArn(ctx.caller, name), State: 'STARTING', ReplayStartTime: now / 1000 };
};

function replayJson(r: StoredReplay, scope: ArnScope, full: boolean) {
  return {
    ReplayName: r.name,
    ...(full ? { ReplayArn: replayArn(scope, r.name) } : {}),
    ...(full && r.description !== undefined ? { Description: r.description } : {}),
    State: r.state,
    ...(r.stateReason !== undefined ? { StateReason: r.stateReason } : {}),
    EventSourceArn: archiveArn(scope, r.archive),
    ...(full ? { Destination: { Arn: busArn(scope, r.bus), ...(r.filterRules !== undefined ? { FilterArns: r.filterRules.map((rule) => ruleArn(scope, r.bus, rule)) } : {}) } } : {}),
    EventStartTime: r.eventStartTime / 1000,
    EventEndTime: r.eventEndTime / 1000,
    ...(r.lastReplayedTime !== undefined ? { EventLastReplayedTime: r.lastReplayedTime / 1000 } : {}),
    ReplayStartTime: r.startedAt / 1000,
    ...(r.endedAt !== undefined ? { ReplayEndTime: r.endedAt / 1000 } : {}),
  };
}

export const describeReplay: Operation = async (input, ctx) => {
  const name = checkReplayName('replayName', optionalString(input, 'ReplayName'));
  const replay = await ctx.store.getReplay(name);
  if (replay === undefined) throw replayNotFound(name);
  return replayJson(replay, ctx.caller, true);
};

export const listReplays: Operation = async (input, ctx) => {
  const prefix = optionalString(input, 'NamePrefix');
  if (prefix !== undefined) checkReplayName('namePrefix', prefix);
  const state = optionalString(input, 'State') as ReplayState | undefined;
  const source = optionalString(input, 'EventSourceArn');
  const archive = source === undefined ? undefined : ARCHIVE_ARN.exec(source)?.[1];
  if (source !== undefined && archive === undefined) throw new BusRequestError('ValidationException', 'Parameter EventSourceArn is not valid. Reason: Provided Arn is not in correct format.');
  const page = readPage(input);
  const replays = await ctx.store.listReplays({ ...(prefix !== undefined ? { prefix } : {}), ...(state !== undefined ? { state } : {}), ...(archive !== undefined ? { archive } : {}), after: page.after, limit: page.limit + 1 });
  const shown = pageOf(replays, page, (r) => r.name);
  return { Replays: shown.items.map((r) => replayJson(r, ctx.caller, false)), ...(shown.nextToken !== undefined ? { NextToken: shown.nextToken } : {}) };
};

export const cancelReplay: Operation = async (input, ctx) => {
  const name = checkReplayName('replayName', optionalString(input, 'ReplayName'));
  const replay = await ctx.store.getReplay(name);
  if (replay === undefined) throw replayNotFound(name);
  if (!CANCELLABLE.has(replay.state)) throw new BusRequestError('IllegalStatusException', `Replay ${name} is not in a valid state for this operation.`);
  const previous = await ctx.store.setReplayState(name, 'CANCELLING', ctx.clock.now());
  // It finished between the read and the write: put the final state back.
  if (previous !== undefined && !CANCELLABLE.has(previous)) {
    await ctx.store.setReplayState(name, previous, ctx.clock.now());
    throw new BusRequestError('IllegalStatusException', `Replay ${name} is not in a valid state for this operation.`);
  }
  ctx.kickReplays();
  return { ReplayArn: replayArn(ctx.caller, name), State: 'CANCELLING' };
};

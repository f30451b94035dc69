/**
 * CreateArchive, DescribeArchive, ListArchives, UpdateArchive, DeleteArchive. An archive is a
 * filter over its bus's event log from the moment it is created (see `BusReplayStore`): no copy,
 * so no archive lag, and `EventCount`/`SizeBytes` are counted from the log when asked.
 */
import type { StoredArchive } from '../../storage/index.ts';
import { parsePattern } from '../patterns/index.ts';
import { archiveFilter } from './archive-filter.ts';
import { BusRequestError, busArn, constraintError, matchesRegexConstraint, maxLength, minLength, type ArnScope } from '../rules/index.ts';
import { busStream, type Operation, type OperationContext } from './context.ts';
import { optionalInteger, optionalString, requiredString, type Input } from './members.ts';
import { pageOf, readPage } from './pagination.ts';
import { busNotFound } from './require-resource.ts';

const ARCHIVE_NAME = /^[.\-_A-Za-z0-9]+$/;
const ARCHIVE_NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+';
const BUS_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/([.\-_A-Za-z0-9/]+)$/;
const SCAN_PAGE = 1000;

export const archiveArn = (scope: ArnScope, name: string): string => `arn:aws:events:${scope.region}:${scope.accountId}:archive/${name}`;

export const archiveNotFound = (name: string): BusRequestError => new BusRequestError('ResourceNotFoundException', `Archive ${name} does not exist.`);

export function checkArchiveName(member: string, value: string | undefined): string {
  if (value === undefined) throw constraintError(member, value, 'Member must not be null');
  if (value.length < 1) throw constraintError(member, value, minLength(1));
  if (value.length > 48) throw constraintError(member, value, maxLength(48));
  if (!ARCHIVE_NAME.test(value)) throw constraintError(member, value, matchesRegexConstraint(ARCHIVE_NAME_PATTERN));
  return value;
}

/** The bus an event-bus ARN names (`EventSourceArn`, `Destination.Arn`). */
export function busOfArn(member: string, arn: string): string {
  if (arn.length < 1) throw constraintError(member, arn, minLength(1));
  if (arn.length > 1600) throw constraintError(member, arn, maxLength(1600));
  const m = BUS_ARN.exec(arn);
  if (m?.[1] === undefined) throw new BusRequestError('ValidationException', `Parameter ${member === 'eventSourceArn' ? 'EventSourceArn' : 'Destination.Arn'} is not valid. Reason: Provided Arn is not in correct format.`);
  return m[1];
}

function retentionOf(input: Input): number | undefined {
  const days = optionalInteger(input, 'RetentionDays');
  if (days !== undefined && days < 0) throw constraintError('retentionDays', days, 'Member must have value greater than or equal to 0');
  return days;
}

function checkPattern(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length > 4096) throw constraintError('eventPattern', text, maxLength(4096));
  parsePattern(text);
  return text;
}

export async function requireArchive(ctx: OperationContext, name: string): Promise<StoredArchive> {
  const archive = await ctx.store.getArchive(name);
  if (archive === undefined) throw archiveNotFound(name);
  return archive;
}

/** Events the archive holds now: after its start, as `archiveFilter` says. */
async function archiveStats(ctx: OperationContext, archive: StoredArchive): Promise<{ count: number; bytes: number }> {
  const holds = archiveFilter(archive, ctx.clock.now());
  let count = 0;
  let bytes = 0;
  for (let after = archive.startOffset; ; ) {
    const records = await ctx.eventLog.read(busStream(archive.bus), after, SCAN_PAGE);
    for (const r of records) {
      if (!holds(r)) continue;
      count++;
      bytes += Buffer.byteLength(r.payload);
    }
    const last = records[records.length - 1];
    if (last === undefined || records.length < SCAN_PAGE) return { count, bytes };
    after = last.offset;
  }
}

const seconds = (ms: number): number => ms / 1000;

export const createArchive: Operation = async (input, ctx) => {
  const name = checkArchiveName('archiveName', optionalString(input, 'ArchiveName'));
  const bus = busOfArn('eventSourceArn', requiredString(input, 'EventSourceArn', 'eventSourceArn'));
  const description = optionalString(input, 'Description');
  if (description !== undefined && description.length > 512) throw constraintError('description', description, maxLength(512));
  const eventPattern = checkPattern(optionalString(input, 'EventPattern'));
  const retentionDays = retentionOf(input) ?? 0;
  const now = ctx.clock.now();
  const outcome = await ctx.store.createArchive({
    name,
    bus,
    ...(description !== undefined ? { description } : {}),
    ...(eventPattern !== undefined ? { eventPattern } : {}),
    retentionDays,
    startOffset: await ctx.eventLog.head(busStream(bus)),
    createdAt: now,
  });
  if (outcome === 'no-bus') throw busNotFound(bus);
  if (outcome === 'exists') throw new BusRequestError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
  return { ArchiveArn: archiveArn(ctx.caller, name), State: 'ENABLED', CreationTime: seconds(now) };
};

async function archiveJson(ctx: OperationContext, a: StoredArchive, full: boolean) {
  const stats = await archiveStats(ctx, a);
  return {
    ...(full ? { ArchiveArn: archiveArn(ctx.caller, a.name) } : {}),
    ArchiveName: a.name,
    EventSourceArn: busArn(ctx.caller, a.bus),
    ...(full && a.description !== undefined ? { Description: a.description } : {}),
    ...(full && a.eventPattern !== undefined ? { EventPattern: a.eventPattern } : {}),
    State: 'ENABLED',
    RetentionDays: a.retentionDays,
    SizeBytes: stats.bytes,
    EventCount: stats.count,
    CreationTime: seconds(a.createdAt),
  };
}

export const describeArchive: Operation = async (input, ctx) => {
  const name = checkArchiveName('archiveName', optionalString(input, 'ArchiveName'));
  return archiveJson(ctx, await requireArchive(ctx, name), true);
};

export const listArchives: Operation = async (input, ctx) => {
  const prefix = optionalString(input, 'NamePrefix');
  if (prefix !== undefined) checkArchiveName('namePrefix', prefix);
  const source = optionalString(input, 'EventSourceArn');
  const bus = source === undefined ? undefined : busOfArn('eventSourceArn', source);
  const state = optionalString(input, 'State');
  const page = readPage(input);
  const archives = state !== undefined && state !== 'ENABLED' ? [] : await ctx.store.listArchives({ ...(prefix !== undefined ? { prefix } : {}), ...(bus !== undefined ? { bus } : {}), after: page.after, limit: page.limit + 1 });
  const shown = pageOf(archives, page, (a) => a.name);
  const items = [];
  for (const a of shown.items) items.push(await archiveJson(ctx, a, false));
  return { Archives: items, ...(shown.nextToken !== undefined ? { NextToken: shown.nextToken } : {}) };
};

export const updateArchive: Operation = async (input, ctx) => {
  const name = checkArchiveName('archiveName', optionalString(input, 'ArchiveName'));
  const description = optionalString(input, 'Description');
  if (description !== undefined && description.length > 512) throw constraintError('description', description, maxLength(512));
  const eventPattern = checkPattern(optionalString(input, 'EventPattern'));
  const retentionDays = retentionOf(input);
  const archive = await requireArchive(ctx, name);
  await ctx.store.updateArchive(name, { ...(description !== undefined ? { description } : {}), ...(eventPattern !== undefined ? { eventPattern } : {}), ...(retentionDays !== undefined ? { retentionDays } : {}) });
  return { ArchiveArn: archiveArn(ctx.caller, name), State: 'ENABLED', CreationTime: seconds(archive.createdAt) };
};

export const deleteArchive: Operation = async (input, ctx) => {
  const name = checkArchiveName('archiveName', optionalString(input, 'ArchiveName'));
  if (!(await ctx.store.deleteArchive(name))) throw archiveNotFound(name);
  return {};
};

/**
 * Which log records an archive holds: an archive is a filter over its bus's event log (see
 * `BusReplayStore`), so `DescribeArchive` counts and the replay runner replays through this one
 * predicate: not a scheduled event, within the retention, matching the archive's pattern.
 * (The archive's start offset bounds the read, not the predicate.)
 */
import type { LogRecord, StoredArchive } from '../../storage/index.ts';
import { scheduledRuleOf } from '../envelope/index.ts';
import { compileRules, parsePattern } from '../patterns/index.ts';

const DAY_MS = 86_400_000;

export function archiveFilter(archive: StoredArchive, now: number): (record: LogRecord) => boolean {
  const matcher = archive.eventPattern === undefined ? undefined : compileRules([{ id: 'archive', pattern: parsePattern(archive.eventPattern) }]);
  const since = archive.retentionDays > 0 ? now - archive.retentionDays * DAY_MS : 0;
  return (record) =>
    scheduledRuleOf(record.meta) === undefined && record.time >= since && (matcher === undefined || matcher.matchText(record.payload).length > 0);
}

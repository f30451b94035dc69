/**
 * One page of `GetExecutionHistory`: the events after the page token's id (before it, reversed),
 * at most `limit`. Standard executions read it from the store's blocks (one per step, decoded by
 * `history-codec.ts`); Express ones from the events they keep in memory.
 */
import type { StoredHistoryBlock } from '../../storage/index.ts';
import type { HistoryEvent } from '../asl/index.ts';
import type { HistoryQuery } from './engine-context.ts';
import { decodeHistory } from './history-codec.ts';

/** The page of `query` among `events`, which are in id order (reversed for a reversed query). */
export function pageOf(events: readonly HistoryEvent[], { after, limit, reverse }: HistoryQuery): HistoryEvent[] {
  const page: HistoryEvent[] = [];
  for (const e of events) {
    if (page.length >= limit) break;
    if (reverse === true ? e.id < (after ?? Number.MAX_SAFE_INTEGER) : e.id > (after ?? 0)) page.push(e);
  }
  return page;
}

/** The page of `query` among the blocks the store answered it with (in its order). */
export function pageOfBlocks(blocks: readonly StoredHistoryBlock[], query: HistoryQuery): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const block of blocks) {
    const decoded = decodeHistory(block);
    if (query.reverse === true) decoded.reverse();
    for (const e of decoded) events.push(e);
  }
  return pageOf(events, query);
}

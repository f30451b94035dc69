/**
 * Table change records as an event source: what a committed write did to one item
 * (`tableChange`), and the event an EventBridge Pipe with a DynamoDB stream source and an event-bus
 * target puts on the bus for it (`toPipeEnvelope`): `detail-type` `Event from aws:dynamodb`,
 * `source` `Pipe <name>`, and the DynamoDB Streams record as `detail`. Pure: ids, time and the
 * sequence number come from the caller.
 */
import type { ChangeViewType, TableDefinition } from '../app/index.ts';
import { formatEventTime, type EventEnvelope, type JsonObject } from '../bus/index.ts';
import { itemSize, type Item } from './attribute-value.ts';
import { keyOf } from './keys.ts';
import { itemsEqual } from './operations/item-operations.ts';

export const CHANGE_EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'] as const;
export type ChangeEventName = (typeof CHANGE_EVENT_NAMES)[number];

export interface TableChange {
  readonly eventName: ChangeEventName;
  readonly keys: Item;
  /** The item after the write (INSERT, MODIFY). */
  readonly newImage?: Item;
  /** The item before the write (MODIFY, REMOVE). */
  readonly oldImage?: Item;
}

/**
 * What a write did to one item, or `undefined` when it changed nothing: no item before or after,
 * or the same attributes and values (DynamoDB Streams writes no record for a PutItem or UpdateItem
 * that leaves the item as it was).
 */
export function tableChange(table: TableDefinition, before: Item | undefined, after: Item | undefined): TableChange | undefined {
  if (after !== undefined) {
    if (before === undefined) return { eventName: 'INSERT', keys: keyOf(table, after), newImage: after };
    if (itemsEqual(before, after)) return undefined;
    return { eventName: 'MODIFY', keys: keyOf(table, after), newImage: after, oldImage: before };
  }
  return before === undefined ? undefined : { eventName: 'REMOVE', keys: keyOf(table, before), oldImage: before };
}

export interface PipeEnvelopeContext {
  readonly table: string;
  readonly pipeName: string;
  readonly viewType: ChangeViewType;
  /** The event's `id` (also the event-log record id). */
  readonly id: string;
  /** The stream record's `eventID`. */
  readonly eventId: string;
  /** Milliseconds since the epoch: the event `time` and `ApproximateCreationDateTime`. */
  readonly now: number;
  /** Increasing per table (see `formatSequenceNumber`). */
  readonly sequenceNumber: string;
  readonly account: string;
  readonly region: string;
  /** The stream's label in `eventSourceARN` (AWS: the stream's creation time). */
  readonly streamLabel: string;
}

const withNew = (viewType: ChangeViewType): boolean => viewType === 'NEW_AND_OLD_IMAGES' || viewType === 'NEW_IMAGE';
const withOld = (viewType: ChangeViewType): boolean => viewType === 'NEW_AND_OLD_IMAGES' || viewType === 'OLD_IMAGE';

/** The event on the bus; keys in the order AWS writes them (see `EventEnvelope`). */
export function toPipeEnvelope(change: TableChange, ctx: PipeEnvelopeContext): EventEnvelope {
  const newImage = withNew(ctx.viewType) ? change.newImage : undefined;
  const oldImage = withOld(ctx.viewType) ? change.oldImage : undefined;
  // Our approximation of the record size: DynamoDB's item-size rule over the keys and images carried.
  const sizeBytes = itemSize(change.keys) + (newImage === undefined ? 0 : itemSize(newImage)) + (oldImage === undefined ? 0 : itemSize(oldImage));
  const dynamodb: JsonObject = {
    ApproximateCreationDateTime: Math.floor(ctx.now / 1000),
    Keys: change.keys,
    ...(newImage !== undefined ? { NewImage: newImage } : {}),
    ...(oldImage !== undefined ? { OldImage: oldImage } : {}),
    SequenceNumber: ctx.sequenceNumber,
    SizeBytes: sizeBytes,
    StreamViewType: ctx.viewType,
  };
  return {
    version: '0',
    id: ctx.id,
    'detail-type': 'Event from aws:dynamodb',
    source: `Pipe ${ctx.pipeName}`,
    account: ctx.account,
    time: formatEventTime(ctx.now),
    region: ctx.region,
    resources: [`arn:aws:pipes:${ctx.region}:${ctx.account}:pipe/${ctx.pipeName}`],
    detail: {
      eventID: ctx.eventId,
      eventName: change.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: ctx.region,
      dynamodb,
      eventSourceARN: `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${ctx.table}/stream/${ctx.streamLabel}`,
    },
  };
}

/**
 * A DynamoDB-looking sequence number (21 digits, no leading zero) from a strictly increasing
 * position, so numeric and text order agree.
 */
export function formatSequenceNumber(position: number): string {
  return `1${String(position).padStart(20, '0')}`;
}

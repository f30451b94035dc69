export { createTableService, TABLE_OPERATIONS } from './service.ts';
export type { TableService, TableServiceOptions, TableOperation } from './service.ts';
export { TableError } from './errors.ts';
export type { TableErrorType } from './errors.ts';
export {
  marshall,
  marshallItem,
  unmarshall,
  unmarshallItem,
  normalizeValue,
  normalizeItem,
  valuesEqual,
  compareValues,
  AttributeValueError,
} from './attribute-value.ts';
export type { AttributeValue, Item, AttributeType } from './attribute-value.ts';
export { tableChange, toPipeEnvelope, formatSequenceNumber, CHANGE_EVENT_NAMES } from './change-record.ts';
export type { TableChange, ChangeEventName, PipeEnvelopeContext } from './change-record.ts';
export { createChangeSinks, STREAM_LABEL } from './change-sinks.ts';
export type { ChangeSinkOptions } from './change-sinks.ts';

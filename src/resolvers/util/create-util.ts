/**
 * Builds the APPSYNC_JS `util` object for one resolver invocation. The stateless members are built
 * once per process and shared (frozen, so one resolver cannot tamper with another's); only the
 * few functions that need the host (clock, auth type, error sink, current field, response
 * headers) are bound per call.
 */
import type { Clock } from '../../core/index.ts';
import type { AppSyncErrorInfo } from '../types.ts';
import { dynamodbUtils } from './attribute-value.ts';
import { toDynamoDBFilterExpression } from './filter-expression.ts';
import { autoId, autoKsuid, autoUlid } from './ids.ts';
import { mathUtils } from './math-utils.ts';
import { stringUtils } from './string-utils.ts';
import { toSubscriptionFilter } from './subscription-filter.ts';
import { createTimeUtils } from './time-utils.ts';
import { errorInfoFrom, UtilError } from './util-error.ts';
import { valueUtils } from './value-utils.ts';

export interface UtilHost {
  readonly clock: Clock;
  /** 'API Key Authorization' | 'IAM Authorization' | 'User Pool Authorization' | 'Open ID Connect Authorization' | 'Lambda Authorization' */
  authType(): string;
  appendError(error: AppSyncErrorInfo): void;
  /** Type and field currently resolving, for util.unauthorized()'s message. */
  currentField(): { readonly typeName: string; readonly fieldName: string };
  /** Where `util.http.addResponseHeader(s)` records headers, in call order; without it they are dropped. */
  readonly responseHeaders?: { name: string; value: string }[];
}

const transformUtils = Object.freeze({
  toDynamoDBFilterExpression,
  // AWS renders both the same way (recorded byte-identical for every input)
  toDynamoDBConditionExpression: toDynamoDBFilterExpression,
  toSubscriptionFilter,
});

const shared = Object.freeze({
  ...valueUtils,
  autoId,
  error(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): never {
    throw new UtilError(errorInfoFrom(message, errorType, data, errorInfo));
  },
  dynamodb: dynamodbUtils,
  transform: transformUtils,
  math: mathUtils,
  str: stringUtils,
});

/** `util.time` depends only on the clock, so it is built once per clock. */
const timeByClock = new WeakMap<Clock, Readonly<Record<string, unknown>>>();

function timeFor(clock: Clock): Readonly<Record<string, unknown>> {
  let time = timeByClock.get(clock);
  if (time === undefined) {
    time = createTimeUtils(clock);
    timeByClock.set(clock, time);
  }
  return time;
}

function headerValue(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function createUtil(host: UtilHost): Readonly<Record<string, unknown>> {
  const { clock } = host;
  const headers = host.responseHeaders;
  const addResponseHeader = (name: unknown, value: unknown): void => {
    headers?.push({ name: String(name), value: headerValue(value) });
  };
  return Object.freeze({
    ...shared,
    autoUlid: (): string => autoUlid(clock.now()),
    autoKsuid: (): string => autoKsuid(clock.now()),
    appendError(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void {
      host.appendError(errorInfoFrom(message, errorType, data, errorInfo));
    },
    unauthorized(): never {
      const { typeName, fieldName } = host.currentField();
      throw new UtilError({
        message: `Not Authorized to access ${fieldName} on type ${typeName}`,
        errorType: 'Unauthorized',
        data: null,
        errorInfo: null,
      });
    },
    authType: (): string => host.authType(),
    time: timeFor(clock),
    http: Object.freeze({
      addResponseHeader,
      addResponseHeaders(map: unknown): void {
        if (typeof map !== 'object' || map === null) return;
        for (const [name, value] of Object.entries(map)) addResponseHeader(name, value);
      },
    }),
  });
}

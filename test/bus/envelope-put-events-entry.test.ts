import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PUT_EVENTS_LIMITS,
  putEventsEntrySize,
  validatePutEventsEntry,
  validatePutEventsRequest,
  type PutEventsEntry,
} from '../../src/bus/envelope/index.ts';

const valid: PutEventsEntry = { Source: 'com.example', DetailType: 'Thing Happened', Detail: '{"a":1}' };

function failure(entry: PutEventsEntry): [string, string] {
  const check = validatePutEventsEntry(entry);
  assert.equal(check.ok, false);
  return check.ok ? ['', ''] : [check.errorCode, check.errorMessage];
}

test('a missing or empty Source, DetailType or Detail is InvalidArgument with AWS wording', () => {
  const { Source: _s, ...noSource } = valid;
  assert.deepEqual(failure(noSource), ['InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.']);
  assert.deepEqual(failure({ ...valid, DetailType: '' }), [
    'InvalidArgument',
    'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
  ]);
  const { Detail: _d, ...noDetail } = valid;
  assert.deepEqual(failure(noDetail), ['InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.']);
});

test('Detail that is not a JSON object is MalformedDetail', () => {
  for (const Detail of ['NotJSON', '[]', '{{}', '"a string"', 'null', '1']) {
    assert.deepEqual(failure({ ...valid, Detail }), ['MalformedDetail', 'Detail is malformed.'], Detail);
  }
});

test('an empty object is a valid Detail', () => {
  assert.equal(validatePutEventsEntry({ ...valid, Detail: '{}' }).ok, true);
});

test('custom events may not use an aws. source', () => {
  assert.equal(failure({ ...valid, Source: 'aws.ec2' })[0], 'NotAuthorizedForSourceException');
});

test('a valid entry comes back with its Detail parsed and its size', () => {
  const check = validatePutEventsEntry({ ...valid, Resources: ['arn:x'], Time: 1_700_000_000 });
  assert.ok(check.ok);
  assert.deepEqual(check.entry.detail, { a: 1 });
  assert.deepEqual(check.entry.resources, ['arn:x']);
  assert.equal(check.entry.timeMs, 1_700_000_000_000);
  assert.equal(check.entry.size, putEventsEntrySize({ ...valid, Resources: ['arn:x'], Time: 1_700_000_000 }));
});

test('Time outside years 0000-9999 or not a number is InvalidArgument', () => {
  assert.equal(failure({ ...valid, Time: Number.NaN })[0], 'InvalidArgument');
  assert.equal(failure({ ...valid, Time: 1e13 })[0], 'InvalidArgument');
});

test('entry size is 14 bytes for Time plus UTF-8 bytes of Source, DetailType, Detail and Resources', () => {
  const entry: PutEventsEntry = {
    Time: 1,
    Source: 'src', // 3
    DetailType: 'tÿpe', // 5 (ÿ is 2 bytes)
    Detail: '{"k":"€"}', // 11 (€ is 3 bytes)
    Resources: ['ab', 'c'], // 3
    EventBusName: 'not-counted',
    TraceHeader: 'not-counted',
  };
  assert.equal(putEventsEntrySize(entry), 14 + 3 + 5 + 11 + 3);
  const { Time: _t, ...untimed } = entry;
  assert.equal(putEventsEntrySize(untimed), 3 + 5 + 11 + 3);
});

test('a request over the summed size limit fails as a whole', () => {
  const limit = DEFAULT_PUT_EVENTS_LIMITS.maxRequestSizeBytes;
  assert.equal(validatePutEventsRequest(2, [limit / 2, limit / 2], DEFAULT_PUT_EVENTS_LIMITS), undefined);
  assert.deepEqual(validatePutEventsRequest(2, [limit / 2, limit / 2 + 1], DEFAULT_PUT_EVENTS_LIMITS), {
    type: 'ValidationException',
    message: 'Total size of the entries in the request is over the limit.',
  });
  assert.notEqual(validatePutEventsRequest(1, [11], { maxRequestSizeBytes: 10 }), undefined);
});

test('more than 10 entries fail the whole request', () => {
  const error = validatePutEventsRequest(11, [], DEFAULT_PUT_EVENTS_LIMITS);
  assert.equal(error?.type, 'ValidationException');
  assert.match(error?.message ?? '', /at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10/);
});

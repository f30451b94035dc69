/**
 * Sending per RFC 8030 against a push service on loopback (real HTTP, `support/mock-push-service.ts`,
 * which verifies the VAPID JWT independently and decrypts with http_ece): headers, the VAPID token
 * reused per origin, and every answer's handling — 201 sent, 404/410 gone, 413 too large, 429 and
 * 5xx retried after Retry-After or a backoff on a VirtualClock, 4xx rejected — each one counted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import {
  createHttpTransport,
  createPushSender,
  createVapidAuthorizer,
  generateVapidKeys,
  importVapidKeys,
  parseUserAgentKeys,
  type PushRecipient,
  type PushSenderOptions,
  type VapidAuthorizer,
} from '../../src/push/index.ts';
import { startMockPushService, type MockPushService, type MockSubscription } from './support/mock-push-service.ts';

const SUBJECT = 'mailto:ops@switchboard-push-tests.dev';
const clock = new VirtualClock();
let mock: MockPushService;
const transport = createHttpTransport();
const keys = importVapidKeys(generateVapidKeys());
let vapid: VapidAuthorizer;

before(async () => {
  mock = await startMockPushService({ now: () => clock.now() });
  vapid = createVapidAuthorizer({ keys, subject: SUBJECT, clock });
});
after(async () => {
  transport.close();
  await mock.close();
});

function recipient(sub: MockSubscription, authorizer = vapid): PushRecipient {
  const parsed = parseUserAgentKeys(sub.keys.p256dh, sub.keys.auth);
  assert.ok(parsed.ok);
  const endpoint = new URL(sub.endpoint);
  return { endpoint, origin: endpoint.origin, keys: parsed.keys, vapid: authorizer };
}

/** A sender whose retry waits are observable: `retried()` resolves at each retry decision. */
function sender(extra: Partial<PushSenderOptions> = {}) {
  const retries: { status: number | undefined; delayMs: number }[] = [];
  let notify: (() => void) | undefined;
  const s = createPushSender({
    transport: transport.send,
    clock,
    random: () => 0.5,
    onRetry: (status, delayMs) => {
      retries.push({ status, delayMs });
      notify?.();
    },
    ...extra,
  });
  const retried = (): Promise<void> => new Promise((resolve) => (notify = resolve));
  return { s, retries, retried };
}

test('a message is encrypted, VAPID-signed for the endpoint origin and sent with TTL, Urgency and Topic; 201 is sent', async () => {
  const sub = mock.subscribe({ applicationServerKey: keys.publicKey });
  const { s } = sender();
  const outcome = await s.send(recipient(sub), JSON.stringify({ orderId: 'o-1', status: 'OUT_FOR_DELIVERY' }), { ttlSeconds: 3600, urgency: 'high', topic: 'order1' });
  assert.equal(outcome.kind, 'sent');
  assert.ok(outcome.kind === 'sent' && outcome.status === 201 && outcome.attempts === 1 && outcome.location?.startsWith(mock.origin));
  const [msg] = mock.received(sub.id);
  assert.ok(msg !== undefined);
  assert.deepEqual(JSON.parse(msg.plaintext?.toString() ?? ''), { orderId: 'o-1', status: 'OUT_FOR_DELIVERY' });
  assert.equal(msg.headers['ttl'], '3600');
  assert.equal(msg.headers['urgency'], 'high');
  assert.equal(msg.headers['topic'], 'order1');
  assert.equal(msg.headers['content-encoding'], 'aes128gcm');
  assert.match(msg.headers['authorization'] ?? '', /^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]{87}$/);
  // aud is the origin with its port; exp at most 24 h ahead.
  assert.equal(msg.claims.aud, mock.origin);
  assert.ok(msg.claims.exp - clock.now() / 1000 <= 24 * 3600);
  assert.equal(msg.claims.sub, SUBJECT);
  assert.equal(s.stats().sent, 1);
  s.close();
});

test('the VAPID token is signed once per origin and reused until an hour before it expires', async () => {
  const authorizer = createVapidAuthorizer({ keys, subject: SUBJECT, clock });
  const sub = mock.subscribe();
  const { s } = sender();
  for (let i = 0; i < 3; i++) assert.equal((await s.send(recipient(sub, authorizer), `m${i}`, { ttlSeconds: 60 })).kind, 'sent');
  assert.equal(authorizer.signed, 1);
  const [first, , third] = mock.received(sub.id);
  assert.equal(first?.headers['authorization'], third?.headers['authorization']);
  await clock.advance(10 * 3600 * 1000);
  await s.send(recipient(sub, authorizer), 'still the same token', { ttlSeconds: 60 });
  assert.equal(authorizer.signed, 1);
  await clock.advance(3600 * 1000 + 1);
  await s.send(recipient(sub, authorizer), 'renewed', { ttlSeconds: 60 });
  assert.equal(authorizer.signed, 2);
  assert.equal(mock.received(sub.id).at(-1)?.claims.exp, Math.floor(clock.now() / 1000) + 12 * 3600);
  assert.throws(() => createVapidAuthorizer({ keys, subject: SUBJECT, clock, expiresInSeconds: 24 * 3600 + 1 }), /24 h/);
  s.close();
});

test('410 and 404 answer gone (the subscription is to be removed), not retried', async () => {
  const expired = mock.subscribe();
  mock.expire(expired.id);
  const notFound = mock.subscribe();
  mock.script(notFound.id, { status: 404 });
  const { s, retries } = sender();
  assert.deepEqual(await s.send(recipient(expired), 'x', { ttlSeconds: 60 }), { kind: 'gone', status: 410, attempts: 1 });
  assert.deepEqual(await s.send(recipient(notFound), 'x', { ttlSeconds: 60 }), { kind: 'gone', status: 404, attempts: 1 });
  assert.equal(retries.length, 0);
  assert.equal(s.stats().gone, 2);
  s.close();
});

test('429 is retried after its Retry-After (seconds) on the clock, then sent', async () => {
  const sub = mock.subscribe();
  mock.script(sub.id, { status: 429, headers: { 'retry-after': '30' } });
  const { s, retries, retried } = sender();
  const waiting = retried();
  const sending = s.send(recipient(sub), 'after a 429', { ttlSeconds: 600 });
  await waiting;
  assert.deepEqual(retries, [{ status: 429, delayMs: 30_000 }]);
  await clock.advance(29_999);
  assert.equal(mock.received(sub.id).length, 0, 'nothing is sent before Retry-After');
  await clock.advance(1);
  const outcome = await sending;
  assert.equal(outcome.kind, 'sent');
  assert.equal(outcome.attempts, 2);
  assert.equal(mock.received(sub.id)[0]?.plaintext?.toString(), 'after a 429');
  assert.deepEqual(s.stats(), { sent: 1, gone: 0, 'too-large': 0, rejected: 0, failed: 0, retries: 1 });
  s.close();
});

test('Retry-After given as an HTTP date is honoured', async () => {
  const sub = mock.subscribe();
  mock.script(sub.id, { status: 503, headers: { 'retry-after': new Date(clock.now() + 120_000).toUTCString() } });
  const { s, retries, retried } = sender();
  const waiting = retried();
  const sending = s.send(recipient(sub), 'x', { ttlSeconds: 600 });
  await waiting;
  assert.ok(retries[0] !== undefined && retries[0].delayMs > 119_000 && retries[0].delayMs <= 120_000);
  await clock.advance(120_000);
  assert.equal((await sending).kind, 'sent');
  s.close();
});

test('5xx is retried with exponential backoff and jitter until accepted', async () => {
  const sub = mock.subscribe();
  mock.script(sub.id, { status: 503 }, { status: 500 }, { status: 502 });
  const { s, retries, retried } = sender();
  let waiting = retried();
  const sending = s.send(recipient(sub), 'x', { ttlSeconds: 600 });
  for (const expected of [500, 1000, 2000]) {
    await waiting;
    waiting = retried();
    assert.equal(retries.at(-1)?.delayMs, expected, 'random 0.5 of a ceiling doubling from 1 s');
    await clock.advance(expected);
  }
  const outcome = await sending;
  assert.equal(outcome.kind, 'sent');
  assert.equal(outcome.attempts, 4);
  assert.deepEqual(retries.map((r) => r.status), [503, 500, 502]);
  s.close();
});

test('retries stop after maxAttempts, and when the TTL runs out first; both count as failed', async () => {
  const sub = mock.subscribe();
  mock.script(sub.id, { status: 500 }, { status: 500 }, { status: 500 });
  const { s, retried } = sender({ retry: { maxAttempts: 2 } });
  const waiting = retried();
  const sending = s.send(recipient(sub), 'x', { ttlSeconds: 600 });
  await waiting;
  await clock.advance(500);
  const outcome = await sending;
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /answered 500.*gave up after 2 attempts/);

  const short = mock.subscribe();
  mock.script(short.id, { status: 429, headers: { 'retry-after': '120' } });
  const expired = await s.send(recipient(short), 'x', { ttlSeconds: 60 });
  assert.equal(expired.kind, 'failed');
  assert.match(expired.kind === 'failed' ? expired.message : '', /TTL of 60 s runs out/);
  assert.equal(s.stats().failed, 2);
  s.close();
});

test('413 from the push service is too-large and not retried; a payload over 3993 bytes is refused before sending', async () => {
  const sub = mock.subscribe();
  mock.script(sub.id, { status: 413 });
  const { s, retries } = sender();
  const answered = await s.send(recipient(sub), 'x', { ttlSeconds: 60 });
  assert.equal(answered.kind, 'too-large');
  const before = mock.requests;
  const local = await s.send(recipient(sub), 'x'.repeat(3994), { ttlSeconds: 60 });
  assert.equal(local.kind, 'too-large');
  assert.equal(local.attempts, 0);
  assert.match(local.kind === 'too-large' ? local.message : '', /at most 3993 bytes/);
  assert.equal(mock.requests, before, 'nothing was sent');
  assert.equal(retries.length, 0);
  assert.equal(s.stats()['too-large'], 2);
  s.close();
});

test('401/403 (VAPID refused) and 400 are rejected, not retried', async () => {
  const other = importVapidKeys(generateVapidKeys());
  const restricted = mock.subscribe({ applicationServerKey: other.publicKey });
  const { s, retries } = sender();
  const outcome = await s.send(recipient(restricted), 'x', { ttlSeconds: 60 });
  assert.equal(outcome.kind, 'rejected');
  assert.ok(outcome.kind === 'rejected' && outcome.status === 403 && /not the key this subscription was made with/.test(outcome.message));
  const bad = mock.subscribe();
  mock.script(bad.id, { status: 400, body: '{"errno":111}' });
  assert.equal((await s.send(recipient(bad), 'x', { ttlSeconds: 60 })).kind, 'rejected');
  assert.equal(retries.length, 0);
  assert.equal(s.stats().rejected, 2);
  s.close();
});

test('a network error is retried like a 5xx', async () => {
  const sub = mock.subscribe();
  const closedPort: PushRecipient = { ...recipient(sub), endpoint: new URL('http://127.0.0.1:9/push/nowhere') };
  const { s, retries, retried } = sender({ retry: { maxAttempts: 2 } });
  const waiting = retried();
  const sending = s.send(closedPort, 'x', { ttlSeconds: 60 });
  await waiting;
  assert.equal(retries[0]?.status, undefined);
  await clock.advance(500);
  const outcome = await sending;
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /ECONNREFUSED/);
  s.close();
});

test('an empty message (a tickle) has no body and no Content-Encoding', async () => {
  const sub = mock.subscribe();
  const { s } = sender();
  assert.equal((await s.send(recipient(sub), null, { ttlSeconds: 0 })).kind, 'sent');
  const [msg] = mock.received(sub.id);
  assert.equal(msg?.plaintext, null);
  assert.equal(msg?.headers['content-encoding'], undefined);
  assert.equal(msg?.headers['ttl'], '0');
  assert.equal(msg?.headers['urgency'], 'normal');
  s.close();
});

test('close ends a message waiting for its retry as failed', async () => {
  const sub = mock.subscribe();
  mock.script(sub.id, { status: 503 });
  const { s, retried } = sender();
  const waiting = retried();
  const sending = s.send(recipient(sub), 'x', { ttlSeconds: 600 });
  await waiting;
  s.close();
  const outcome = await sending;
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /closed/);
});

test('after close, a message that fails does not wait for a retry', async () => {
  const sub = mock.subscribe();
  mock.script(sub.id, { status: 503 });
  const { s, retries } = sender();
  s.close();
  const outcome = await s.send(recipient(sub), 'x', { ttlSeconds: 600 });
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /answered 503.*closed/);
  assert.equal(retries.length, 0);
  assert.equal(clock.pendingTimers, 0);
});

test('bad TTL and Topic values are programming errors', async () => {
  const sub = mock.subscribe();
  const { s } = sender();
  await assert.rejects(s.send(recipient(sub), 'x', { ttlSeconds: -1 }), /TTL/);
  await assert.rejects(s.send(recipient(sub), 'x', { ttlSeconds: 1, topic: 'has spaces' }), /Topic/);
  await assert.rejects(s.send(recipient(sub), 'x', { ttlSeconds: 1, topic: 'a'.repeat(33) }), /Topic/);
  s.close();
});

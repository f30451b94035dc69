/**
 * AWS_LAMBDA in the authenticator, with the authorizer function as a recording fake on a virtual
 * clock: AppSync's routing of the Authorization header, the event, the response's reading, the
 * cache, the 10 s limit. End to end (real server, app function, sockets): test/integration/lambda-auth.test.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator, createDevIssuer, createLambdaAuthorizer, LAMBDA_AUTHORIZER_TIMEOUT_MS } from '../../src/auth/index.ts';
import type { AuthenticatorConfig, AuthRequest, LambdaAuthorizerEvent } from '../../src/auth/index.ts';
import { VirtualClock } from '../../src/core/index.ts';
import { asAuthRequest, referenceSign } from './smithy-signer.ts';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const GUEST_KEY = 'cd'.repeat(32);
const UNAUTHORIZED = { ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' };
const BODY = JSON.stringify({ query: 'query Q($id: ID!) { get(id: $id) { id } }', operationName: 'Q', variables: { id: '7' } });

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** An authorizer function that records its events and answers what `answer` says. */
function fakeAuthorizer(answer: (event: LambdaAuthorizerEvent) => unknown = () => ({ isAuthorized: true, resolverContext: { ok: 1 } })) {
  const events: LambdaAuthorizerEvent[] = [];
  return {
    events,
    invoke: async (event: LambdaAuthorizerEvent) => {
      events.push(event);
      return answer(event);
    },
  };
}

function lambdaConfig(overrides: Partial<AuthenticatorConfig> = {}): AuthenticatorConfig {
  return { defaultMode: 'AWS_LAMBDA', additionalModes: [], apiKeys: [{ key: 'da2-key' }], accessKeys: [{ accessKeyId: 'AKIDSERVICE', secretAccessKey: 'service-secret' }], lambda: { resultTtlSeconds: 0 }, ...overrides };
}

function tokenRequest(token: string, body = BODY): AuthRequest {
  return { method: 'POST', path: '/graphql', headers: { host: 'localhost', authorization: token, 'x-custom': 'yes' }, body, sourceIp: '127.0.0.1' };
}

test('an authorized token gives mode AWS_LAMBDA and identity {resolverContext}; the event is AppSync-shaped', async () => {
  const fake = fakeAuthorizer(() => ({ isAuthorized: true, resolverContext: { user: 'ann', n: 2 } }));
  const auth = createAuthenticator({ auth: lambdaConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  assert.deepEqual(await auth.authenticate(tokenRequest('tok-1')), { ok: true, auth: { mode: 'AWS_LAMBDA', identity: { resolverContext: { user: 'ann', n: 2 } } } });
  const event = fake.events[0];
  assert.equal(event?.authorizationToken, 'tok-1');
  assert.deepEqual({ ...event?.requestContext, requestId: 'x' }, {
    apiId: 'switchboard',
    accountId: '000000000000',
    requestId: 'x',
    queryString: 'query Q($id: ID!) { get(id: $id) { id } }',
    operationName: 'Q',
    variables: { id: '7' },
  });
  assert.deepEqual(event?.requestHeaders, { host: 'localhost', authorization: 'tok-1', 'x-custom': 'yes' });
});

test('no resolverContext is an empty one; a request naming no operation has no operationName and {} variables', async () => {
  const fake = fakeAuthorizer(() => ({ isAuthorized: true }));
  const auth = createAuthenticator({ auth: lambdaConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  assert.deepEqual(await auth.authenticate(tokenRequest('t', '{"query":"{ a }"}')), { ok: true, auth: { mode: 'AWS_LAMBDA', identity: { resolverContext: {} } } });
  assert.equal('operationName' in (fake.events[0]?.requestContext ?? {}), false);
  assert.deepEqual(fake.events[0]?.requestContext.variables, {});
});

test("a GET request's operation comes from its query string; a connect's body {} gives an empty queryString", async () => {
  const fake = fakeAuthorizer();
  const auth = createAuthenticator({ auth: lambdaConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  const query = new URLSearchParams({ query: '{ a }', operationName: 'A', variables: '{"x":1}' }).toString();
  await auth.authenticate({ method: 'GET', path: `/graphql?${query}`, headers: { authorization: 'get' }, body: '', sourceIp: '127.0.0.1' });
  await auth.authenticate({ method: 'POST', path: '/graphql/connect', headers: { authorization: 'connect' }, body: '{}', sourceIp: '127.0.0.1' });
  assert.deepEqual(
    fake.events.map((e) => [e.requestContext.queryString, e.requestContext.operationName, e.requestContext.variables]),
    [
      ['{ a }', 'A', { x: 1 }],
      ['', undefined, {}],
    ],
  );
});

test('isAuthorized false, a throw, and every malformed response refuse the call with AppSync\'s text', async () => {
  const answers: unknown[] = [
    { isAuthorized: false, resolverContext: { a: 1 } },
    null,
    'yes',
    [],
    {},
    { isAuthorized: 'true' },
    { isAuthorized: true, resolverContext: ['a'] },
    { isAuthorized: true, resolverContext: 'ctx' },
    { isAuthorized: true, deniedFields: 'Query.a' },
    { isAuthorized: true, deniedFields: [1] },
    { isAuthorized: true, ttlOverride: -1 },
    { isAuthorized: true, ttlOverride: '60' },
  ];
  let i = 0;
  const fake = fakeAuthorizer(() => answers[i++]);
  const auth = createAuthenticator({ auth: lambdaConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  for (const answer of answers) assert.deepEqual(await auth.authenticate(tokenRequest('t')), UNAUTHORIZED, JSON.stringify(answer));
  const throwing = createAuthenticator({
    auth: lambdaConfig(),
    clock: new VirtualClock(START),
    guestKey: GUEST_KEY,
    lambdaAuthorizer: async () => {
      throw new Error('boom');
    },
  });
  assert.deepEqual(await throwing.authenticate(tokenRequest('t')), UNAUTHORIZED);
});

test('a malformed response or a throw is not cached; the next call invokes the function again', async () => {
  let calls = 0;
  const auth = createAuthenticator({
    auth: lambdaConfig({ lambda: { resultTtlSeconds: 300 } }),
    clock: new VirtualClock(START),
    guestKey: GUEST_KEY,
    lambdaAuthorizer: async () => {
      calls++;
      if (calls === 1) throw new Error('first call fails');
      return calls === 2 ? { isAuthorized: 'maybe' } : { isAuthorized: true };
    },
  });
  assert.equal((await auth.authenticate(tokenRequest('t'))).ok, false);
  assert.equal((await auth.authenticate(tokenRequest('t'))).ok, false);
  assert.equal((await auth.authenticate(tokenRequest('t'))).ok, true);
  assert.equal((await auth.authenticate(tokenRequest('t'))).ok, true);
  assert.equal(calls, 3);
});

test('deniedFields: Type.field as is, field ARNs of this API shortened, other ARNs and other strings dropped', async () => {
  const fake = fakeAuthorizer(() => ({
    isAuthorized: true,
    deniedFields: [
      'Query.secret',
      'arn:aws:appsync:eu-west-1:111122223333:apis/my-api/types/Mutation/fields/drop',
      'arn:aws:appsync:eu-west-1:111122223333:apis/another-api/types/Query/fields/hello',
      'not a field',
      'arn:aws:appsync:eu-west-1:111122223333:apis/my-api/types/Query',
    ],
  }));
  const auth = createAuthenticator({ auth: lambdaConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke, apiId: 'my-api' });
  const outcome = await auth.authenticate(tokenRequest('t'));
  assert.ok(outcome.ok);
  assert.deepEqual(outcome.auth.deniedFields, ['Query.secret', 'Mutation.drop']);
  assert.equal(fake.events[0]?.requestContext.apiId, 'my-api');
  const none = createAuthenticator({ auth: lambdaConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fakeAuthorizer(() => ({ isAuthorized: true, deniedFields: [] })).invoke });
  const plain = await none.authenticate(tokenRequest('t'));
  assert.ok(plain.ok);
  assert.equal('deniedFields' in plain.auth, false);
});

test('the cache is keyed by the token alone and lasts resultTtlSeconds, or ttlOverride when given', async () => {
  const clock = new VirtualClock(START);
  const fake = fakeAuthorizer((e) => (e.authorizationToken === 'long' ? { isAuthorized: true, ttlOverride: 3600 } : { isAuthorized: true }));
  const auth = createAuthenticator({ auth: lambdaConfig({ lambda: { resultTtlSeconds: 60 } }), clock, guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  await auth.authenticate(tokenRequest('a', '{"query":"{ one }"}'));
  await auth.authenticate(tokenRequest('a', '{"query":"{ two }"}'));
  await auth.authenticate(tokenRequest('long'));
  assert.deepEqual(fake.events.map((e) => e.authorizationToken), ['a', 'long']);
  await clock.advance(59_999);
  await auth.authenticate(tokenRequest('a'));
  assert.equal(fake.events.length, 2);
  await clock.advance(1);
  await auth.authenticate(tokenRequest('a'));
  await auth.authenticate(tokenRequest('long'));
  assert.deepEqual(fake.events.map((e) => e.authorizationToken), ['a', 'long', 'a']);
  await clock.advance(3_600_000);
  await auth.authenticate(tokenRequest('long'));
  assert.deepEqual(fake.events.map((e) => e.authorizationToken), ['a', 'long', 'a', 'long']);
});

test('resultTtlSeconds 0 invokes the function for every request', async () => {
  const fake = fakeAuthorizer();
  const auth = createAuthenticator({ auth: lambdaConfig({ lambda: { resultTtlSeconds: 0 } }), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  for (let i = 0; i < 3; i++) await auth.authenticate(tokenRequest('t'));
  assert.equal(fake.events.length, 3);
});

test('the cache holds at most maxCachedTokens tokens; the oldest goes first', async () => {
  const clock = new VirtualClock(START);
  const fake = fakeAuthorizer();
  const authorizer = createLambdaAuthorizer({ invoke: fake.invoke, clock, resultTtlSeconds: 300, apiId: 'switchboard', accountId: '000000000000', maxCachedTokens: 2 });
  for (const token of ['a', 'b', 'c', 'b', 'c', 'a']) await authorizer.authorize(token, tokenRequest(token));
  // a, b, c invoked; c evicted a; b and c hit; a invoked again (and evicts b).
  assert.deepEqual(fake.events.map((e) => e.authorizationToken), ['a', 'b', 'c', 'a']);
  await authorizer.authorize('c', tokenRequest('c'));
  await authorizer.authorize('b', tokenRequest('b'));
  assert.deepEqual(fake.events.map((e) => e.authorizationToken), ['a', 'b', 'c', 'a', 'b']);
});

test('identityValidationExpression must match the whole token; a mismatch never reaches the function', async () => {
  const fake = fakeAuthorizer();
  const auth = createAuthenticator({ auth: lambdaConfig({ lambda: { resultTtlSeconds: 0, identityValidationExpression: 'custom-\\d+' } }), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  assert.equal((await auth.authenticate(tokenRequest('custom-42'))).ok, true);
  for (const token of ['custom-x', 'xcustom-42', 'custom-42x', 'Bearer custom-42']) assert.deepEqual(await auth.authenticate(tokenRequest(token)), UNAUTHORIZED, token);
  assert.deepEqual(fake.events.map((e) => e.authorizationToken), ['custom-42']);
});

test('an authorizer that does not answer within 10 s refuses the call', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: lambdaConfig(), clock, guestKey: GUEST_KEY, lambdaAuthorizer: () => new Promise(() => undefined) });
  let settled: unknown;
  const pending = auth.authenticate(tokenRequest('slow')).then((o) => (settled = o));
  await clock.advance(LAMBDA_AUTHORIZER_TIMEOUT_MS - 1);
  assert.equal(settled, undefined);
  await clock.advance(1);
  await pending;
  assert.deepEqual(settled, UNAUTHORIZED);
  // An answer in time leaves no timer behind.
  const quick = createAuthenticator({ auth: lambdaConfig(), clock, guestKey: GUEST_KEY, lambdaAuthorizer: async () => ({ isAuthorized: true }) });
  const timers = clock.pendingTimers;
  assert.equal((await quick.authenticate(tokenRequest('quick'))).ok, true);
  assert.equal(clock.pendingTimers, timers);
});

test('routing: a SigV4 header goes to IAM when IAM is on, and is a Lambda token when IAM is off', async () => {
  const signed = await referenceSign({ accessKeyId: 'AKIDSERVICE', secretAccessKey: 'service-secret', now: START, body: BODY });
  const withIam = fakeAuthorizer();
  const iamOn = createAuthenticator({ auth: lambdaConfig({ additionalModes: ['AWS_IAM'] }), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: withIam.invoke });
  const outcome = await iamOn.authenticate(asAuthRequest(signed, { body: BODY }));
  assert.equal(outcome.ok && outcome.auth.mode, 'AWS_IAM');
  assert.equal(withIam.events.length, 0);

  const withoutIam = fakeAuthorizer();
  const iamOff = createAuthenticator({ auth: lambdaConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: withoutIam.invoke });
  const asToken = await iamOff.authenticate(asAuthRequest(signed, { body: BODY }));
  assert.equal(asToken.ok && asToken.auth.mode, 'AWS_LAMBDA');
  assert.equal(withoutIam.events[0]?.authorizationToken, signed['authorization']);
});

test('routing: a JWT goes to the user pool when that mode is on, and is a Lambda token otherwise', async () => {
  const clock = new VirtualClock(START);
  const dir = await mkdtemp(join(tmpdir(), 'sb-lambda-jwt-'));
  dirs.push(dir);
  const dev = await createDevIssuer({ keyFile: join(dir, 'key.json'), clock });
  const { token } = await dev.mint({ username: 'ann', groups: [] });

  const poolOn = fakeAuthorizer();
  const withPool = createAuthenticator({ auth: lambdaConfig({ additionalModes: ['AMAZON_COGNITO_USER_POOLS'] }), clock, devIssuer: dev, guestKey: GUEST_KEY, lambdaAuthorizer: poolOn.invoke });
  const pool = await withPool.authenticate(tokenRequest(token));
  assert.equal(pool.ok && pool.auth.mode, 'AMAZON_COGNITO_USER_POOLS');
  assert.equal(poolOn.events.length, 0);

  const poolOff = fakeAuthorizer();
  const withoutPool = createAuthenticator({ auth: lambdaConfig(), clock, devIssuer: dev, guestKey: GUEST_KEY, lambdaAuthorizer: poolOff.invoke });
  const lambda = await withoutPool.authenticate(tokenRequest(token));
  assert.equal(lambda.ok && lambda.auth.mode, 'AWS_LAMBDA');
  assert.equal(poolOff.events[0]?.authorizationToken, token);
});

test('routing: x-api-key selects API_KEY when enabled; an Authorization token with AWS_LAMBDA off is not sent anywhere', async () => {
  const fake = fakeAuthorizer();
  const auth = createAuthenticator({ auth: lambdaConfig({ additionalModes: ['API_KEY'] }), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: fake.invoke });
  const key = await auth.authenticate({ method: 'POST', path: '/graphql', headers: { 'x-api-key': 'da2-key' }, body: BODY, sourceIp: '127.0.0.1' });
  assert.equal(key.ok && key.auth.mode, 'API_KEY');
  assert.equal(fake.events.length, 0);

  const off = fakeAuthorizer();
  const apiKeyOnly = createAuthenticator({ auth: lambdaConfig({ defaultMode: 'API_KEY' }), clock: new VirtualClock(START), guestKey: GUEST_KEY, lambdaAuthorizer: off.invoke });
  assert.deepEqual(await apiKeyOnly.authenticate(tokenRequest('opaque')), UNAUTHORIZED);
  assert.equal(off.events.length, 0);
});

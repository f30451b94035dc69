/** Subscriptions may only point at allowed push services (an SSRF guard): origin patterns with `*.` hosts and `*` ports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileEndpointAllowList, DEFAULT_PUSH_SERVICES } from '../../src/push/index.ts';

test('the default list admits the browsers\' push services over https only', () => {
  const allowed = compileEndpointAllowList(DEFAULT_PUSH_SERVICES);
  for (const ok of [
    'https://fcm.googleapis.com/fcm/send/abc',
    'https://updates.push.services.mozilla.com/wpush/v2/abc',
    'https://web.push.apple.com/QGx',
    'https://wns2-par02p.notify.windows.com/w/?token=abc',
  ]) assert.ok(allowed(new URL(ok)), ok);
  for (const refused of [
    'http://fcm.googleapis.com/fcm/send/abc',
    'https://googleapis.com.evil.dev/x',
    'https://evilgoogleapis.com/x',
    'https://127.0.0.1/x',
    'https://fcm.googleapis.com:8443/x',
    'https://user:pw@fcm.googleapis.com/x',
  ]) assert.equal(allowed(new URL(refused)), false, refused);
});

test('patterns: exact hosts, any port, default ports', () => {
  const allowed = compileEndpointAllowList(['http://127.0.0.1:*', 'https://push.acme-foods.com', 'https://*.acme-foods.com:8443']);
  assert.ok(allowed(new URL('http://127.0.0.1:9999/push/x')));
  assert.ok(allowed(new URL('http://127.0.0.1/push/x')));
  assert.ok(allowed(new URL('https://push.acme-foods.com/x')));
  assert.ok(allowed(new URL('https://push.acme-foods.com:443/x')));
  assert.equal(allowed(new URL('https://push.acme-foods.com:444/x')), false);
  assert.ok(allowed(new URL('https://a.b.acme-foods.com:8443/x')));
  assert.equal(allowed(new URL('https://acme-foods.com:8443/x')), false, '*. needs a subdomain');
  assert.equal(allowed(new URL('http://localhost:9999/x')), false);
  assert.throws(() => compileEndpointAllowList(['fcm.googleapis.com']), /not an origin pattern/);
});

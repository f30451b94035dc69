/** The Prometheus registry: a series resolved once counts in the same series as labelled calls. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry } from '../../src/server/metrics.ts';

test('a gauge series resolved once moves the same series as inc/dec with those labels, and shows from creation', () => {
  const registry = new MetricsRegistry();
  const gauge = registry.gauge('open_things', 'Open things.');
  const appsync = gauge.series({ protocol: 'appsync' });
  gauge.series({ protocol: 'transport-ws' });
  appsync.inc();
  appsync.inc(2);
  gauge.dec({ protocol: 'appsync' });
  appsync.dec();
  gauge.inc({ protocol: 'appsync' }, 5);
  const text = registry.render();
  assert.match(text, /^open_things\{protocol="appsync"\} 6$/m);
  assert.match(text, /^open_things\{protocol="transport-ws"\} 0$/m);
});

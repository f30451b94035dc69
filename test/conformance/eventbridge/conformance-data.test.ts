/** The conformance suites skip with a reason when the shared data is absent, and fail on CI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadData } from './conformance-data.ts';

test('a missing data file gives a skip reason outside CI and an error on CI', () => {
  const saved = process.env['CI'];
  try {
    delete process.env['CI'];
    const missing = loadData('no-such-file.json');
    assert.equal(missing.data, undefined);
    assert.match(String(missing.skip), /conformance data not found at .*no-such-file\.json/);
    process.env['CI'] = 'true';
    assert.throws(() => loadData('no-such-file.json'), /CI requires it/);
  } finally {
    if (saved === undefined) delete process.env['CI'];
    else process.env['CI'] = saved;
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '../../src/core/index.ts';

test('docs/errors.md lists every error code and no code that does not exist', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Set([...doc.matchAll(/^## (SB_[A-Z_]+)/gm)].map((m) => m[1]));
  const defined = new Set(Object.keys(ERROR_CODES));
  assert.deepEqual([...defined].filter((c) => !documented.has(c)), [], 'codes missing from docs/errors.md');
  assert.deepEqual([...documented].filter((c) => !defined.has(c as string)), [], 'docs/errors.md lists codes that do not exist');
});

/**
 * Rules of the structured logger (src/core/log.ts): one JSON line per call, levels filter, and a
 * warning or error repeated within the window is counted, not written, the next line written
 * saying how many were left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/core/index.ts';

function capture(repeatWindowMs?: number): { lines: Record<string, unknown>[]; clock: { t: number }; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const clock = { t: Date.parse('2026-12-05T00:00:00.000Z') };
  const logger = createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>), now: () => clock.t, ...(repeatWindowMs !== undefined ? { repeatWindowMs } : {}) });
  return { lines, clock, logger };
}

test('each call is one JSON line with time, level, message and fields; below the level nothing is written', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', write: (l) => lines.push(l), now: () => 0 });
  logger.log('info', 'not written');
  logger.child({ node: 'n1' }).log('warn', 'written', { bus: 'default' });
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [{ time: '1970-01-01T00:00:00.000Z', level: 'warn', msg: 'written', node: 'n1', bus: 'default' }]);
});

test('an error repeated within the window is counted, and the next one written after it says how many were left out', () => {
  const { lines, clock, logger } = capture();
  const down = (): Error => new Error('connect ECONNREFUSED 127.0.0.1:5432');
  for (let i = 0; i < 30; i++) {
    logger.log('error', 'event bus dispatch failed; retried on the next poll', { bus: 'default', error: down() });
    clock.t += 100; // 3 s of retries
  }
  assert.equal(lines.length, 1, 'one line for 30 failures within 5 s');
  clock.t += 2_500;
  logger.log('error', 'event bus dispatch failed; retried on the next poll', { bus: 'default', error: down() });
  assert.equal(lines.length, 2);
  assert.equal(lines[1]?.['repeated'], 29);
  assert.equal((lines[1]?.['error'] as { message: string }).message, 'connect ECONNREFUSED 127.0.0.1:5432');
});

test('repeats are counted per message and error text, across a logger and its children; info lines are never condensed', () => {
  const { lines, logger } = capture();
  const child = logger.child({ node: 'n1' });
  logger.log('error', 'dispatch failed', { error: new Error('a') });
  child.log('error', 'dispatch failed', { error: new Error('a') });
  child.log('error', 'dispatch failed', { error: new Error('b') });
  logger.log('warn', 'relay failed', { error: new Error('a') });
  logger.log('info', 'http', { status: 200 });
  logger.log('info', 'http', { status: 200 });
  assert.deepEqual(lines.map((l) => `${l['msg']} ${(l['error'] as { message?: string } | undefined)?.message ?? ''}`), ['dispatch failed a', 'dispatch failed b', 'relay failed a', 'http ', 'http ']);
});

test('repeatWindowMs 0 writes every line', () => {
  const { lines, logger } = capture(0);
  for (let i = 0; i < 3; i++) logger.log('error', 'same', { error: new Error('x') });
  assert.equal(lines.length, 3);
});

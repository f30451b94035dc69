/**
 * The console's state-graph layout and execution progress (console/src/asl-graph.ts,
 * execution-status.ts): pure functions, tested without a browser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutMachine, type AslMachine, type LaidGraph } from '../../console/src/asl-graph.ts';
import { executionProgress, transitionKey } from '../../console/src/execution-status.ts';
import type { HistoryEvent } from '../../console/src/types.ts';

const node = (g: LaidGraph, name: string) => {
  const n = g.nodes.find((x) => x.name === name);
  assert.ok(n, name);
  return n;
};

test('a chain is laid out top to bottom, one state per layer, with the start marker above the first', () => {
  const g = layoutMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Wait', Next: 'C' }, C: { Type: 'Succeed' } } });
  assert.ok(node(g, 'A').y < node(g, 'B').y && node(g, 'B').y < node(g, 'C').y);
  assert.equal(node(g, 'A').x, node(g, 'C').x);
  assert.equal(node(g, 'C').terminal, true);
  assert.ok(g.start !== undefined && g.start.y < node(g, 'A').y);
  assert.deepEqual(g.edges.map((e) => [e.from, e.to, e.kind]), [['A', 'B', 'next'], ['B', 'C', 'next']]);
});

test('Choice rules, Default and Catch are labelled edges; branches that meet again go one layer below both', () => {
  const machine: AslMachine = {
    StartAt: 'Pick',
    States: {
      Pick: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' },
      Big: { Type: 'Task', Next: 'Long', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }] },
      Long: { Type: 'Pass', Next: 'Join' },
      Small: { Type: 'Pass', Next: 'Join' },
      Handle: { Type: 'Fail' },
      Join: { Type: 'Succeed' },
    },
  };
  const g = layoutMachine(machine);
  const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
  assert.equal(edge('Pick', 'Big')?.label, '$.n NumericGreaterThan 1');
  assert.equal(edge('Pick', 'Small')?.kind, 'default');
  assert.equal(edge('Big', 'Handle')?.label, 'catch States.ALL');
  // Longest path: Join sits below Long (Pick → Big → Long → Join), not beside Small.
  assert.ok(node(g, 'Join').y > node(g, 'Long').y);
  assert.equal(node(g, 'Big').y, node(g, 'Small').y);
  for (const n of g.nodes) assert.ok(n.x >= 0 && n.x + n.width <= g.width && n.y + n.height <= g.height, n.name);
});

test('a loop back is drawn around the right-hand side, and the graph is widened for it', () => {
  const g = layoutMachine({ StartAt: 'Poll', States: { Poll: { Type: 'Task', Next: 'Done?' }, 'Done?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'End' }], Default: 'Poll' }, End: { Type: 'Succeed' } } });
  assert.ok(node(g, 'Poll').y < node(g, 'Done?').y, 'the back edge does not pull Poll down');
  const back = g.edges.find((e) => e.from === 'Done?' && e.to === 'Poll');
  const rightmost = Math.max(...g.nodes.map((n) => n.x + n.width));
  assert.ok(back !== undefined && back.labelX > rightmost, back?.path);
  assert.ok(g.width > rightmost + 20);
});

test('a Parallel state holds its branches side by side and a Map state its item processor', () => {
  const g = layoutMachine({
    StartAt: 'Both',
    States: {
      Both: { Type: 'Parallel', Branches: [{ StartAt: 'L', States: { L: { Type: 'Pass', End: true } } }, { StartAt: 'R1', States: { R1: { Type: 'Pass', Next: 'R2' }, R2: { Type: 'Pass', End: true } } }], Next: 'Each' },
      Each: { Type: 'Map', ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } }, End: true },
    },
  });
  const both = node(g, 'Both');
  assert.equal(both.inner.length, 2);
  const [left, right] = both.inner;
  assert.ok(left !== undefined && right !== undefined && left.dx + left.graph.width <= right.dx, 'side by side');
  assert.ok(both.width >= left.graph.width + right.graph.width && both.height > right.graph.height);
  assert.deepEqual(node(g, 'Each').inner.map((i) => i.graph.nodes.map((n) => n.name)), [['Item']]);
});

const ev = (id: number, type: string, name?: string): HistoryEvent => ({
  id,
  previousEventId: id - 1,
  timestamp: id,
  type,
  ...(name === undefined ? {} : { [type.endsWith('Exited') ? 'stateExitedEventDetails' : 'stateEnteredEventDetails']: { name } }),
});

test('progress: exited states succeeded, the open one runs, a caught failure is recovered, transitions are exit → next entry', () => {
  const history = [
    ev(1, 'ExecutionStarted'),
    ev(2, 'TaskStateEntered', 'Big'),
    ev(3, 'TaskFailed'),
    ev(4, 'TaskStateExited', 'Big'),
    ev(5, 'PassStateEntered', 'Handle'),
    ev(6, 'PassStateExited', 'Handle'),
    ev(7, 'WaitStateEntered', 'Later'),
  ];
  const running = executionProgress(history, 'RUNNING');
  assert.deepEqual(Object.fromEntries(running.statuses), { Big: 'recovered', Handle: 'succeeded', Later: 'running' });
  assert.deepEqual([...running.transitions], [transitionKey('Big', 'Handle'), transitionKey('Handle', 'Later')]);
  const failed = executionProgress([...history, ev(8, 'ExecutionFailed')], 'FAILED');
  assert.equal(failed.statuses.get('Later'), 'failed');
  assert.equal(executionProgress([...history, ev(8, 'ExecutionAborted')], 'ABORTED').statuses.get('Later'), 'aborted');
});

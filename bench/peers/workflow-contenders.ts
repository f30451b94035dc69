/**
 * The contenders of bench/workflows, each able to run one execution of a bench machine with a
 * given id: our engine as Standard (durable, SQLite in a temp folder) or Express (in memory)
 * executions, the peer `aws-local-stepfunctions`, and the interpreter driven by a bare loop. Every
 * Task state calls `work`, in process. Also the two measurements: throughput and transition
 * latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '../../src/core/index.ts';
import { openThreadedSqliteWorkflowStore, type StoredStateMachine } from '../../src/storage/index.ts';
import { createWorkflowEngine, TaskFailure } from '../../src/workflows/index.ts';
import { peerMachine } from './local-stepfunctions-peer.ts';
import { interpreterLoop } from './interpreter-loop.ts';
import type { BenchMachine } from './workflow-machines.ts';

export const CONTENDERS = ['peer', 'express', 'standard', 'interpreter'] as const;
export type ContenderKind = (typeof CONTENDERS)[number];
export type Run = (id: number) => Promise<unknown>;

export interface Contender {
  readonly run: Run;
  close(): Promise<void>;
}

/** Records, while on, the gaps between one execution's consecutive task calls. */
const probe = { on: false, lastReturn: new Map<number, number>(), gaps: [] as number[] };

/** The task handler of every contender. */
export function work(input: unknown): unknown {
  const id = (input as { id: number }).id;
  if (probe.on) {
    const last = probe.lastReturn.get(id);
    if (last !== undefined) probe.gaps.push(performance.now() - last);
  }
  const out = { ok: true, id };
  if (probe.on) probe.lastReturn.set(id, performance.now());
  return out;
}

export async function createContender(kind: ContenderKind, machine: BenchMachine): Promise<Contender> {
  if (kind === 'peer') {
    const peer = peerMachine(machine.definition, machine.taskStates, work);
    return { run: (id) => peer.run({ id }), close: async () => undefined };
  }
  if (kind === 'interpreter') {
    const loop = interpreterLoop(machine.definition, work);
    return { run: (id) => loop({ id }), close: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-workflows-'));
  const store = openThreadedSqliteWorkflowStore({ path: join(dir, 'workflows.db') });
  const engine = createWorkflowEngine({
    store,
    clock: systemClock,
    logger: silentLogger,
    scope: () => ({ region: 'us-east-1', accountId: '000000000000' }),
    ports: {
      invokeFunction: async (_name, payload) => work(payload) as never,
      putEvents: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no bus in this bench')),
      startExecution: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no child executions in this bench')),
    },
  });
  await engine.start();
  const type = kind === 'standard' ? 'STANDARD' : 'EXPRESS';
  const stored: StoredStateMachine = { name: machine.name, definition: JSON.stringify(machine.definition), roleArn: 'arn:aws:iam::000000000000:role/bench', type, createdAt: 0, updatedAt: 0, revision: 1 };
  return {
    async run(id) {
      const done = await engine.startSyncExecution(stored, { input: JSON.stringify({ id }) });
      if (done.status !== 'SUCCEEDED') throw new Error(`${type} execution ${done.status}: ${done.error ?? ''} ${done.cause ?? ''}`);
      return JSON.parse(done.output ?? 'null');
    },
    async close() {
      await engine.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Executions per second with `inFlight` at once. */
export async function throughput(run: Run, count: number, inFlight: number, firstId: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) await run(firstId + next++);
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

/** p50 and p99 of one transition in µs: executions one at a time, task-to-task gaps / transitions. */
export async function transitionLatency(run: Run, machine: BenchMachine, executions: number, firstId: number): Promise<{ p50: number; p99: number }> {
  probe.on = true;
  probe.gaps = [];
  probe.lastReturn.clear();
  for (let i = 0; i < executions; i++) await run(firstId + i);
  probe.on = false;
  const sorted = probe.gaps.map((ms) => (ms * 1000) / machine.transitionsBetweenTasks).sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

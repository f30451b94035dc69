/**
 * bench/workflows: executions per second of a 3-state and a 20-state machine (Pass, Choice and
 * Task states; every Task calls an in-process handler), run by our engine as Standard executions
 * (durable: each step committed to SQLite in a temp folder — WAL, synchronous=NORMAL, the server's
 * default, which survives kill -9 — before its task starts; as in the server, the store's file is
 * written by a thread of its own, so the run uses a second core) and as Express executions (in memory),
 * beside the peer `aws-local-stepfunctions` 3.0.0 (in memory, `new StateMachine(definition).run(input)`)
 * on the same definitions in the same run. WORKFLOW_IN_FLIGHT executions run at once for every
 * contender (default 100). A fourth contender, the interpreter driven by a bare loop (no engine,
 * no history kept), shows the ceiling of any in-memory engine on this interpreter.
 *
 * Each measurement runs in a child process of its own (`peers/workflow-contender-main.ts`: warm-up,
 * then the measured run), so that contenders do not slow each other down through a shared heap and
 * shared call sites; rounds interleave the contenders; figures are medians of the rounds.
 *
 * CPU per execution: the contender process's CPU time (all its threads) over the measured run,
 * divided by the executions; a Standard execution's includes the store's writer thread.
 *
 * Transition latency: executions of the 20-state machine one at a time; the time from a task's
 * handler returning to the next task's handler being called (Task → Pass → Choice → Task, three
 * transitions) divided by three; p99 over all such gaps.
 * Env: BENCH_ROUNDS (default 3), WORKFLOW_IN_FLIGHT (100), WORKFLOW_SCALE (1: 100,000 executions of
 * the 3-state machine and 20,000 of the 20-state one per measurement, after a warm-up of half as
 * many). They were 20,000 and 4,000: an Express or bare-loop measurement then lasted 60-150 ms,
 * too short for a steady state (the bare interpreter loop, the ceiling, measured anywhere from
 * 118k to 312k executions/s in three runs of the same hour, and at or below the engine built on it).
 */
import { spawn } from 'node:child_process';
import { deepStrictEqual } from 'node:assert/strict';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, printTable, type Row } from './lib/report.ts';
import type { ContenderKind } from './peers/workflow-contenders.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = Number(process.env.WORKFLOW_IN_FLIGHT ?? 100);
const SCALE = Number(process.env.WORKFLOW_SCALE ?? 1);
const EXECUTIONS = { '3': 100_000 * SCALE, '20': 20_000 * SCALE } as const;
const LATENCY_EXECUTIONS = 300;
const PEER = 'aws-local-stepfunctions 3.0.0';
const MAIN = fileURLToPath(new URL('./peers/workflow-contender-main.ts', import.meta.url));
const CONTENDERS: readonly ContenderKind[] = ['peer', 'express', 'standard', 'interpreter'];
const MACHINES = ['3', '20'] as const;
type States = (typeof MACHINES)[number];

interface Measurement {
  readonly output: unknown;
  readonly rate: number;
  /** CPU µs per execution, all the process's threads (a Standard execution uses the writer thread's too). */
  readonly cpuUs: number;
  readonly p50: number;
  readonly p99: number;
}

function measure(kind: ContenderKind, states: States): Promise<Measurement> {
  const latency = states === '20' && kind !== 'interpreter' ? LATENCY_EXECUTIONS : 0;
  const child = spawn(process.execPath, ['--import', './bin/typescript-loader.mjs', MAIN, kind, states, String(EXECUTIONS[states]), String(IN_FLIGHT), String(latency)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Measurement) : reject(new Error(`${kind} ${states}: exit ${code}\n${out}`))));
  });
}

export async function run(): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  const results = new Map<string, Measurement[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const states of MACHINES) {
      for (const kind of CONTENDERS) {
        const m = await measure(kind, states);
        const key = `${states} ${kind}`;
        (results.get(key) ?? results.set(key, []).get(key))?.push(m);
      }
    }
  }
  // Same definitions, same answers.
  for (const states of MACHINES) {
    const expected = results.get(`${states} peer`)?.[0]?.output;
    for (const kind of CONTENDERS) deepStrictEqual(results.get(`${states} ${kind}`)?.[0]?.output, expected, `${kind} output of the ${states}-state machine`);
  }

  const of = (states: States, kind: ContenderKind, field: 'rate' | 'cpuUs' | 'p50' | 'p99'): number => median((results.get(`${states} ${kind}`) ?? []).map((m) => m[field]));
  console.log(`${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before and ${(loadavg()[0] ?? NaN).toFixed(1)} after (other processes share the machine: figures move between runs; the ratios, measured interleaved, less so)`);
  console.log(`${IN_FLIGHT} executions in flight; per measurement ${EXECUTIONS['3']} executions of the 3-state machine, ${EXECUTIONS['20']} of the 20-state one; ${ROUNDS} rounds, each contender in its own process`);
  const rows: Row[] = [];
  for (const states of MACHINES) {
    const peer = of(states, 'peer', 'rate');
    rows.push({ metric: `executions/s, ${states} states, Express (in memory)`, ours: of(states, 'express', 'rate'), peer, peerName: PEER, better: 'higher', goal: '>= 5x the peer' });
    rows.push({ metric: `executions/s, ${states} states, Standard (durable, SQLite)`, ours: of(states, 'standard', 'rate'), peer, peerName: PEER, better: 'higher', goal: '>= 1x the in-memory peer' });
    rows.push({ metric: `executions/s, ${states} states, bare interpreter loop (Express ceiling)`, ours: of(states, 'interpreter', 'rate'), peer, peerName: PEER, better: 'higher' });
    // Standard runs on two threads (the event loop and the store's writer): its CPU per execution
    // beside the peer's single thread shows what the throughput ratio does not.
    rows.push({ metric: `CPU µs per execution, ${states} states, Standard (all threads)`, ours: of(states, 'standard', 'cpuUs'), peer: of(states, 'peer', 'cpuUs'), peerName: PEER, better: 'lower' });
    rows.push({ metric: `CPU µs per execution, ${states} states, Express`, ours: of(states, 'express', 'cpuUs'), peer: of(states, 'peer', 'cpuUs'), peerName: PEER, better: 'lower' });
  }
  const peerP99 = of('20', 'peer', 'p99');
  rows.push({ metric: 'transition latency p99 (µs), Express', ours: of('20', 'express', 'p99'), peer: peerP99, peerName: PEER, better: 'lower' });
  rows.push({ metric: 'transition latency p99 (µs), Standard', ours: of('20', 'standard', 'p99'), peer: peerP99, peerName: PEER, better: 'lower' });
  printTable('workflow executions, ours vs aws-local-stepfunctions, same run, medians', rows);
  console.log(`\ntransition latency p50 (µs): Express ${of('20', 'express', 'p50').toFixed(1)}, Standard ${of('20', 'standard', 'p50').toFixed(1)}, peer ${of('20', 'peer', 'p50').toFixed(1)}`);
  for (const states of MACHINES) {
    const peer = of(states, 'peer', 'rate');
    const express = of(states, 'express', 'rate') / peer;
    const standard = of(states, 'standard', 'rate') / peer;
    const share = of(states, 'express', 'rate') / of(states, 'interpreter', 'rate');
    console.log(
      `${states} states: Express ${express.toFixed(2)}x the peer (goal 5x: ${express >= 5 ? 'met' : 'NOT met'}; ${(share * 100).toFixed(0)}% of the bare interpreter loop), ` +
        `Standard ${standard.toFixed(2)}x (goal 1x: ${standard >= 1 ? 'met' : 'NOT met'})`,
    );
  }
}

/**
 * The workflow engine's promise across crashes: 1,000 executions of a Standard machine (Pass →
 * Task → Wait 1 s → Task → Succeed, both tasks calling the app's `functions/step.ts`) on the real
 * `switchboard start` process, which is killed with SIGKILL twice: once while the executions are
 * being started, once while they run (some finished, some waiting, some in a task). Each time it is
 * restarted on the same data directory. At the end every execution SUCCEEDED with the right output
 * and its history holds each transition exactly once. Side effects (the function calls) happen at
 * least once; repeats are counted and reported, not asserted.
 *
 * StartExecution calls that got no answer (in flight at the kill) are sent again after the restart
 * with the same name and input: idempotent while the execution runs, ExecutionAlreadyExists once it
 * has finished — either way it exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { REPO_ROOT, startSwitchboardProcess, type SwitchboardProcess } from '../support/server-process.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/workflow-crash');
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:CrashFlow';
const EXECUTIONS = 1_000;
const IN_FLIGHT = 16;
const FINISH_TIMEOUT_MS = 30_000;

const nameOf = (n: number): string => `crash-${n}`;
const expectedOutput = (n: number) => ({ n, stage: 'prepared', first: { value: 2 * n }, second: { value: 2 * n + 1 } });

/** The history of one run through the machine, once each: no step recorded twice, none missing. */
const EXPECTED_TYPES = [
  'ExecutionStarted',
  'PassStateEntered', 'PassStateExited',
  'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
  'WaitStateEntered', 'WaitStateExited',
  'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
  'SucceedStateEntered', 'SucceedStateExited',
  'ExecutionSucceeded',
];

const client = (proc: SwitchboardProcess): SFNClient => {
  const key = proc.credentials().accessKeys[0];
  assert.ok(key, 'the server wrote an access key to credentials.json');
  return new SFNClient({ endpoint: proc.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
};

/** Runs `work(item)` over `items` with IN_FLIGHT workers until `stopWhen`; answers the items never started. */
async function pool<T>(items: readonly T[], work: (item: T) => Promise<void>, stopWhen: () => boolean = () => false): Promise<T[]> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stopWhen()) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return items.slice(next);
}

type StartOutcome = 'started' | 'no-answer';

async function start(sfn: SFNClient, n: number): Promise<StartOutcome> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, name: nameOf(n), input: JSON.stringify({ n }) }));
    return 'started';
  } catch (error) {
    // Sent again after a kill: the execution was created then and has finished since.
    if ((error as Error).name === 'ExecutionAlreadyExists') return 'started';
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined) throw error;
    return 'no-answer';
  }
}

async function succeededCount(sfn: SFNClient): Promise<number> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE, statusFilter: 'SUCCEEDED', maxResults: 1000, ...(nextToken !== undefined ? { nextToken } : {}) }));
    count += page.executions?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return count;
}

/** The calls file as `<execution> <step>` → calls. */
function readCalls(file: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [execution, step] = line.split(' ');
    if (execution === undefined || step === undefined) continue;
    out.set(`${execution} ${step}`, (out.get(`${execution} ${step}`) ?? 0) + 1);
  }
  return out;
}

function checkHistory(n: number, events: readonly HistoryEvent[]): void {
  const where = `history of ${nameOf(n)}`;
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1), `${where}: event ids 1..${events.length}, none twice`);
  assert.deepEqual(events.map((e) => e.type), EXPECTED_TYPES, `${where}: each transition once`);
}

test('kill -9 twice while 1,000 executions with Wait and Task states run: all SUCCEEDED, each transition stored once', { timeout: 120_000 }, async (t) => {
  const began = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-crash-workflows-'));
  const file = join(dataDir, 'calls.log');
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { SB_WORKFLOW_CRASH_FILE: file };
  const phases: string[] = [];
  let mark = Date.now();
  const phase = (name: string): void => {
    phases.push(`${name} ${((Date.now() - mark) / 1000).toFixed(1)} s`);
    mark = Date.now();
  };

  let proc: SwitchboardProcess | undefined = await startSwitchboardProcess([APP], dataDir, 60_000, 'start', env);
  t.after(async () => proc?.kill9());
  phase('start');

  // Kill 1: while the executions are being started, after 35-45% of them were acknowledged. The
  // kill comes from a timer a few ms later, so that some StartExecution calls are in flight.
  const numbers = Array.from({ length: EXECUTIONS }, (_, n) => n);
  const started = new Set<number>();
  let pending: number[] = numbers;
  /** Starts what is pending until `stopWhen`; calls that got no answer stay pending. */
  const startPending = async (sfn: SFNClient, stopWhen: () => boolean = () => false): Promise<void> => {
    const unanswered: number[] = [];
    const notSent = await pool(
      pending,
      async (n) => {
        if ((await start(sfn, n)) === 'started') started.add(n);
        else unanswered.push(n);
      },
      stopWhen,
    );
    pending = [...unanswered, ...notSent];
  };
  const killAfter = Math.floor(EXECUTIONS * (0.35 + Math.random() * 0.1));
  let killing: Promise<void> | undefined;
  const first: SwitchboardProcess = proc;
  let sfn = client(first);
  await startPending(sfn, () => {
    if (started.size >= killAfter && killing === undefined) {
      const wait = 1 + Math.random() * 4;
      killing = new Promise((resolve) => setTimeout(resolve, wait)).then(() => first.kill9());
    }
    return killing !== undefined;
  });
  await killing;
  sfn.destroy();
  assert.ok(killing !== undefined && pending.length > 0, 'the server was killed while executions were being started');
  const atKill1 = { started: started.size, pending: pending.length, calls: [...readCalls(file).values()].reduce((a, b) => a + b, 0) };
  phase('start until kill 1');

  // Kill 2: while they run and the rest are being started, once every execution started before
  // kill 1 and 20-50% of the rest have finished: some finished, some waiting, some in a task, some
  // StartExecution calls in flight.
  proc = await startSwitchboardProcess([APP], dataDir, 60_000, 'start', env);
  phase('restart 1');
  const second: SwitchboardProcess = proc;
  sfn = client(second);
  const killAt = started.size + Math.floor((EXECUTIONS - started.size) * (0.2 + Math.random() * 0.3));
  let succeededAtKill2 = 0;
  let killed2 = false;
  const watcher = (async () => {
    const watch = client(second);
    while ((succeededAtKill2 = await succeededCount(watch)) < killAt) await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    watch.destroy();
    await second.kill9();
    killed2 = true;
  })();
  await startPending(sfn, () => killed2);
  await watcher;
  sfn.destroy();
  assert.ok(succeededAtKill2 < EXECUTIONS, 'the second kill came while executions were still running');
  const atKill2 = { started: started.size, pending: pending.length };
  phase('start and run until kill 2');

  proc = await startSwitchboardProcess([APP], dataDir, 60_000, 'start', env);
  sfn = client(proc);
  phase('restart 2');
  await startPending(sfn);
  assert.equal(pending.length, 0, 'every StartExecution after the last restart was answered');
  assert.equal(started.size, EXECUTIONS, 'every execution exists');
  const deadline = Date.now() + FINISH_TIMEOUT_MS;
  let succeeded = 0;
  while ((succeeded = await succeededCount(sfn)) < EXECUTIONS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(succeeded, EXECUTIONS, `all ${EXECUTIONS} executions SUCCEEDED within ${FINISH_TIMEOUT_MS} ms of the last restart`);
  phase('run to the end');

  const live = sfn;
  await pool(numbers, async (n) => {
    const executionArn = `arn:aws:states:us-east-1:000000000000:execution:CrashFlow:${nameOf(n)}`;
    const described = await live.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(described.status, 'SUCCEEDED', nameOf(n));
    assert.deepEqual(JSON.parse(described.output ?? 'null'), expectedOutput(n), `output of ${nameOf(n)}`);
    const history = await live.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    assert.equal(history.nextToken, undefined);
    checkHistory(n, history.events ?? []);
  });
  phase('check outputs and histories');
  sfn.destroy();
  await proc.stop();
  proc = undefined;

  const calls = readCalls(file);
  let repeated = 0;
  for (const n of numbers) {
    for (const step of ['first', 'second']) {
      const count = calls.get(`${nameOf(n)} ${step}`) ?? 0;
      assert.ok(count >= 1, `${nameOf(n)} called its ${step} task at least once`);
      repeated += count - 1;
    }
  }
  t.diagnostic(`kill 1 after ${atKill1.started} acknowledged starts (aimed at ${killAfter}; ${atKill1.pending} unanswered or not sent), ${atKill1.calls} task calls recorded`);
  t.diagnostic(`kill 2 with ${succeededAtKill2} SUCCEEDED (aimed at ${killAt}), ${atKill2.started} started, ${atKill2.pending} unanswered or not sent`);
  t.diagnostic(`task calls: ${[...calls.values()].reduce((a, b) => a + b, 0)} for ${2 * EXECUTIONS} tasks, ${repeated} repeated after a kill (at least once, as promised)`);
  t.diagnostic(`total ${((Date.now() - began) / 1000).toFixed(1)} s (${phases.join(', ')})`);
});

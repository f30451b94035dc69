/** Child processes for benchmarks: start a server, wait until it says it is ready, read its CPU time. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** user + system CPU seconds consumed so far (procfs). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server process and waits for `ready` in its output. With BENCH_PROFILE_DIR set, a Node
 * server writes a CPU profile there when it stops (`--cpu-prof`; it is not allowed in NODE_OPTIONS).
 */
export async function startServer(command: string, args: readonly string[], ready: RegExp, timeoutMs = 60_000, env: NodeJS.ProcessEnv = process.env): Promise<ServerProcess> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const profiled = profileDir !== undefined && command === process.execPath ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...args] : args;
  const child = spawn(command, profiled, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not become ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining output so a chatty server never blocks on a full pipe.
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  child.removeAllListeners('exit');
  const pid = child.pid ?? 0;
  return {
    child,
    pid,
    cpuSeconds: () => procCpuSeconds(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/**
 * user + system CPU seconds of process `pid`: the sum of its threads' on-CPU time from
 * `/proc/<pid>/task/<tid>/schedstat`, in nanoseconds; where that is missing, `/proc/<pid>/stat`,
 * in ticks of 10 ms. A tick is coarse for short phases: 500 connection setups of ~250 us are
 * some 12 ticks, so each reading of such a phase was off by up to 8%. The sum covers the threads
 * alive when read: a thread that exits between two readings takes its time with it (servers here
 * keep theirs).
 */
export function procCpuSeconds(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
      ns += Number(fields[0]);
    }
    if (Number.isFinite(ns)) return ns / 1e9;
  } catch {
    // No schedstat (or the process is gone): ticks below.
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

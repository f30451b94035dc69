/**
 * Starting the real `switchboard` command as a child process for integration tests, the way a
 * user does: `node bin/switchboard.js start ...`. Waits for the "listening on" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `execFile` options for a command run to its end in this repository: one still running after 2 minutes is killed (a hang fails its test instead of stalling the run). */
export const RUN_TO_END = { cwd: REPO_ROOT, timeout: 120_000, killSignal: 'SIGKILL' } as const;

export interface SwitchboardProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  readonly credentials: () => { apiKeys: string[]; accessKeys: { accessKeyId: string; secretAccessKey: string }[] };
  /** SIGKILL: no shutdown hooks run. */
  kill9(): Promise<void>;
  /** SIGTERM: graceful shutdown; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `env` is added to this process's environment for the child (an app's functions read it). */
export async function startSwitchboardProcess(
  args: readonly string[],
  dataDir: string,
  timeoutMs = 60_000,
  command: 'start' | 'dev' = 'start',
  env: Readonly<Record<string, string>> = {},
): Promise<SwitchboardProcess> {
  // A port given in `args` wins; otherwise the system picks one.
  const port = args.includes('--port') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, ['bin/switchboard.js', command, ...args, ...port, '--data', dataDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Killed, or it would keep this test's process (and the run) alive.
      child.kill('SIGKILL');
      reject(new Error(`switchboard did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const check = (): void => {
      const m = /Switchboard listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`switchboard exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    credentials: () => JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as ReturnType<SwitchboardProcess['credentials']>,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function postGraphql(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

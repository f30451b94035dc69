/**
 * Runs `switchboard start <args>` as a child process (the CLI as a user runs it): once its output
 * matches `until`, calls `then` (if any) and stops it with SIGTERM; a start that fails exits on
 * its own. Answers everything it printed and its exit code; killed after 60 s.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './server-process.ts';

export function runStart(args: readonly string[], options: { readonly env?: Record<string, string>; readonly until: RegExp; readonly then?: (output: string) => Promise<void> }): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, ['bin/switchboard.js', 'start', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stopping = false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const onData = (c: Buffer): void => {
      output += c.toString();
      if (!options.until.test(output) || stopping) return;
      stopping = true;
      void (options.then?.(output) ?? Promise.resolve()).finally(() => child.kill('SIGTERM'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

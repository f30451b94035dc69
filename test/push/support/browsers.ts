/**
 * Finding a browser for the browser tests. A test needing one that is not installed is skipped
 * loudly (a warning on stderr and the skip reason in the report); with `CI=true` it fails instead,
 * so CI cannot pass by silently testing nothing.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findBinary(names: readonly string[]): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface BrowserRequirement {
  readonly path: string | undefined;
  /** For `test(name, { skip }, ...)`: false when the test must run (present, or CI). */
  readonly skip: string | false;
  /** Call first in the test: fails it on CI when the browser is missing. */
  require(): string;
}

export function requireBrowser(what: string, names: readonly string[], install: string): BrowserRequirement {
  const path = findBinary(names);
  const ci = process.env['CI'] === 'true';
  const reason = `${what} is not installed (${names.join(' or ')} not on PATH; ${install})`;
  if (path === undefined && !ci) process.stderr.write(`\n*** SKIPPING browser test: ${reason} ***\n\n`);
  return {
    path,
    skip: path === undefined && !ci ? reason : false,
    require() {
      if (path === undefined) throw new Error(`${reason}; CI=true requires it`);
      return path;
    },
  };
}

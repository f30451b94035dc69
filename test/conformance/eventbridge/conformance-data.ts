/**
 * Locates the EventBridge conformance data, which is read in place from `<repo>/../shared/` and
 * never copied into the repository (it is derived from other projects' suites). When it is absent
 * the suites skip with a reason, except on CI, where a missing folder fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = new URL('../../../../shared/conformance/eventbridge/', import.meta.url);

export interface DataFile<T> {
  readonly data: T | undefined;
  /** Set when the data is missing and the suite must skip. */
  readonly skip: string | false;
}

export function loadData<T>(name: string): DataFile<T> {
  const url = new URL(name, DATA_DIR);
  if (!existsSync(url)) {
    const reason = `conformance data not found at ${fileURLToPath(url)} (it lives outside the repo, in ../shared/conformance/eventbridge/)`;
    if (process.env['CI'] === 'true') throw new Error(`${reason}; CI requires it`);
    return { data: undefined, skip: reason };
  }
  return { data: JSON.parse(readFileSync(url, 'utf8')) as T, skip: false };
}

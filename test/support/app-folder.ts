/**
 * Throwaway app folders for config-loading tests: a `switchboard.config.ts` with the given text, a
 * one-field schema, and any other files; and the message a refused config gives.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../../src/app/index.ts';
import { isSwitchboardError, type ErrorCode } from '../../src/core/index.ts';

export function appFolder(config: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-app-'));
  writeFileSync(join(dir, 'switchboard.config.ts'), config);
  writeFileSync(join(dir, 'schema.graphql'), 'type Query { hello: String }\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Loads `dir`, which must be refused with one of `codes`; answers the message. */
export async function loadError(dir: string, codes: readonly ErrorCode[] = ['SB_CONFIG_INVALID']): Promise<string> {
  try {
    await loadApp(dir);
  } catch (error) {
    assert.ok(codes.some((code) => isSwitchboardError(error, code)), String(error));
    return (error as Error).message;
  }
  assert.fail('expected the config to be refused');
}

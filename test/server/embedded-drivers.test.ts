/**
 * Embedded mode does not load the cluster drivers: the `pg` and `nats` packages are loaded only
 * when a cluster backend is configured (`loadClusterStorage`, src/storage/index.ts). Loading them
 * cost some 70 ms of start-up and 18 MB of memory that an embedded server never uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/server-process.ts';

test('an embedded server starts, serves and stops without loading the pg or nats packages', (t) => {
  const src = (path: string): string => pathToFileURL(join(REPO_ROOT, path)).href;
  const script = `
    import { createRequire } from 'node:module';
    import { mkdtempSync, rmSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    const { silentLogger } = await import('${src('src/core/index.ts')}');
    const { loadApp } = await import('${src('src/app/index.ts')}');
    const { startSwitchboard } = await import('${src('src/server/index.ts')}');
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-embedded-drivers-'));
    const server = await startSwitchboard({ app: await loadApp('examples/food-ordering'), dataDir, port: 0, host: '127.0.0.1', logger: silentLogger });
    const res = await fetch(server.url.replace(/\\/graphql$/, '') + '/healthz');
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /[\\\\/]node_modules[\\\\/](pg|nats)[\\\\/]/.test(f));
    console.log(JSON.stringify({ status: res.status, loaded }));
  `;
  const dir = mkdtempSync(join(tmpdir(), 'sb-embedded-drivers-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'start.mjs');
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, ['--import', './bin/typescript-loader.mjs', file], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { status: number; loaded: string[] };
  assert.equal(result.status, 200, 'the server answered');
  assert.deepEqual(result.loaded, [], 'no file of the pg or nats packages was loaded');
});

/**
 * A table write resolves only once committed: a process that is killed (SIGKILL, no shutdown
 * path, no close) right after a write resolved must leave that write in the file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSqliteTableStore, openDatabase, tablesMigrations } from '../../src/storage/index.ts';
import { createTableService } from '../../src/tables/index.ts';
import { TABLES } from './operations-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-tables-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const src = (path: string) => pathToFileURL(fileURLToPath(new URL(`../../src/${path}`, import.meta.url))).href;

/** Runs in a child: writes, and on the resolved promise kills itself before anything else can run. */
function writerScript(path: string): string {
  return `
    import { createSqliteTableStore, openDatabase, tablesMigrations } from ${JSON.stringify(src('storage/index.ts'))};
    import { createTableService } from ${JSON.stringify(src('tables/index.ts'))};
    const db = openDatabase({ path: ${JSON.stringify(path)} }, [tablesMigrations]);
    const service = createTableService({ store: createSqliteTableStore(db), tables: ${JSON.stringify(TABLES)} });
    await service.execute({ operation: 'PutItem', key: { id: { S: 'kept' } }, attributeValues: { amount: { N: 42 } } }, 'orders');
    await service.execute({ operation: 'TransactWriteItems', transactItems: [
      { table: 'scores', operation: 'PutItem', key: { player: { S: 'ann' }, score: { N: 7 } }, attributeValues: {} },
      { table: 'orders', operation: 'UpdateItem', key: { id: { S: 'kept' } }, update: { expression: 'SET amount = amount + :one', expressionValues: { ':one': { N: 1 } } } },
    ] });
    process.kill(process.pid, 'SIGKILL');
  `;
}

function runChild(script: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, stderr }));
  });
}

describe('durability', () => {
  it('keeps every write that resolved before the process was killed', async () => {
    const path = join(dir, 'data.db');
    const { signal, stderr } = await runChild(writerScript(path));
    assert.equal(signal, 'SIGKILL', stderr);
    const db = openDatabase({ path }, [tablesMigrations]);
    try {
      const service = createTableService({ store: createSqliteTableStore(db), tables: TABLES });
      assert.deepEqual(await service.execute({ operation: 'GetItem', key: { id: { S: 'kept' } } }, 'orders'), { amount: 43, id: 'kept' });
      assert.deepEqual(await service.execute({ operation: 'GetItem', key: { player: { S: 'ann' }, score: { N: 7 } } }, 'scores'), { player: 'ann', score: 7 });
    } finally {
      db.close();
    }
  });
});

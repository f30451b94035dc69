/**
 * `switchboard dev` reloads the app when its files change, on the same server: a keep-alive
 * connection opened before the edit keeps working after it, and sees the new resolver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, Agent } from 'node:http';
import { REPO_ROOT, startSwitchboardProcess } from '../support/server-process.ts';

function ask(url: string, agent: Agent, apiKey: string): Promise<{ body: any; socketReused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/graphql`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-api-key': apiKey } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ body: JSON.parse(text), socketReused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ hello }' }));
  });
}

test('switchboard dev reloads an edited resolver without dropping connections', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sb-dev-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const appDir = join(root, 'app');
  cpSync(join(REPO_ROOT, 'test/fixtures/apps/hello'), appDir, { recursive: true });
  const proc = await startSwitchboardProcess([appDir], join(root, 'data'), 60_000, 'dev');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const apiKey = proc.credentials().apiKeys[0] ?? '';
    const before = await ask(proc.url, agent, apiKey);
    assert.deepEqual(before.body, { data: { hello: 'hello v1' } });
    writeFileSync(join(appDir, 'resolvers/hello.js'), "export const request = () => ({ payload: 'hello v2' });\nexport const response = (ctx) => ctx.result;\n");
    const deadline = Date.now() + 20_000;
    let after = before;
    while (Date.now() < deadline && after.body.data?.hello !== 'hello v2') {
      await new Promise((r) => setTimeout(r, 100));
      after = await ask(proc.url, agent, apiKey);
    }
    assert.deepEqual(after.body, { data: { hello: 'hello v2' } });
    assert.equal(after.socketReused, true, 'the keep-alive connection from before the reload is still in use');
    assert.match(proc.output(), /app reloaded/);
  } finally {
    agent.destroy();
    assert.equal(await proc.stop(), 0);
  }
});

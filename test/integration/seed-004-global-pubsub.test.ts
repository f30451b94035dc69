/**
 * Seed 004 end to end: `examples/global-pubsub` run twice as two real `switchboard start`
 * processes, "Oregon" and "Sydney", linked to each other over HTTP with SigV4. A message published
 * in one region reaches the channel's subscribers in both regions exactly once (the forward is
 * origin-stamped, so the peer never sends it back), and only the five allowed channels carry
 * messages (the seed's enhanced filter, which replaces argument filtering as in AppSync).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, postGraphql, startSwitchboardProcess, type SwitchboardProcess } from '../support/server-process.ts';
import type { RawClient } from '../support/ws-client.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';
import { freePort } from '../support/free-port.ts';

const APP = join(REPO_ROOT, 'examples/global-pubsub');
const API_KEY = 'da2-globalpubsubdevkey0000000000';
const SUBSCRIBE = 'subscription Subscribe($name: String!) { subscribe(name: $name) { name data } }';
const PUBLISH = 'mutation Publish($name: String!, $data: AWSJSON) { publish(name: $name, data: $data) { name data } }';

interface Region {
  readonly name: string;
  readonly proc: SwitchboardProcess;
  readonly dir: string;
}

function subscribe(region: Region, channel: string): Promise<RawClient> {
  return appsyncSubscriber(region.proc.url, { 'x-api-key': API_KEY }, SUBSCRIBE, { id: 'sub', variables: { name: channel } });
}

async function publish(region: Region, channel: string, msg: string): Promise<void> {
  const out = await postGraphql(region.proc.url, { query: PUBLISH, variables: { name: channel, data: JSON.stringify({ msg }) } }, { 'x-api-key': API_KEY });
  assert.equal(out.status, 200, JSON.stringify(out.json));
  assert.equal(out.json.errors, undefined, JSON.stringify(out.json.errors));
}

const messageOf = (frame: any): string => JSON.parse(frame.payload.data.subscribe.data).msg;
const dataFrames = (c: RawClient) => c.pending.filter((f) => f.type === 'data');

describe('seed 004: a global pub/sub API over two linked regions', () => {
  let oregon: Region;
  let sydney: Region;
  const clients: RawClient[] = [];

  before(async () => {
    const [po, ps] = [await freePort(), await freePort()];
    const start = async (name: string, port: number, peerRegion: string, peerPort: number): Promise<Region> => {
      const dir = mkdtempSync(join(tmpdir(), `sb-seed004-${name}-`));
      const proc = await startSwitchboardProcess([APP, '--port', String(port)], dir, 60_000, 'start', {
        SB_REGION: name,
        SB_PEER_REGION: peerRegion,
        SB_PEER_URL: `http://127.0.0.1:${peerPort}`,
      });
      return { name, proc, dir };
    };
    [oregon, sydney] = await Promise.all([start('us-west-2', po, 'ap-southeast-2', ps), start('ap-southeast-2', ps, 'us-west-2', po)]);
  });

  after(async () => {
    for (const c of clients) c.ws.close();
    for (const r of [oregon, sydney]) {
      await r?.proc.stop();
      if (r !== undefined) rmSync(r.dir, { recursive: true, force: true });
    }
  });

  test('a message published in one region reaches the channel subscribers of both regions, once each', async () => {
    const inOregon = await subscribe(oregon, 'tech');
    const inSydney = await subscribe(sydney, 'tech');
    clients.push(inOregon, inSydney);

    await publish(oregon, 'tech', 'hello from Oregon');
    assert.equal(messageOf(await inOregon.next((f) => f.type === 'data')), 'hello from Oregon', 'local subscriber, through the publish mutation');
    assert.equal(messageOf(await inSydney.next((f) => f.type === 'data', 10_000)), 'hello from Oregon', 'peer subscriber, through the bus link and publishFromBus');

    await publish(sydney, 'tech', 'hello from Sydney');
    assert.equal(messageOf(await inSydney.next((f) => f.type === 'data')), 'hello from Sydney');
    assert.equal(messageOf(await inOregon.next((f) => f.type === 'data', 10_000)), 'hello from Sydney');

    // A second copy (a duplicate delivery, or a message looping between the regions) would arrive within this wait.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(dataFrames(inOregon), [], 'no echo in Oregon');
    assert.deepEqual(dataFrames(inSydney), [], 'no echo in Sydney');
  });

  test('only the five channels of the seed carry messages, in both regions', async () => {
    // The seed's enhanced filter replaces argument filtering (AppSync's rule): it lets the five
    // channels through, whatever channel the client named, and nothing else.
    const sub = await subscribe(sydney, 'news');
    clients.push(sub);
    await publish(oregon, 'cooking', 'filtered out');
    await publish(oregon, 'news', 'let through');
    assert.equal(messageOf(await sub.next((f) => f.type === 'data', 10_000)), 'let through', 'the first message to arrive is the one on an allowed channel');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(dataFrames(sub), [], 'and the cooking message never arrives');
  });
});

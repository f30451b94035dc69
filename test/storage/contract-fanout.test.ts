/**
 * The `Fanout` contract (test/storage/contract/fanout-contract.ts) against every adapter: in
 * memory (each `open()` another instance on one hub) and NATS core (each `open()` another
 * connection; a random subject prefix per run). NATS runs when reachable (`SB_TEST_NATS_URL`,
 * default nats://127.0.0.1:4222), is skipped with the reason elsewhere, and fails in CI.
 */
import { randomUUID } from 'node:crypto';
import { createMemoryFanoutHub } from '../../src/storage/index.ts';
import { connectNats, createNatsFanout } from '../../src/storage/cluster.ts';
import { requireNats } from '../support/services.ts';
import { describeFanoutContract } from './contract/fanout-contract.ts';

const hub = createMemoryFanoutHub();
describeFanoutContract('memory', async () => {
  const fanout = hub.open();
  return { fanout, close: () => fanout.close() };
});

const nats = await requireNats();
const subjectPrefix = `sbt.${randomUUID().slice(0, 8)}.fanout`;
describeFanoutContract(
  'NATS core',
  async () => {
    const nc = await connectNats({ servers: nats.url, name: 'contract-fanout' });
    const fanout = createNatsFanout(nc, { subjectPrefix });
    return {
      fanout,
      async close() {
        await fanout.close();
        await nc.close();
      },
    };
  },
  { skip: nats.skip },
);

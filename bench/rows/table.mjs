import { TableClient } from '@azure/data-tables';
import { Unavailable, withHost } from '../hosts.mjs';
import { alternate, median, sequential } from '../stats.mjs';

const ENTITIES = 1000;
// One query takes a few milliseconds, so a single one per round is mostly noise.
const QUERIES = 10;

/** 1000 sequential inserts, then a filtered query over them, through @azure/data-tables. */
export default async function table({ rounds, row }) {
  const inserts = row('table.inserts', { title: `Table: ${ENTITIES} sequential inserts`, unit: 'ops/s', better: 'higher', target: 1 });
  const query = row('table.query', { title: `Table: filtered query over ${ENTITIES} entities (half match), median of ${QUERIES}`, unit: 'ms', better: 'lower', target: 1 });
  try {
    await withHost('localzure', 'table', (lz) =>
      withHost('azurite', 'table', async (az) => {
        const hosts = { localzure: lz, azurite: az };
        await alternate(Object.keys(hosts), rounds, async (side, round) => {
          const client = TableClient.fromConnectionString(hosts[side].connectionString, `bench${round + 2}`, { allowInsecureConnection: true });
          await client.createTable();
          const { totalMs } = await sequential(ENTITIES, (i) =>
            client.createEntity({ partitionKey: `p${i % 10}`, rowKey: `r${String(i).padStart(4, '0')}`, n: i, label: `entity ${i}` }),
          );
          const { latencies } = await sequential(QUERIES, async () => {
            let matched = 0;
            for await (const _ of client.listEntities({ queryOptions: { filter: `n ge ${ENTITIES / 2}` } })) matched++;
            if (matched !== ENTITIES / 2) throw new Error(`${side} query matched ${matched} entities`);
          });
          if (round < 0) return;
          inserts.add(side, (ENTITIES / totalMs) * 1000);
          query.add(side, median(latencies));
        });
      }),
    );
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    // The emulator may not exist yet in this build; say so instead of failing the run.
    const reason = error.message;
    inserts.skip(reason);
    query.skip(reason);
  }
}

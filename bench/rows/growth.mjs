import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { odata, TableClient } from '@azure/data-tables';
import { startHost } from '../hosts.mjs';
import { blobName, entityKeys, GROWTH } from '../growth-seed.mjs';
import { alternate, median, sequential } from '../stats.mjs';

// Issue 14: an operation's cost must not grow with the data around it. Each
// service is filled to both sizes (an inline seed, in its own process), then
// the same operations run through the SDK against both, rounds alternating.
const SMALL = 10_000;
const LARGE = 100_000;
const LIMIT = 1.5;
const PAGE = 100;

const services = {
  blob: {
    title: `Blob listing: one page of ${PAGE} (listBlobsFlat byPage), from the start and from the middle`,
    prepare: (host) => BlobServiceClient.fromConnectionString(host.connectionString).getContainerClient(GROWTH),
    async run(container, fill, quick) {
      const pages = quick ? 5 : 20;
      const latencies = [];
      for (const continuationToken of [undefined, blobName(fill / 2)]) {
        const iterator = container.listBlobsFlat().byPage({ maxPageSize: PAGE, continuationToken });
        const walk = await sequential(pages, async () => {
          const page = await iterator.next();
          if (page.done || page.value.segment.blobItems.length !== PAGE) throw new Error(`a listing page of ${fill} blobs came back short`);
        });
        latencies.push(...walk.latencies);
      }
      return latencies;
    },
  },
  queue: {
    title: 'Queue drain: one receive + delete',
    prepare: (host) => QueueServiceClient.fromConnectionString(host.connectionString).getQueueClient(GROWTH),
    async run(queue, _fill, quick) {
      const { latencies } = await sequential(quick ? 50 : 200, async () => {
        const [message] = (await queue.receiveMessages()).receivedMessageItems;
        if (!message) throw new Error('the growth queue ran dry');
        await queue.deleteMessage(message.messageId, message.popReceipt);
      });
      return latencies;
    },
  },
  table: {
    title: 'Table point read: a query with PartitionKey eq and RowKey eq',
    prepare: (host) => TableClient.fromConnectionString(host.connectionString, GROWTH, { allowInsecureConnection: true }),
    async run(table, fill, quick) {
      const { latencies } = await sequential(quick ? 50 : 200, async (i) => {
        const { partitionKey, rowKey } = entityKeys((i * 7919) % fill);
        let found = 0;
        for await (const _ of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey} and RowKey eq ${rowKey}` } })) found++;
        if (found !== 1) throw new Error(`a point read found ${found} entities`);
      });
      return latencies;
    },
  },
};

/** Per-operation cost at 100,000 items over its cost at 10,000, for blob listing, queue drain and table point reads; and memory per blob. */
export default async function growth({ rounds, quick, row }) {
  const heap = row('growth.blob-heap', { title: `Memory: live heap per one-byte blob, ${SMALL} → ${LARGE} blobs`, unit: 'B', better: 'lower' });
  heap.note(
    'Heap in use after a full GC in the emulator\'s process, the difference between the two fills over the blobs added. It includes the inline seed object that filled the store, which the runtime keeps to seed again after a reset (about 40 B a blob).',
  );
  for (const [service, spec] of Object.entries(services)) {
    const ratio = row(`growth.${service}`, { title: `${spec.title}: ms at ${LARGE} items ÷ ms at ${SMALL}`, unit: '×', better: 'lower', limit: LIMIT });
    const large = row(`growth.${service}.large`, { title: `${spec.title}, at ${LARGE} items`, unit: 'ms', better: 'lower' });
    ratio.note(`Median latency per operation through the SDK; LocalZure only: filling Azurite with ${LARGE} items over HTTP alone takes longer than this whole bench.`);
    const hosts = {};
    try {
      for (const fill of [SMALL, LARGE]) hosts[fill] = await startHost('localzure', service, { fill });
      if (service === 'blob') {
        const [small, big] = await Promise.all([SMALL, LARGE].map((fill) => hosts[fill].call('heap')));
        heap.add('localzure', (big.heapUsed - small.heapUsed) / (LARGE - SMALL));
      }
      const clients = { [SMALL]: spec.prepare(hosts[SMALL]), [LARGE]: spec.prepare(hosts[LARGE]) };
      const medians = {};
      await alternate([SMALL, LARGE], rounds, async (fill, round) => {
        const latency = median(await spec.run(clients[fill], fill, quick));
        if (round < 0) return;
        (medians[round] ??= {})[fill] = latency;
        if (medians[round][SMALL] === undefined || medians[round][LARGE] === undefined) return;
        ratio.add('localzure', medians[round][LARGE] / medians[round][SMALL]);
        large.add('localzure', medians[round][LARGE]);
      });
    } finally {
      await Promise.all(Object.values(hosts).map((host) => host.stop()));
    }
  }
}

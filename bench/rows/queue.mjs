import { QueueServiceClient } from '@azure/storage-queue';
import { Unavailable, withHost } from '../hosts.mjs';
import { alternate, sequential } from '../stats.mjs';

const CYCLES = 1000;

/** 1000 sequential send + receive + delete cycles through @azure/storage-queue. */
export default async function queue({ rounds, row }) {
  const rate = row('queue.cycles', { title: `Queue: ${CYCLES} send+receive+delete cycles`, unit: 'cycles/s', better: 'higher', target: 1.5 });
  try {
    await withHost('localzure', 'queue', (lz) =>
      withHost('azurite', 'queue', async (az) => {
        const clients = {
          localzure: QueueServiceClient.fromConnectionString(lz.connectionString),
          azurite: QueueServiceClient.fromConnectionString(az.connectionString),
        };
        await alternate(Object.keys(clients), rounds, async (side, round) => {
          const queue = clients[side].getQueueClient(`cycles-${round + 1}`);
          await queue.create();
          const { totalMs } = await sequential(CYCLES, async (i) => {
            await queue.sendMessage(`message ${i}`);
            const [message] = (await queue.receiveMessages()).receivedMessageItems;
            if (message?.messageText !== `message ${i}`) throw new Error(`${side} received ${message?.messageText}`);
            await queue.deleteMessage(message.messageId, message.popReceipt);
          });
          if (round >= 0) rate.add(side, (CYCLES / totalMs) * 1000);
        });
      }),
    );
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    // The emulator may not exist yet in this build; say so instead of failing the run.
    rate.skip(error.message);
  }
}

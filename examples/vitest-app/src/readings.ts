import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type Subscription } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';

export interface Reading {
  sensor: string;
  celsius: number;
}

/** Sensors publish readings to the `readings` hub, keyed by sensor so each sensor's readings stay in order. */
export async function publish(eventHubsConnectionString: string, readings: Reading[]): Promise<void> {
  const producer = new EventHubProducerClient(eventHubsConnectionString, 'readings');
  try {
    for (const reading of readings) await producer.sendBatch([{ body: reading }], { partitionKey: reading.sensor });
  } finally {
    await producer.close();
  }
}

/** Keeps the warmest reading per sensor, checkpointing in blob so a restart carries on where it stopped. */
export class WarmestReadings {
  readonly warmest = new Map<string, number>();
  readonly #checkpoints: ContainerClient;
  readonly #consumer: EventHubConsumerClient;
  #subscription: Subscription | undefined;

  constructor(eventHubsConnectionString: string, storageConnectionString: string) {
    this.#checkpoints = new ContainerClient(storageConnectionString, 'checkpoints');
    this.#consumer = new EventHubConsumerClient('$Default', eventHubsConnectionString, 'readings', new BlobCheckpointStore(this.#checkpoints), {
      // Short claims and frequent balancing keep a test's start-up quick.
      loadBalancingOptions: { updateIntervalInMs: 200, partitionOwnershipExpirationIntervalInMs: 2_000 },
    });
  }

  /** Reads until `count` readings arrived. */
  async readUntil(count: number): Promise<void> {
    await this.#checkpoints.createIfNotExists();
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      this.#subscription = this.#consumer.subscribe(
        {
          processEvents: async (events, context) => {
            for (const event of events) {
              const { sensor, celsius } = event.body as Reading;
              this.warmest.set(sensor, Math.max(celsius, this.warmest.get(sensor) ?? -Infinity));
            }
            if (events.length > 0) await context.updateCheckpoint(events.at(-1)!);
            seen += events.length;
            if (seen >= count) resolve();
          },
          processError: async (error) => reject(error),
        },
        { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 1 },
      );
    });
  }

  async close(): Promise<void> {
    await this.#subscription?.close();
    await this.#consumer.close();
  }
}

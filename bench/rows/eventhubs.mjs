import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import rhea from 'rhea';
import { importLocalZure } from '../package.mjs';
import { time } from '../stats.mjs';

const BATCHES = 200;
const PER_BATCH = 50;
const EVENTS = BATCHES * PER_BATCH;
const BODY = { reading: 21.5, sensor: 'bench-sensor', tags: ['a', 'b'] };
const SEED = { data: { eventhubs: { hubs: { bench: { partitionCount: 1 } } } } };

/**
 * Event Hubs in process: start, reset, and events per second sent in batches
 * and received through @azure/event-hubs, each against a bare rhea
 * client/server pair moving the same events (the floor; the target is half of it).
 */
export default async function eventhubs({ rounds, row }) {
  const { EventHubsService, DEFAULT_ACCOUNT } = await importLocalZure();
  const start = row('eventhubs.start', { title: 'Event Hubs: service start (AMQP listener up)', unit: 'ms', better: 'lower', limit: 50 });
  const reset = row('eventhubs.reset', { title: `Event Hubs: reset with ${EVENTS} events stored, inside the emulator`, unit: 'ms', better: 'lower', limit: 1 });
  const send = row('eventhubs.send', { title: `Event Hubs: events/s sent, batches of ${PER_BATCH} (SDK) vs bare rhea`, unit: 'events/s', better: 'higher' });
  const receive = row('eventhubs.receive', { title: 'Event Hubs: events/s received (SDK subscribe) vs bare rhea', unit: 'events/s', better: 'higher' });
  send.note('Floor: a rhea sender sending the same batch envelopes to a rhea listener that accepts them; target: at least half the floor.');
  receive.note('Floor: a rhea listener sending the stored events to a rhea receiver with the same credit; target: at least half the floor.');
  for (let round = -1; round < rounds; round++) {
    const service = new EventHubsService({ seed: SEED });
    const startMs = await time(() => service.start());
    try {
      const cs = service.getEndpoint(DEFAULT_ACCOUNT).connectionString;
      const sendMs = await sdkSend(cs);
      const receiveMs = await sdkReceive(cs);
      const resetMs = await time(() => service.reset());
      const floor = await rheaFloor();
      if (round < 0) continue;
      start.add('localzure', startMs);
      reset.add('localzure', resetMs);
      send.add('localzure', EVENTS / (sendMs / 1000));
      receive.add('localzure', EVENTS / (receiveMs / 1000));
      send.addFloor(EVENTS / (floor.sendMs / 1000));
      receive.addFloor(EVENTS / (floor.receiveMs / 1000));
    } finally {
      await service.stop();
    }
  }
}

async function sdkSend(cs) {
  const producer = new EventHubProducerClient(cs, 'bench');
  await producer.getPartitionIds();
  const events = Array.from({ length: PER_BATCH }, () => ({ body: BODY }));
  try {
    return await time(async () => {
      for (let i = 0; i < BATCHES; i++) await producer.sendBatch(events, { partitionId: '0' });
    });
  } finally {
    await producer.close();
  }
}

async function sdkReceive(cs) {
  const consumer = new EventHubConsumerClient('$Default', cs, 'bench');
  let subscription;
  try {
    return await time(
      () =>
        new Promise((resolve, reject) => {
          let count = 0;
          subscription = consumer.subscribe(
            '0',
            {
              processEvents: async (events) => {
                count += events.length;
                if (count >= EVENTS) resolve();
              },
              processError: async (error) => reject(error),
            },
            { startPosition: earliestEventPosition, maxBatchSize: 500 },
          );
        }),
    );
  } finally {
    await subscription?.close();
    await consumer.close();
  }
}

/** The same traffic between a bare rhea listener and client: batches accepted one after another, then events pushed on credit. */
async function rheaFloor() {
  const server = rhea.create_container();
  const encoded = rhea.message.encode({ body: rhea.message.data_sections(Array.from({ length: PER_BATCH }, () => rhea.message.encode({ body: BODY }))) });
  server.on('message', (context) => context.delivery.accept());
  server.on('sender_open', (context) => {
    const sender = context.sender;
    let sent = 0;
    const pump = () => {
      while (sent < EVENTS && sender.sendable()) {
        sender.send({ body: BODY, message_annotations: { 'x-opt-sequence-number': sent, 'x-opt-offset': String(sent) } });
        sent++;
      }
    };
    sender.on('sendable', pump);
    pump();
  });
  const listener = server.listen({ port: 0, host: '127.0.0.1' });
  listener.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise((resolve) => listener.once('listening', resolve));
  const client = rhea.create_container();
  // As the SDK does (rhea-promise), so that Nagle's algorithm does not hold back each small transfer.
  const connection = client.connect({ port: listener.address().port, host: '127.0.0.1', tcp_no_delay: true });
  try {
    const sender = connection.open_sender('floor');
    await new Promise((resolve) => sender.once('sendable', resolve));
    const sendMs = await time(async () => {
      for (let i = 0; i < BATCHES; i++) {
        await new Promise((resolve) => {
          const delivery = sender.send(encoded, undefined, 0x80013700);
          delivery.link.once('accepted', resolve);
        });
      }
    });
    const receiveMs = await time(
      () =>
        new Promise((resolve) => {
          let count = 0;
          const receiver = connection.open_receiver({ source: 'floor', credit_window: 500 });
          receiver.on('message', () => {
            if (++count === EVENTS) resolve();
          });
        }),
    );
    return { sendMs, receiveMs };
  } finally {
    connection.close();
    listener.close();
  }
}

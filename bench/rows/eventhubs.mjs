import { createHmac } from 'node:crypto';
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
 * and received, by a bare rhea client against the emulator and against a bare
 * rhea listener moving the same events (the floor; the target is half of it),
 * and through @azure/event-hubs (what a test sees; the SDK's own cost included).
 */
export default async function eventhubs({ rounds, row }) {
  const { EventHubsService, DEFAULT_ACCOUNT } = await importLocalZure();
  const start = row('eventhubs.start', { title: 'Event Hubs: service start (AMQP listener up)', unit: 'ms', better: 'lower', limit: 50 });
  const reset = row('eventhubs.reset', { title: `Event Hubs: reset with ${EVENTS} events stored, inside the emulator`, unit: 'ms', better: 'lower', limit: 1 });
  const send = row('eventhubs.send', { title: `Event Hubs: events/s sent, batches of ${PER_BATCH}, rhea client vs bare rhea listener`, unit: 'events/s', better: 'higher', floorName: 'bare rhea pair', floorAim: 0.5 });
  const receive = row('eventhubs.receive', { title: 'Event Hubs: events/s received, rhea client vs bare rhea listener', unit: 'events/s', better: 'higher', floorName: 'bare rhea pair', floorAim: 0.5 });
  const sdkSendRow = row('eventhubs.sdk-send', { title: `Event Hubs: events/s sent, batches of ${PER_BATCH}, through @azure/event-hubs`, unit: 'events/s', better: 'higher' });
  const sdkReceiveRow = row('eventhubs.sdk-receive', { title: 'Event Hubs: events/s received, EventHubConsumerClient.subscribe', unit: 'events/s', better: 'higher' });
  send.note('Same rhea client, same batch envelopes, each awaited until accepted: against the emulator (after a CBS put-token) and against a rhea listener that only accepts; target: at least half the floor.');
  receive.note('Same rhea receiver with credit 500: the emulator delivers stored events with Azure annotations, the floor listener pushes the same bodies; target: at least half the floor.');
  for (let round = -1; round < rounds; round++) {
    const service = new EventHubsService({ seed: SEED });
    const startMs = await time(() => service.start());
    try {
      const cs = service.getEndpoint(DEFAULT_ACCOUNT).connectionString;
      const raw = await rawTraffic(service.getMetadata().port, DEFAULT_ACCOUNT);
      const resetMs = await time(() => service.reset());
      const sdkSendMs = await sdkSend(cs);
      const sdkReceiveMs = await sdkReceive(cs);
      const floor = await rheaFloor();
      if (round < 0) continue;
      const perSecond = (ms) => EVENTS / (ms / 1000);
      start.add('localzure', startMs);
      reset.add('localzure', resetMs);
      send.add('localzure', perSecond(raw.sendMs));
      receive.add('localzure', perSecond(raw.receiveMs));
      send.addFloor(perSecond(floor.sendMs));
      receive.addFloor(perSecond(floor.receiveMs));
      sdkSendRow.add('localzure', perSecond(sdkSendMs));
      sdkReceiveRow.add('localzure', perSecond(sdkReceiveMs));
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

const batchEnvelope = () =>
  rhea.message.encode({ body: rhea.message.data_sections(Array.from({ length: PER_BATCH }, () => rhea.message.encode({ body: BODY }))) });

/** A bare rhea client against the emulator: a CBS token for the hub, then the batches, then the events back. */
async function rawTraffic(port, account) {
  const client = rhea.create_container();
  // As the SDK does (rhea-promise), so that Nagle's algorithm does not hold back each small transfer.
  const connection = client.connect({ port, host: '127.0.0.1', tcp_no_delay: true });
  try {
    await putToken(connection, `sb://127.0.0.1:${port}/bench`, account);
    return await traffic(connection, 'bench/Partitions/0', 'bench/ConsumerGroups/$Default/Partitions/0');
  } finally {
    connection.close();
  }
}

/** The same client against a rhea listener that accepts every batch and pushes the events on credit. */
async function rheaFloor() {
  const server = rhea.create_container();
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
  const connection = rhea.create_container().connect({ port: listener.address().port, host: '127.0.0.1', tcp_no_delay: true });
  try {
    return await traffic(connection, 'floor', 'floor');
  } finally {
    connection.close();
    listener.close();
  }
}

async function traffic(connection, sendAddress, receiveAddress) {
  const encoded = batchEnvelope();
  const sender = connection.open_sender(sendAddress);
  await new Promise((resolve) => sender.once('sendable', resolve));
  const sendMs = await time(async () => {
    for (let i = 0; i < BATCHES; i++) {
      await new Promise((resolve, reject) => {
        sender.send(encoded, undefined, 0x80013700);
        sender.once('accepted', resolve);
        sender.once('rejected', (context) => reject(new Error(JSON.stringify(context.delivery.remote_state))));
      });
    }
  });
  const receiveMs = await time(
    () =>
      new Promise((resolve) => {
        let count = 0;
        const receiver = connection.open_receiver({ source: receiveAddress, credit_window: 500 });
        receiver.on('message', () => {
          if (++count === EVENTS) resolve();
        });
      }),
  );
  return { sendMs, receiveMs };
}

async function putToken(connection, audience, account) {
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  const sr = encodeURIComponent(audience);
  const sig = encodeURIComponent(createHmac('sha256', account.key).update(`${sr}\n${expiry}`).digest('base64'));
  const token = `SharedAccessSignature sr=${sr}&sig=${sig}&se=${expiry}&skn=${account.name}`;
  const receiver = connection.open_receiver({ source: '$cbs', target: 'cbs-reply' });
  const sender = connection.open_sender('$cbs');
  await new Promise((resolve) => sender.once('sendable', resolve));
  const reply = new Promise((resolve) => receiver.once('message', (context) => resolve(context.message)));
  sender.send({
    message_id: 1,
    reply_to: 'cbs-reply',
    body: token,
    application_properties: { operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: audience },
  });
  const answer = await reply;
  if (answer.application_properties['status-code'] !== 202) throw new Error(`put-token answered ${JSON.stringify(answer.application_properties)}`);
}

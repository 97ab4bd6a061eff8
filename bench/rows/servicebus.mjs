import { ServiceBusClient } from '@azure/service-bus';
import rhea from 'rhea';
import { importLocalZure } from '../package.mjs';
import { MiB } from '../stats.mjs';

const CYCLES = 300;
const BATCHES = 20;
const RESET_ENTITIES = 10;
const RESET_MESSAGES = 1000;
const MEMORY_MESSAGES = 100_000;
const KIB = Buffer.alloc(1024, 'm');

async function startService(queues) {
  const { ServiceBusService, DEFAULT_ACCOUNT } = await importLocalZure();
  const service = new ServiceBusService({ seed: { data: { servicebus: { queues } } } });
  await service.start();
  return { service, connectionString: service.getEndpoint(DEFAULT_ACCOUNT).connectionString, account: DEFAULT_ACCOUNT.name };
}

/**
 * The floor: a bare rhea server that hands each message it receives to the
 * one receiving link, and a bare rhea client on the same machine. `cycle`
 * sends one message and waits for it to come back and be accepted;
 * `burst(n)` sends n messages and waits until the server has them all.
 */
async function barePair() {
  const server = rhea.create_container();
  const held = [];
  let outgoing;
  const pump = () => {
    while (outgoing && outgoing.sendable() && held.length) outgoing.send(held.shift());
  };
  let received = 0;
  server.on('sender_open', (c) => {
    outgoing = c.sender;
    pump();
  });
  server.on('sendable', pump);
  server.on('message', (c) => {
    received++;
    held.push(c.message);
    pump();
  });
  const listener = server.listen({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => listener.once('listening', resolve));
  const client = rhea.create_container();
  const connection = client.connect({ port: listener.address().port, host: '127.0.0.1' });
  const sender = connection.open_sender('q');
  const receiver = connection.open_receiver({ source: 'q', autoaccept: true, credit_window: 10 });
  await new Promise((resolve) => receiver.once('receiver_open', resolve));
  await new Promise((resolve) => (sender.sendable() ? resolve() : sender.once('sendable', resolve)));
  const next = () => new Promise((resolve) => receiver.once('message', resolve));
  return {
    async cycle() {
      const arrived = next();
      sender.send({ body: KIB });
      await arrived;
    },
    async burst(n) {
      receiver.close();
      const target = received + n;
      // rhea's window holds 2048 unsettled transfers: send as credit and window allow, as the SDK does.
      for (let i = 0; i < n; i++) {
        if (!sender.sendable()) await new Promise((resolve) => sender.once('sendable', resolve));
        sender.send({ body: KIB });
      }
      await new Promise((resolve) => {
        const check = () => (received >= target ? resolve() : setTimeout(check, 1));
        check();
      });
    },
    close() {
      connection.close();
      listener.close();
    },
  };
}

const perSecond = (count, ms) => (count / ms) * 1000;

/** Service Bus: start, cycles and batches against a bare rhea pair, reset, memory. */
export default async function servicebus({ rounds, quick, row }) {
  const startup = row('servicebus.startup', { title: 'Service Bus: new service to first send accepted through the SDK', unit: 'ms', better: 'lower', limit: 50 });
  const cycles = row('servicebus.cycles', { title: `Service Bus: send + receive + complete cycles per second (${CYCLES} in a row, 1 KiB)`, unit: '/s', better: 'higher' });
  const cycleShare = row('servicebus.cycles.share', { title: 'Service Bus cycles: share of the bare rhea pair', unit: '×', better: 'higher', limit: 0.5 });
  const batch = row('servicebus.batch', { title: `Service Bus: batched send, messages per second (${BATCHES} batches, 1 KiB)`, unit: '/s', better: 'higher' });
  const batchShare = row('servicebus.batch.share', { title: 'Service Bus batched send: share of the bare rhea pair', unit: '×', better: 'higher', limit: 0.5 });
  const reset = row('servicebus.reset', { title: `Service Bus: reset of a namespace with ${RESET_ENTITIES} queues × ${RESET_MESSAGES} messages, inside the emulator`, unit: 'ms', better: 'lower', limit: 1 });
  const memory = row('servicebus.memory', { title: `Service Bus: memory for ${quick ? MEMORY_MESSAGES / 10 : MEMORY_MESSAGES} queued 1 KiB messages ÷ the data`, unit: '×', better: 'lower', limit: 1.5 });
  cycles.note('The floor is a bare rhea client and server on this machine doing the same round trip (send, deliver, accept) without CBS, locks or the SDK.');
  memory.note('Growth of heap plus array buffers after the messages are queued, over their body bytes; measured in the bench process, which also runs the SDK client.');

  // Loaded before the clock starts: module loading is the host's start-up, not the emulator's.
  await importLocalZure();
  for (let r = 0; r < rounds; r++) {
    const began = performance.now();
    const { service, connectionString } = await startService(['first']);
    const client = new ServiceBusClient(connectionString);
    await client.createSender('first').sendMessages({ body: 'go' });
    startup.add('localzure', performance.now() - began);
    await client.close();
    await service.stop();
  }

  const { service, connectionString, account } = await startService(['cycle', 'batch', ...Array.from({ length: RESET_ENTITIES }, (_, i) => `reset-${i}`), 'memory']);
  const client = new ServiceBusClient(connectionString);
  const floor = await barePair();
  try {
    const sender = client.createSender('cycle');
    const receiver = client.createReceiver('cycle');
    for (let r = 0; r < rounds; r++) {
      let began = performance.now();
      for (let i = 0; i < CYCLES; i++) {
        await sender.sendMessages({ body: KIB });
        const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
        await receiver.completeMessage(m);
      }
      const sdkRate = perSecond(CYCLES, performance.now() - began);
      began = performance.now();
      for (let i = 0; i < CYCLES; i++) await floor.cycle();
      const floorRate = perSecond(CYCLES, performance.now() - began);
      cycles.add('localzure', sdkRate);
      cycles.addFloor(floorRate);
      cycleShare.add('localzure', sdkRate / floorRate);
    }

    const batchSender = client.createSender('batch');
    for (let r = 0; r < rounds; r++) {
      const batches = [];
      for (let b = 0; b < BATCHES; b++) {
        const next = await batchSender.createMessageBatch();
        while (next.tryAddMessage({ body: KIB }));
        batches.push(next);
      }
      const count = batches.reduce((n, b) => n + b.count, 0);
      let began = performance.now();
      for (const b of batches) await batchSender.sendMessages(b);
      const sdkRate = perSecond(count, performance.now() - began);
      await service.reset(account);
      began = performance.now();
      await floor.burst(count);
      const floorRate = perSecond(count, performance.now() - began);
      batch.add('localzure', sdkRate);
      batch.addFloor(floorRate);
      batchShare.add('localzure', sdkRate / floorRate);
    }

    for (let r = 0; r < rounds; r++) {
      for (let q = 0; q < RESET_ENTITIES; q++) {
        const s = client.createSender(`reset-${q}`);
        let left = RESET_MESSAGES;
        while (left > 0) {
          const b = await s.createMessageBatch();
          while (left > 0 && b.tryAddMessage({ body: KIB })) left--;
          await s.sendMessages(b);
        }
      }
      const began = performance.now();
      await service.reset(account);
      reset.add('localzure', performance.now() - began);
    }

    const total = quick ? MEMORY_MESSAGES / 10 : MEMORY_MESSAGES;
    const before = process.memoryUsage();
    const memorySender = client.createSender('memory');
    let left = total;
    while (left > 0) {
      const b = await memorySender.createMessageBatch();
      while (left > 0 && b.tryAddMessage({ body: KIB })) left--;
      await memorySender.sendMessages(b);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    memory.add('localzure', grown / (total * KIB.length));
    memory.note(`Held ${((total * KIB.length) / MiB).toFixed(0)} MiB of bodies.`);
  } finally {
    floor.close();
    await client.close();
    await service.stop();
  }
}

import { ServiceBusClient } from '@azure/service-bus';
import rhea from 'rhea';
import { importLocalZure } from '../package.mjs';
import { MiB, time } from '../stats.mjs';

const CYCLES = 300;
const BATCHES = 20;
const RESET_ENTITIES = 10;
const RESET_MESSAGES = 1000;
const MEMORY_MESSAGES = 100_000;
const KIB = Buffer.alloc(1024, 'm');
const BATCH_FORMAT = 0x80013700;

async function startService(queues) {
  const { ServiceBusService, DEFAULT_ACCOUNT } = await importLocalZure();
  const service = new ServiceBusService({ seed: { data: { servicebus: { queues } } } });
  await service.start();
  return { service, connectionString: service.getEndpoint(DEFAULT_ACCOUNT).connectionString, account: DEFAULT_ACCOUNT.name };
}

/**
 * The floor: a bare rhea server and a bare rhea client on this machine
 * moving the same bytes with the same waits as the SDK, without CBS
 * verification, locks, journal or the SDK's own work. The server accepts
 * each transfer, keeps single messages and hands them to the receiving link
 * as it gives credit, and settles each outcome the client sends.
 */
async function bareServer() {
  const server = rhea.create_container({ autoaccept: false, autosettle: false });
  const held = [];
  let outgoing;
  const pump = () => {
    while (outgoing && outgoing.sendable() && held.length) outgoing.send(held.shift());
  };
  const address = (terminus) => terminus?.address;
  server.on('sender_open', (c) => {
    if (address(c.sender.remote.attach.source) !== 'q') return;
    outgoing = c.sender;
    pump();
  });
  server.on('sendable', pump);
  server.on('message', (c) => {
    c.delivery.update(true, rhea.message.accepted().described());
    if (address(c.receiver.remote.attach.target) === '$cbs') {
      const reply = c.connection.find_sender((s) => address(s.remote.attach.target) === c.message.reply_to);
      reply.send({ correlation_id: c.message.message_id, application_properties: { 'status-code': 202, 'status-description': 'Accepted' } });
    } else if (!c.format) {
      held.push(c.message);
      pump();
    }
  });
  // The client's outcome is final (rcv-settle-mode second): settle it, as the emulator does.
  server.on('accepted', (c) => {
    if (!c.delivery.settled) c.delivery.update(true, rhea.message.accepted().described());
  });
  server.on('settled', (c) => {
    if (!c.delivery.settled) c.delivery.update(true);
  });
  const listener = server.listen({ port: 0, host: '127.0.0.1' });
  listener.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise((resolve) => listener.once('listening', resolve));
  return { port: listener.address().port, close: () => listener.close() };
}

const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));

/** The bare client: sends awaited until accepted, receives one credit at a time and settles as peek-lock does. */
async function barePair() {
  const server = await bareServer();
  const connection = rhea.create_container().connect({ port: server.port, host: '127.0.0.1' });
  const sender = connection.open_sender('q');
  const receiver = connection.open_receiver({ source: 'q', credit_window: 0, autoaccept: false, rcv_settle_mode: 1 });
  await once(receiver, 'receiver_open');
  if (!sender.sendable()) await once(sender, 'sendable');
  const sendAccepted = (payload, format) => {
    const accepted = once(sender, 'accepted');
    sender.send(payload, undefined, format);
    return accepted;
  };
  return {
    async cycle() {
      await sendAccepted({ body: KIB });
      const arrived = once(receiver, 'message');
      receiver.add_credit(1);
      const { delivery } = await arrived;
      const settled = once(receiver, 'settled');
      delivery.update(false, rhea.message.accepted().described());
      await settled;
    },
    /** Sends each envelope with the Service Bus batch format, one after another, each awaited until accepted. */
    async batches(envelopes) {
      for (const envelope of envelopes) await sendAccepted(envelope, BATCH_FORMAT);
    },
    close() {
      connection.close();
      server.close();
    },
  };
}

/** The bare client's way to a first accepted send: connect, put-token on $cbs (request and reply links), attach, send. */
async function bareFirstSend() {
  const server = await bareServer();
  const connection = rhea.create_container().connect({ port: server.port, host: '127.0.0.1' });
  const replies = connection.open_receiver({ source: '$cbs', target: 'cbs-reply' });
  const requests = connection.open_sender('$cbs');
  await once(replies, 'receiver_open');
  if (!requests.sendable()) await once(requests, 'sendable');
  const reply = once(replies, 'message');
  requests.send({ message_id: 1, reply_to: 'cbs-reply', body: 'SharedAccessSignature sr=x&sig=y&se=1&skn=z', application_properties: { operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: 'sb://127.0.0.1/first' } });
  await reply;
  const sender = connection.open_sender('first');
  if (!sender.sendable()) await once(sender, 'sendable');
  const accepted = once(sender, 'accepted');
  sender.send({ body: 'go' });
  await accepted;
  connection.close();
  server.close();
}

/** Batch envelopes as the SDK sends them: `count` encoded 1 KiB messages each, as data sections. */
const envelopes = (counts) =>
  counts.map((count) => rhea.message.encode({ body: rhea.message.data_sections(Array.from({ length: count }, () => rhea.message.encode({ body: KIB }))) }));

const perSecond = (count, ms) => (count / ms) * 1000;

/** Runs `first` then `second` on even rounds and the other way round on odd ones, so neither always runs on a warmer machine. */
async function inTurn(round, first, second) {
  if (round % 2 === 0) return [await first(), await second()];
  const [b, a] = [await second(), await first()];
  return [a, b];
}

/** Service Bus: start, cycles and batches against a bare rhea pair, reset, memory. */
export default async function servicebus({ rounds, quick, row }) {
  const bare = { floorName: 'bare rhea pair', floorAim: 0.5 };
  const startup = row('servicebus.startup', { title: 'Service Bus: new service to first send accepted through the SDK', unit: 'ms', better: 'lower', limit: 50, floorName: 'bare rhea pair' });
  const cycles = row('servicebus.cycles', { title: `Service Bus: send + receive + complete cycles per second (${CYCLES} in a row, 1 KiB)`, unit: '/s', better: 'higher', ...bare });
  const cycleShare = row('servicebus.cycles.share', { title: 'Service Bus cycles: share of the bare rhea pair', unit: '×', better: 'higher', limit: 0.5 });
  const batch = row('servicebus.batch', { title: `Service Bus: batched send, messages per second (${BATCHES} batches, 1 KiB)`, unit: '/s', better: 'higher', ...bare });
  const batchShare = row('servicebus.batch.share', { title: 'Service Bus batched send: share of the bare rhea pair', unit: '×', better: 'higher', limit: 0.5 });
  const reset = row('servicebus.reset', { title: `Service Bus: reset of a namespace with ${RESET_ENTITIES} queues × ${RESET_MESSAGES} messages, inside the emulator`, unit: 'ms', better: 'lower', limit: 1 });
  const memory = row('servicebus.memory', { title: `Service Bus: memory for ${quick ? MEMORY_MESSAGES / 10 : MEMORY_MESSAGES} queued 1 KiB messages ÷ the data`, unit: '×', better: 'lower', limit: 1.5 });
  startup.note('The floor: a bare rhea server starts listening, a bare rhea client connects, sends a put-token on $cbs and waits for the reply, attaches a sender and waits until its first message is accepted.');
  cycles.note('The floor: a bare rhea client and server on this machine with the SDK\'s waits: a send awaited until accepted, one credit given and the message awaited, its accepted outcome (rcv-settle-mode second) awaited until the server settles it. No CBS, locks, journal or SDK.');
  batch.note('The floor: the same bare client sends envelopes of the same number of 1 KiB messages in the Service Bus batch format, each awaited until the bare server accepts it (the emulator also decodes and stores every message).');
  memory.note('Growth of heap plus array buffers after the messages are queued, over their body bytes; measured in the bench process, which also runs the SDK client.');

  // Loaded before the clock starts: module loading is the host's start-up, not the emulator's.
  await importLocalZure();
  // One round of each first, unrecorded: the first connection of a process warms up rhea and the SDK.
  for (let r = -1; r < rounds; r++) {
    const [sdkMs, floorMs] = await inTurn(
      r,
      async () => {
        const began = performance.now();
        const { service, connectionString } = await startService(['first']);
        const client = new ServiceBusClient(connectionString);
        await client.createSender('first').sendMessages({ body: 'go' });
        const ms = performance.now() - began;
        await client.close();
        await service.stop();
        return ms;
      },
      () => time(bareFirstSend),
    );
    if (r < 0) continue;
    startup.add('localzure', sdkMs);
    startup.addFloor(floorMs);
  }

  const { service, connectionString, account } = await startService(['cycle', 'batch', ...Array.from({ length: RESET_ENTITIES }, (_, i) => `reset-${i}`), 'memory']);
  const client = new ServiceBusClient(connectionString);
  try {
    const sender = client.createSender('cycle');
    const receiver = client.createReceiver('cycle');
    const sdkCycles = async () => {
      const began = performance.now();
      for (let i = 0; i < CYCLES; i++) {
        await sender.sendMessages({ body: KIB });
        const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
        await receiver.completeMessage(m);
      }
      return perSecond(CYCLES, performance.now() - began);
    };
    const floorCycles = async () => {
      const floor = await barePair();
      try {
        const began = performance.now();
        for (let i = 0; i < CYCLES; i++) await floor.cycle();
        return perSecond(CYCLES, performance.now() - began);
      } finally {
        floor.close();
      }
    };
    for (let r = -1; r < rounds; r++) {
      const [sdkRate, floorRate] = await inTurn(r, sdkCycles, floorCycles);
      if (r < 0) continue;
      cycles.add('localzure', sdkRate);
      cycles.addFloor(floorRate);
      cycleShare.add('localzure', sdkRate / floorRate);
    }

    const batchSender = client.createSender('batch');
    for (let r = -1; r < rounds; r++) {
      const batches = [];
      for (let b = 0; b < BATCHES; b++) {
        const next = await batchSender.createMessageBatch();
        while (next.tryAddMessage({ body: KIB }));
        batches.push(next);
      }
      const count = batches.reduce((n, b) => n + b.count, 0);
      const same = envelopes(batches.map((b) => b.count));
      const [sdkRate, floorRate] = await inTurn(
        r,
        async () => {
          const began = performance.now();
          for (const b of batches) await batchSender.sendMessages(b);
          const rate = perSecond(count, performance.now() - began);
          await service.reset(account);
          return rate;
        },
        async () => {
          const floor = await barePair();
          try {
            return perSecond(count, await time(() => floor.batches(same)));
          } finally {
            floor.close();
          }
        },
      );
      if (r < 0) continue;
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
    await client.close();
    await service.stop();
  }
}

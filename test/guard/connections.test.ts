import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { ServiceBusClient } from '@azure/service-bus';
import { EventHubProducerClient } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it, vi } from 'vitest';
import { guardedEmulators } from './guarded-emulators.js';

// No nock in this file: the guard must hold without it, and must not bring it in.
const httpRequestBefore = http.request;
const lz = guardedEmulators();

const socketError = (socket: net.Socket) => new Promise<Error & { code?: string }>((resolve) => socket.once('error', resolve));
const SERVICE_BUS = 'Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0';

describe('network guard at the connection', () => {
  it('fails a Service Bus send over AMQP to a real namespace, naming the host and the emulator to start', async () => {
    const client = new ServiceBusClient(SERVICE_BUS, { retryOptions: { maxRetries: 0 } });
    try {
      const error = await client.createSender('jobs').sendMessages({ body: 'x' }).then(() => undefined, (e: Error & { code?: string }) => e);
      expect(error?.code).toBe('LZ_REAL_AZURE_BLOCKED');
      expect(error?.message).toContain('amqps://orders.servicebus.windows.net:5671');
      expect(error?.message).toContain(`withLocalZure(['servicebus'`);
    } finally {
      await client.close();
    }
  });

  it('fails an Event Hubs client over AMQP too', async () => {
    const client = new EventHubProducerClient(`${SERVICE_BUS};EntityPath=telemetry`, { retryOptions: { maxRetries: 0 } });
    try {
      await expect(client.getEventHubProperties()).rejects.toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
    } finally {
      await client.close();
    }
  });

  it('fails raw TCP and TLS connections to Azure hosts, however they are called', async () => {
    const attempts = [
      net.connect(5671, 'orders.servicebus.windows.net'),
      net.createConnection({ host: 'ORDERS.servicebus.windows.net.', port: 5672 }),
      new net.Socket().connect({ host: 'db.documents.azure.com', port: 443 }),
      tls.connect({ host: 'kv.vault.azure.net', port: 443 }),
    ];
    for (const socket of attempts) expect(await socketError(socket)).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
  });

  it('fails TLS to an Azure host through a proxy tunnel before one byte of the handshake goes down it', async () => {
    const received: Buffer[] = [];
    const proxy = net.createServer((socket) => socket.on('data', (chunk) => received.push(chunk)).on('error', () => {}));
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    try {
      const tunnel = net.connect((proxy.address() as AddressInfo).port, '127.0.0.1');
      await new Promise((done) => tunnel.once('connect', done));
      const error = await socketError(tls.connect({ socket: tunnel, servername: 'acct.blob.core.windows.net' }));
      expect(error).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
      expect(error.message).toContain('acct.blob.core.windows.net');
      await new Promise((done) => setTimeout(done, 20));
      expect(Buffer.concat(received).length).toBe(0);
    } finally {
      proxy.close();
    }
  });

  it("fails the connection while the test's fake timers hold setImmediate", async () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'setInterval'] });
    try {
      expect(await socketError(net.connect(443, 'acct.queue.core.windows.net'))).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets connections to the emulators and other hosts through, and leaves node:http unpatched', async () => {
    const container = BlobServiceClient.fromConnectionString(lz.env.connectionString).getContainerClient('connections-allowed');
    await container.create();
    await container.getBlockBlobClient('a.txt').upload('ok', 2);
    expect((await container.getBlockBlobClient('a.txt').downloadToBuffer()).toString()).toBe('ok');
    expect(http.request).toBe(httpRequestBefore);
  });

  it('puts node:net back when disarmed, and holds again when re-armed', async () => {
    lz.guard.disarm();
    const unguarded = net.connect({ host: 'orders.servicebus.windows.net', port: 5671, lookup: (_host, _options, callback) => callback(new Error('no lookup in tests'), '', 4) });
    expect((await socketError(unguarded)).code).not.toBe('LZ_REAL_AZURE_BLOCKED');
    lz.guard.arm();
    expect(await socketError(net.connect(5671, 'orders.servicebus.windows.net'))).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
  });
});

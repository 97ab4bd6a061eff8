import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['steady'] });

/** Writes `bytes` on a fresh connection and resolves with what came back when the server closed it. */
function exchange(bytes: Buffer, hangUpAfterMs = 3_000): Promise<Buffer> {
  const port = Number(/:(\d+)$/.exec(sb.service.getEndpoint(DEFAULT_ACCOUNT)!.url)![1]);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), hangUpAfterMs);
  });
}

async function stillServes(): Promise<void> {
  await sb.client.createSender('steady').sendMessages({ body: 'still here' });
  const [m] = await sb.client.createReceiver('steady', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2_000 });
  expect(m!.body).toBe('still here');
}

describe('Service Bus on a broken wire', () => {
  it('closes a connection that sends something other than AMQP, and keeps serving others', async () => {
    const answer = await exchange(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    // AMQP's answer to a wrong protocol header is its own header, then the close.
    expect(answer.subarray(0, 4).toString()).toBe('AMQP');
    await stillServes();
  });

  it('closes a connection whose frame is larger than negotiated, and keeps serving others', async () => {
    const header = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0]);
    const frame = Buffer.alloc(8);
    frame.writeUInt32BE(10 * 1024 * 1024, 0);
    frame.writeUInt8(2, 4);
    const started = Date.now();
    await exchange(Buffer.concat([header, frame, Buffer.alloc(64)]));
    expect(Date.now() - started).toBeLessThan(2_000);
    await stillServes();
  });

  it('survives a truncated frame followed by a hang-up', async () => {
    const header = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0]);
    const partial = Buffer.from([0, 0, 0, 40, 2, 0, 0, 0, 0x00, 0x53]);
    await exchange(Buffer.concat([header, partial]), 100);
    await stillServes();
  });
});

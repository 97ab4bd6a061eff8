import { EventHubProducerClient } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { failure, noRetry, useEventHubs } from './support.js';

const eh = useEventHubs({ telemetry: { partitionCount: 1 } });

describe('Event Hubs authorization (CBS)', () => {
  it('refuses a wrong key with UnauthorizedError', async () => {
    const wrong = eh.connectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.from('not the key').toString('base64')}`);
    const producer = new EventHubProducerClient(wrong, 'telemetry', noRetry);
    const error = await failure(producer.getEventHubProperties());
    await producer.close();
    expect(error.code).toBe('UnauthorizedError');
  });

  it('refuses an unknown key name with UnauthorizedError', async () => {
    const wrong = eh.connectionString.replace(/SharedAccessKeyName=[^;]+/, 'SharedAccessKeyName=nobody');
    const producer = new EventHubProducerClient(wrong, 'telemetry', noRetry);
    const error = await failure(producer.sendBatch([{ body: 'x' }]));
    await producer.close();
    expect(error.code).toBe('UnauthorizedError');
  });

  it('answers MessagingEntityNotFoundError for the properties of a hub that does not exist', async () => {
    const error = await failure(eh.producer('missing').getEventHubProperties());
    expect(error.code).toBe('MessagingEntityNotFoundError');
  });

  it('accepts the EntityPath form of the connection string', async () => {
    const producer = new EventHubProducerClient(`${eh.connectionString};EntityPath=telemetry`, noRetry);
    await producer.sendBatch([{ body: 'x' }]);
    expect((await producer.getPartitionProperties('0')).lastEnqueuedSequenceNumber).toBe(0);
    await producer.close();
  });

  it('keeps a garbage-sending connection from affecting other clients', async () => {
    const { connect } = await import('node:net');
    const port = Number(/:(\d+);/.exec(eh.connectionString)![1]);
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\nnot amqp at all')));
      // Read what the service answers (its protocol header), or the end it sends after it never arrives.
      socket.resume();
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect((await eh.producer('telemetry').getEventHubProperties()).name).toBe('telemetry');
  });
});

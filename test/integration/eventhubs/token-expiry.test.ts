import { EventHubProducerClient } from '@azure/event-hubs';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { failure, noRetry, useEventHubs } from './support.js';

// Its own file: the emulators' clock only moves forward, and later tests would run two hours ahead.
const eh = useEventHubs({ telemetry: { partitionCount: 1 } });

describe('Event Hubs token expiry', () => {
  it('refuses a token that has expired on both the wall clock and the emulators clock with UnauthorizedError', async () => {
    const endpoint = /Endpoint=(sb:\/\/[^;]+)/.exec(eh.connectionString)![1]!.replace(/\/?$/, '/');
    const audience = encodeURIComponent(`${endpoint}telemetry`);
    const se = Math.floor(Date.now() / 1000) - 60;
    const sig = encodeURIComponent(createHmac('sha256', DEFAULT_ACCOUNT.key).update(`${audience}\n${se}`).digest('base64'));
    const token = `SharedAccessSignature sr=${audience}&sig=${sig}&se=${se}&skn=${DEFAULT_ACCOUNT.name}`;
    const producer = new EventHubProducerClient(`Endpoint=${endpoint};SharedAccessSignature=${token};UseDevelopmentEmulator=true`, 'telemetry', noRetry);
    expect((await failure(producer.getEventHubProperties())).code).toBe('UnauthorizedError');
    await producer.close();
  });

  it('keeps serving after the emulators clock moves past the SDK one-hour token', async () => {
    const producer = eh.producer('telemetry');
    await producer.getEventHubProperties();
    // The SDK signs its tokens for one hour of wall-clock time; the emulators' clock runs two hours ahead.
    eh.clock.advance(2 * 3600_000);
    expect((await producer.getPartitionProperties('0')).partitionId).toBe('0');
  });
});

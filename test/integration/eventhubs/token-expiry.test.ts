import { describe, expect, it } from 'vitest';
import { failure, useEventHubs } from './support.js';

// Its own file: the emulators' clock only moves forward, and every later token would be expired too.
const eh = useEventHubs({ telemetry: { partitionCount: 1 } });

describe('Event Hubs token expiry', () => {
  it('refuses a request whose token expired on the emulators clock with UnauthorizedError', async () => {
    const producer = eh.producer('telemetry');
    await producer.getEventHubProperties();
    eh.clock.advance(2 * 3600_000);
    expect((await failure(producer.getPartitionProperties('0'))).code).toBe('UnauthorizedError');
  });
});

import { newPipeline, QueueServiceClient, type RequestPolicy } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { noRetry, useQueueService } from './support.js';

const queue = useQueueService();

const rules = [{ allowedOrigins: 'https://app.example', allowedMethods: 'GET,POST', allowedHeaders: '*', exposedHeaders: 'x-ms-*', maxAgeInSeconds: 60 }];

describe('queue CORS', () => {
  it('answers a preflight from the service properties and refuses one no rule allows', async () => {
    await queue.client.setProperties({ cors: rules });
    const ask = (origin: string) => fetch(`${queue.url}/jobs/messages`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-ms-version' } });
    const allowed = await ask('https://app.example');
    expect([allowed.status, allowed.headers.get('access-control-allow-origin'), allowed.headers.get('access-control-max-age')]).toEqual([200, 'https://app.example', '60']);
    const refused = await ask('https://other.example');
    expect([refused.status, refused.headers.get('x-ms-error-code')]).toEqual([403, 'CorsPreflightFailure']);
  });

  it('adds the allowed origin and exposed headers to answers for a request from that origin', async () => {
    await queue.client.setProperties({ cors: rules });
    const pipeline = newPipeline(queue.credential, noRetry);
    pipeline.factories.unshift({
      create: (next: RequestPolicy) => ({
        sendRequest: (request) => {
          request.headers.set('Origin', 'https://app.example');
          return next.sendRequest(request);
        },
      }),
    });
    const response = await new QueueServiceClient(queue.url, pipeline).getProperties();
    expect(response._response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response._response.headers.get('access-control-expose-headers')?.split(',')).toContain('x-ms-request-id');
  });
});

import { BlobServiceClient, newPipeline, type RequestPolicy } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { PIPELINE } from './harness/targets.js';

const RULE = { allowedOrigins: 'https://app.example', allowedMethods: 'GET,PUT', allowedHeaders: 'x-ms-meta-*', exposedHeaders: 'x-ms-request-id', maxAgeInSeconds: 600 };

/** The preflight a browser sends before a cross-origin request: the status, error code and access-control headers it gets. */
async function preflight(client: BlobServiceClient, headers: Record<string, string>) {
  const response = await fetch(`${client.url.replace(/\/$/, '')}/container/blob`, { method: 'OPTIONS', headers });
  const access = Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
  return { status: response.status, errorCode: response.headers.get('x-ms-error-code'), access };
}

/** Runs `run` with the account's CORS rules set to `rules`, then puts back what the account had. */
async function withRules<T>(client: BlobServiceClient, rules: (typeof RULE)[], run: () => Promise<T>): Promise<T> {
  const before = await client.getProperties();
  await client.setProperties({ ...before, cors: rules });
  try {
    return await run();
  } finally {
    await client.setProperties(before);
  }
}

conformance('CORS', (scenario) => {
  scenario('a preflight matching a rule answers its origin, method, headers and max-age', (client) =>
    withRules(client, [RULE], async () => ({
      allowed: await preflight(client, { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-ms-meta-a' }),
    })),
  );

  scenario('a preflight no rule allows is 403 CorsPreflightFailure', (client) =>
    withRules(client, [RULE], async () => ({
      origin: await preflight(client, { Origin: 'https://other.example', 'Access-Control-Request-Method': 'GET' }),
      method: await preflight(client, { Origin: 'https://app.example', 'Access-Control-Request-Method': 'DELETE' }),
      header: await preflight(client, { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-custom' }),
    })),
  );

  scenario('without rules every preflight is refused, and one without a request method is 400', (client) =>
    withRules(client, [], async () => ({
      noRules: await preflight(client, { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' }),
      noMethod: await preflight(client, { Origin: 'https://app.example' }),
    })),
  );

  scenario('an answer to a request from an allowed origin carries Allow-Origin, Vary and the exposed headers', (client) =>
    withRules(client, [RULE], async () => {
      const pipeline = newPipeline(client.credential, PIPELINE);
      pipeline.factories.unshift({
        create: (next: RequestPolicy) => ({
          sendRequest: (request) => {
            request.headers.set('Origin', 'https://app.example');
            return next.sendRequest(request);
          },
        }),
      });
      const headers = (await new BlobServiceClient(client.url, pipeline).getProperties())._response.headers;
      return {
        allowOrigin: headers.get('access-control-allow-origin'),
        vary: headers.get('vary'),
        exposed: headers.get('access-control-expose-headers')?.split(',').includes('x-ms-request-id'),
      };
    }),
  );
});

import type { RestError } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { attempt, withStatus } from './harness/observe.js';
import type { Observation } from './harness/scenario.js';

/** The part of a raw SDK response (success or RestError) that holds both sides' headers. */
interface Exchange {
  headers: { get(name: string): string | undefined };
  request: { headers: { get(name: string): string | undefined } };
}

conformance('blob service', (scenario) => {
  scenario('service properties round-trip CORS rules and the default version', async (client) => {
    const before = await client.getProperties();
    const set = await attempt(() =>
      client.setProperties({
        ...before,
        defaultServiceVersion: '2020-10-02',
        cors: [
          {
            allowedOrigins: 'https://app.example',
            allowedMethods: 'GET,PUT',
            allowedHeaders: 'x-ms-meta-*',
            exposedHeaders: 'x-ms-request-id',
            maxAgeInSeconds: 600,
          },
        ],
      }),
    );
    const after = await attempt(
      () => client.getProperties(),
      withStatus((r) => ({ defaultServiceVersion: r.defaultServiceVersion, cors: r.cors?.map((rule) => ({ ...rule })) })),
    );
    // Restore what the account had, so the rule does not leak into other scenarios' CORS checks.
    await client.setProperties(before);
    return { set, after };
  });

  scenario(
    'every response carries a request id and echoes the requested service version, errors too',
    async (client, names) => {
      // Compared with what the SDK sent, so the SDK's own version never becomes part of the observation.
      const headersOf = (response: Exchange) => ({
        requestId: Boolean(response.headers.get('x-ms-request-id')),
        versionEchoed: response.headers.get('x-ms-version') === response.request.headers.get('x-ms-version'),
      });
      const container = client.getContainerClient(names.container());
      const created = await container.create();
      const properties = await container.getProperties();
      let missing: Observation = { failed: false };
      try {
        await container.getBlobClient('missing.txt').download();
      } catch (error) {
        const { response } = error as RestError;
        missing = response ? headersOf(response) : { failed: true };
      }
      return { created: headersOf(created._response), properties: headersOf(properties._response), missing };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/versioning-for-the-azure-storage-services',
        // Azurite answers with its own newest version on success and sends no x-ms-version on errors.
        quote:
          'If a request has a valid x-ms-version header, the storage service uses the specified version. ' +
          '(Response headers of every Blob operation: "x-ms-version: Indicates the version of Blob Storage used to execute the request.")',
        expected: () => {
          const echoed = { requestId: true, versionEchoed: true };
          return { created: echoed, properties: echoed, missing: echoed };
        },
      },
    },
  );

  scenario('account information reports the SKU and account kind', async (client) => ({
    info: await attempt(
      () => client.getAccountInfo(),
      withStatus((r) => ({ skuName: r.skuName, accountKind: r.accountKind })),
    ),
  }));

  scenario(
    'listing containers with maxPageSize 0 answers 400 OutOfRangeQueryParameterValue',
    async (client) => ({
      list: await attempt(() => client.listContainers().byPage({ maxPageSize: 0 }).next(), () => 'succeeded'),
    }),
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/enumerating-blob-resources',
        // Azurite answers 400 with an empty body and no x-ms-error-code.
        quote:
          'If you specify a maximum number of results of less than or equal to zero, the service returns status code 400 (Bad Request). ' +
          '(common-rest-api-error-codes: OutOfRangeQueryParameterValue | Bad Request (400) | A query parameter specified in the request URI is outside the permissible range.)',
        expected: () => ({ list: { status: 400, code: 'OutOfRangeQueryParameterValue', errorCode: 'OutOfRangeQueryParameterValue' } }),
      },
    },
  );
});

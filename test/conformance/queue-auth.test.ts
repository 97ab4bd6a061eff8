import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  AnonymousCredential,
  QueueClient,
  QueueSASPermissions,
  QueueServiceClient,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateQueueSASQueryParameters,
  type QueueServiceClient as ServiceClient,
} from '@azure/storage-queue';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { attempt } from './harness/observe.js';
import type { AzuriteDifference, Observation } from './harness/scenario.js';
import { queueConformance, type QueueNames } from './queue-harness.js';

const HOUR = 3_600_000;
const PIPELINE = { retryOptions: { maxTries: 1 } };
const key = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
// A valid base64 key that is not the account's.
const WRONG_KEY = Buffer.alloc(64, 7).toString('base64');

/** The account URL (`http://host:port/devstoreaccount1`) of a service client. */
const accountUrl = (client: ServiceClient) => client.url.replace(/\/$/, '');

function queueWithSas(client: ServiceClient, name: string, sas: string): QueueClient {
  return new QueueClient(`${accountUrl(client)}/${name}?${sas}`, new AnonymousCredential(), PIPELINE);
}

function queueSas(name: string, permissions: string, window: { startsOn?: Date; expiresOn?: Date; identifier?: string } = {}): string {
  const expiresOn = window.identifier ? window.expiresOn : (window.expiresOn ?? new Date(Date.now() + HOUR));
  return generateQueueSASQueryParameters(
    { queueName: name, permissions: permissions ? QueueSASPermissions.parse(permissions) : undefined, ...window, expiresOn },
    key,
  ).toString();
}

async function seededQueue(client: ServiceClient, names: QueueNames): Promise<QueueClient> {
  const queue = client.getQueueClient(names.queue());
  await queue.create();
  await queue.sendMessage('seeded');
  return queue;
}

/** Azurite answers a request without any credentials as if it had a bad signature (403 AuthenticationFailed). */
const noAuthenticationInformation: AzuriteDifference = {
  reference: 'https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes',
  quote:
    'NoAuthenticationInformation | Unauthorized (401) | Server failed to authenticate the request. Please refer to the information in the www-authenticate header. ' +
    '(The queue service answers exactly this to a request whose SAS was not recognised: github.com/Azure/azure-sdk-for-java/issues/40920.)',
  expected: (azurite) => ({
    ...azurite,
    peek: { status: 401, code: 'NoAuthenticationInformation', errorCode: 'NoAuthenticationInformation' } satisfies Observation,
  }),
};

queueConformance('queue auth', (scenario) => {
  scenario('a request signed with the wrong key answers 403', async (client, names) => {
    const queue = new QueueServiceClient(accountUrl(client), new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, WRONG_KEY), PIPELINE).getQueueClient(names.queue());
    return { create: await attempt(() => queue.create()) };
  });

  scenario('an anonymous request is refused', async (client, names) => {
    const queue = await seededQueue(client, names);
    const anonymous = new QueueClient(queue.url, new AnonymousCredential(), PIPELINE);
    return { peek: await attempt(() => anonymous.peekMessages(), () => ({ allowed: true })) };
  }, { knownAzuriteDifference: noAuthenticationInformation });

  scenario('a queue SAS grants exactly its permissions', async (client, names) => {
    const queue = await seededQueue(client, names);
    const readOnly = queueWithSas(client, queue.name, queueSas(queue.name, 'r'));
    const addOnly = queueWithSas(client, queue.name, queueSas(queue.name, 'a'));
    const process = queueWithSas(client, queue.name, queueSas(queue.name, 'p'));
    return {
      peek: await attempt(() => readOnly.peekMessages(), (r) => ({ texts: r.peekedMessageItems.map((m) => m.messageText) })),
      properties: await attempt(() => readOnly.getProperties(), (r) => ({ count: r.approximateMessagesCount })),
      sendWithRead: await attempt(() => readOnly.sendMessage('nope')),
      send: await attempt(() => addOnly.sendMessage('yes'), () => ({ sent: true })),
      receiveWithAdd: await attempt(() => addOnly.receiveMessages()),
      receive: await attempt(() => process.receiveMessages(), (r) => ({ n: r.receivedMessageItems.length })),
    };
  });

  scenario('a queue SAS cannot delete the queue or change its metadata', async (client, names) => {
    const queue = await seededQueue(client, names);
    const all = queueWithSas(client, queue.name, queueSas(queue.name, 'raup'));
    return { setMetadata: await attempt(() => all.setMetadata({ a: 'b' })), delete: await attempt(() => all.delete()) };
  });

  scenario('an expired queue SAS is refused', async (client, names) => {
    const queue = await seededQueue(client, names);
    const expired = queueWithSas(client, queue.name, queueSas(queue.name, 'r', { startsOn: new Date(Date.now() - 2 * HOUR), expiresOn: new Date(Date.now() - HOUR) }));
    return { peek: await attempt(() => expired.peekMessages()) };
  });

  scenario('a queue SAS may take its permissions from a stored access policy', async (client, names) => {
    const queue = await seededQueue(client, names);
    await queue.setAccessPolicy([{ id: 'peekers', accessPolicy: { permissions: 'r', expiresOn: new Date(Date.now() + HOUR) } }]);
    const viaPolicy = queueWithSas(client, queue.name, queueSas(queue.name, '', { identifier: 'peekers' }));
    return {
      peek: await attempt(() => viaPolicy.peekMessages(), (r) => ({ n: r.peekedMessageItems.length })),
      send: await attempt(() => viaPolicy.sendMessage('nope')),
    };
  });

  scenario('an account SAS grants queue operations by service, resource type and permission', async (client, names) => {
    const queue = await seededQueue(client, names);
    const sas = (services: string, resourceTypes: string, permissions: string) =>
      generateAccountSASQueryParameters(
        {
          expiresOn: new Date(Date.now() + HOUR),
          services: AccountSASServices.parse(services).toString(),
          resourceTypes: AccountSASResourceTypes.parse(resourceTypes).toString(),
          permissions: AccountSASPermissions.parse(permissions),
        },
        key,
      ).toString();
    const serviceWith = (token: string) => new QueueServiceClient(`${accountUrl(client)}?${token}`, new AnonymousCredential(), PIPELINE);
    return {
      list: await attempt(() => serviceWith(sas('q', 's', 'l')).listQueues({ prefix: queue.name }).byPage().next(), (r) => ({ n: r.value.queueItems?.length ?? 0 })),
      listWrongService: await attempt(() => serviceWith(sas('b', 's', 'l')).listQueues().byPage().next()),
      peek: await attempt(() => serviceWith(sas('q', 'o', 'r')).getQueueClient(queue.name).peekMessages(), (r) => ({ n: r.peekedMessageItems.length })),
      peekWrongType: await attempt(() => serviceWith(sas('q', 's', 'r')).getQueueClient(queue.name).peekMessages()),
      sendWithoutAdd: await attempt(() => serviceWith(sas('q', 'o', 'r')).getQueueClient(queue.name).sendMessage('nope')),
      create: await attempt(() => serviceWith(sas('q', 'c', 'c')).getQueueClient(`${queue.name}-x`).create()),
    };
  });
});

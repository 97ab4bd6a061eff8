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
} from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { errorOf, noRetry, uniqueName, useQueueService } from './support.js';

const lz = useQueueService();
const HOUR = 3_600_000;
const key = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);

/** SAS windows are judged on the service clock, which tests move; base them on it. */
const fromNow = (ms: number) => new Date(lz.clock.now() + ms);

function queueSas(queue: string, permissions: string | undefined, options: { identifier?: string; expiresOn?: Date } = {}): string {
  return generateQueueSASQueryParameters(
    { queueName: queue, permissions: permissions === undefined ? undefined : QueueSASPermissions.parse(permissions), expiresOn: options.identifier ? undefined : (options.expiresOn ?? fromNow(HOUR)), identifier: options.identifier },
    key,
  ).toString();
}

function accountSas(services: string, resourceTypes: string, permissions: string): string {
  return generateAccountSASQueryParameters(
    {
      expiresOn: fromNow(HOUR),
      services: AccountSASServices.parse(services).toString(),
      resourceTypes: AccountSASResourceTypes.parse(resourceTypes).toString(),
      permissions: AccountSASPermissions.parse(permissions),
    },
    key,
  ).toString();
}

const queueWith = (name: string, sas: string) => new QueueClient(`${lz.url}/${name}?${sas}`, new AnonymousCredential(), noRetry);
const serviceWith = (sas: string) => new QueueServiceClient(`${lz.url}?${sas}`, new AnonymousCredential(), noRetry);

describe('queue service: Shared Key', () => {
  it('refuses a request signed with another key: 403 AuthenticationFailed', async () => {
    const wrong = new QueueServiceClient(lz.url, new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, Buffer.alloc(64, 1).toString('base64')), noRetry);
    expect(await errorOf(wrong.getQueueClient(uniqueName('wrongkey')).create())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('refuses an account the emulator does not know: 403 AuthenticationFailed', async () => {
    const stranger = new StorageSharedKeyCredential('nosuchaccount', DEFAULT_ACCOUNT.key);
    const client = new QueueServiceClient(lz.url.replace(DEFAULT_ACCOUNT.name, 'nosuchaccount'), stranger, noRetry);
    expect(await errorOf(client.getQueueClient(uniqueName('stranger')).create())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('refuses a request without credentials: 401 NoAuthenticationInformation', async () => {
    const queue = await lz.newQueue('anon');
    const anonymous = new QueueClient(queue.url, new AnonymousCredential(), noRetry);
    expect(await errorOf(anonymous.peekMessages())).toEqual({ statusCode: 401, code: 'NoAuthenticationInformation' });
  });
});

describe('queue service: queue SAS', () => {
  it('grants read (peek, properties), add, update and process each on its own letter', async () => {
    const queue = await lz.newQueue('sasperm');
    await queue.sendMessage('seeded');
    expect((await queueWith(queue.name, queueSas(queue.name, 'r')).peekMessages()).peekedMessageItems).toHaveLength(1);
    expect(await errorOf(queueWith(queue.name, queueSas(queue.name, 'r')).receiveMessages())).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    await queueWith(queue.name, queueSas(queue.name, 'a')).sendMessage('added');
    const [message] = (await queueWith(queue.name, queueSas(queue.name, 'p')).receiveMessages()).receivedMessageItems;
    const updated = await queueWith(queue.name, queueSas(queue.name, 'u')).updateMessage(message!.messageId, message!.popReceipt, 'changed', 0);
    await queueWith(queue.name, queueSas(queue.name, 'p')).deleteMessage(message!.messageId, updated.popReceipt!);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(1);
  });

  it('cannot manage the queue itself, whatever it grants: 403 AuthorizationPermissionMismatch', async () => {
    const queue = await lz.newQueue('sasmanage');
    const all = queueWith(queue.name, queueSas(queue.name, 'raup'));
    expect(await errorOf(all.delete())).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    expect(await errorOf(all.clearMessages())).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    expect(await errorOf(all.getAccessPolicy())).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
  });

  it('stops working when the service clock passes its expiry: 403 AuthenticationFailed', async () => {
    const queue = await lz.newQueue('sasexpiry');
    const client = queueWith(queue.name, queueSas(queue.name, 'r', { expiresOn: fromNow(HOUR) }));
    await client.peekMessages();
    lz.clock.advance(HOUR + 1000);
    expect(await errorOf(client.peekMessages())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('takes permissions and expiry from a stored access policy, and fails once the policy is removed', async () => {
    const queue = await lz.newQueue('saspolicy');
    await queue.setAccessPolicy([{ id: 'peekers', accessPolicy: { permissions: 'r', expiresOn: fromNow(HOUR) } }]);
    const client = queueWith(queue.name, queueSas(queue.name, undefined, { identifier: 'peekers' }));
    expect((await client.peekMessages()).peekedMessageItems).toEqual([]);
    expect(await errorOf(client.sendMessage('no'))).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
    await queue.setAccessPolicy([]);
    expect(await errorOf(client.peekMessages())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('is bound to its queue: a signature for one queue fails on another', async () => {
    const [signed, other] = [await lz.newQueue('sasbound'), await lz.newQueue('sasother')];
    expect(await errorOf(queueWith(other.name, queueSas(signed.name, 'r')).peekMessages())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });
});

describe('queue service: account SAS', () => {
  it('lists queues with service-level list permission', async () => {
    const queue = await lz.newQueue('acctlist');
    const page = await serviceWith(accountSas('q', 's', 'l')).listQueues({ prefix: queue.name }).byPage().next();
    expect(page.value.queueItems?.map((q: { name: string }) => q.name)).toEqual([queue.name]);
  });

  it('refuses a SAS for another service: 403 AuthorizationServiceMismatch', async () => {
    expect(await errorOf(serviceWith(accountSas('b', 's', 'l')).listQueues().byPage().next())).toEqual({ statusCode: 403, code: 'AuthorizationServiceMismatch' });
  });

  it('refuses a SAS for another resource type: 403 AuthorizationResourceTypeMismatch', async () => {
    const queue = await lz.newQueue('accttype');
    const client = serviceWith(accountSas('q', 's', 'r')).getQueueClient(queue.name);
    expect(await errorOf(client.peekMessages())).toEqual({ statusCode: 403, code: 'AuthorizationResourceTypeMismatch' });
  });

  it('creates queues with create permission and sends with add permission', async () => {
    const name = uniqueName('acctcreate');
    await serviceWith(accountSas('q', 'c', 'c')).getQueueClient(name).create();
    await serviceWith(accountSas('q', 'o', 'a')).getQueueClient(name).sendMessage('via sas');
    expect(await errorOf(serviceWith(accountSas('q', 'o', 'r')).getQueueClient(name).sendMessage('no'))).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
  });
});

describe('queue service: malformed requests on the wire', () => {
  // An account SAS lets plain fetch send what the SDK never would.
  const sas = () => accountSas('q', 'sco', 'rwdlacup');
  const call = async (method: string, path: string, query = '', body?: string) => {
    const response = await fetch(`${lz.url}/${path}?${sas()}${query}`, { method, body });
    return { status: response.status, code: response.headers.get('x-ms-error-code') };
  };

  it('a message body that is not XML answers 400 InvalidXmlDocument', async () => {
    const queue = await lz.newQueue('wirexml');
    expect(await call('POST', `${queue.name}/messages`, '', '<QueueMessage><MessageText>unclosed')).toEqual({ status: 400, code: 'InvalidXmlDocument' });
    expect(await call('POST', `${queue.name}/messages`, '', '<QueueMessage></QueueMessage>')).toEqual({ status: 400, code: 'InvalidXmlDocument' });
    expect(await call('POST', `${queue.name}/messages`)).toEqual({ status: 400, code: 'InvalidXmlDocument' });
  });

  it('a body over 128 KiB answers 413 RequestBodyTooLarge', async () => {
    const queue = await lz.newQueue('wirebig');
    const body = `<QueueMessage><MessageText>${'x'.repeat(200 * 1024)}</MessageText></QueueMessage>`;
    expect(await call('POST', `${queue.name}/messages`, '', body)).toEqual({ status: 413, code: 'RequestBodyTooLarge' });
  });

  it('a time-to-live that is not a number answers 400 InvalidQueryParameterValue', async () => {
    const queue = await lz.newQueue('wirettl');
    const body = '<QueueMessage><MessageText>m</MessageText></QueueMessage>';
    expect(await call('POST', `${queue.name}/messages`, '&messagettl=soon', body)).toEqual({ status: 400, code: 'InvalidQueryParameterValue' });
  });

  it('delete and update without a pop receipt answer 400 MissingRequiredQueryParameter', async () => {
    const queue = await lz.newQueue('wirepop');
    const sent = await queue.sendMessage('m');
    expect(await call('DELETE', `${queue.name}/messages/${sent.messageId}`)).toEqual({ status: 400, code: 'MissingRequiredQueryParameter' });
    expect(await call('PUT', `${queue.name}/messages/${sent.messageId}`, `&popreceipt=${encodeURIComponent(sent.popReceipt)}`)).toEqual({
      status: 400,
      code: 'MissingRequiredQueryParameter',
    });
  });

  it('a path that is neither a queue nor its messages answers 400 InvalidUri', async () => {
    const queue = await lz.newQueue('wirepath');
    expect(await call('GET', `${queue.name}/letters`)).toEqual({ status: 400, code: 'InvalidUri' });
  });

  it('an unsupported verb on messages answers 405 UnsupportedHttpVerb', async () => {
    const queue = await lz.newQueue('wireverb');
    expect(await call('PATCH', `${queue.name}/messages`)).toEqual({ status: 405, code: 'UnsupportedHttpVerb' });
  });
});

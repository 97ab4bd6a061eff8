import type { QueueClient, ReceivedMessageItem } from '@azure/storage-queue';
import type { QueueServiceClient } from '@azure/storage-queue';
import { attempt, withStatus } from './harness/observe.js';
import type { AzuriteDifference, Observation } from './harness/scenario.js';
import { queueConformance, type QueueNames } from './queue-harness.js';

const SECOND = 1000;
const KIB = 1024;

async function newQueue(client: QueueServiceClient, names: QueueNames): Promise<QueueClient> {
  const queue = client.getQueueClient(names.queue());
  await queue.create();
  return queue;
}

/** Everything but ids, receipts and absolute times, which differ between two correct servers. */
const received = (m: ReceivedMessageItem) => ({
  messageText: m.messageText,
  dequeueCount: m.dequeueCount,
  hasPopReceipt: m.popReceipt !== '',
  hiddenForSeconds: Math.round((m.nextVisibleOn.getTime() - m.insertedOn.getTime()) / SECOND),
});

/**
 * Azurite's request validator refuses some query values before its handlers
 * run, answering a bare 400 with no error code; Azure names the parameter's fault.
 */
function codeMissing(step: string, code: string, quote: string): AzuriteDifference {
  return {
    reference: 'https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes',
    quote,
    expected: (azurite) => ({ ...azurite, [step]: { ...(azurite[step] as Observation), code, errorCode: code } }),
  };
}

queueConformance('messages', (scenario) => {
  scenario('send answers 201 with a seven-day time-to-live by default', async (client, names) => {
    const queue = await newQueue(client, names);
    return {
      sent: await attempt(() => queue.sendMessage('hello'), withStatus((r) => ({
        ttlSeconds: (r.expiresOn.getTime() - r.insertedOn.getTime()) / SECOND,
        visibleAtInsertion: r.nextVisibleOn.getTime() === r.insertedOn.getTime(),
        hasPopReceipt: r.popReceipt !== '',
      }))),
    };
  });

  scenario('a time-to-live of -1 never expires', async (client, names) => {
    const queue = await newQueue(client, names);
    return { sent: await attempt(() => queue.sendMessage('forever', { messageTimeToLive: -1 }), withStatus((r) => ({ expiresYear: r.expiresOn.getUTCFullYear() }))) };
  });

  scenario('send to a missing queue answers 404 QueueNotFound', async (client, names) => {
    return { sent: await attempt(() => client.getQueueClient(names.queue()).sendMessage('lost')) };
  });

  scenario('text with markup and non-ASCII characters round-trips', async (client, names) => {
    const queue = await newQueue(client, names);
    const text = '<order id="1">&amp; ünïcødé ✓ \'quoted\'</order>';
    await queue.sendMessage(text);
    return {
      peeked: (await queue.peekMessages()).peekedMessageItems.map((m) => m.messageText),
      received: (await queue.receiveMessages()).receivedMessageItems.map(received),
    };
  });

  scenario('a 64 KiB message is accepted and one byte more answers 413 RequestBodyTooLarge', async (client, names) => {
    const queue = await newQueue(client, names);
    return {
      atLimit: await attempt(() => queue.sendMessage('x'.repeat(64 * KIB))),
      overLimit: await attempt(() => queue.sendMessage('x'.repeat(64 * KIB + 1))),
      multiByteOverLimit: await attempt(() => queue.sendMessage('é'.repeat(32 * KIB + 1))),
      count: (await queue.getProperties()).approximateMessagesCount,
    };
  });

  scenario('send rejects visibility timeouts and time-to-live values outside the rules', async (client, names) => {
    const queue = await newQueue(client, names);
    return {
      visibilityTooLong: await attempt(() => queue.sendMessage('m', { visibilityTimeout: 7 * 24 * 3600 + 1 })),
      visibilityNegative: await attempt(() => queue.sendMessage('m', { visibilityTimeout: -1 })),
      ttlZero: await attempt(() => queue.sendMessage('m', { messageTimeToLive: 0 })),
      ttlBelowMinusOne: await attempt(() => queue.sendMessage('m', { messageTimeToLive: -2 })),
      visibilityNotBeforeExpiry: await attempt(() => queue.sendMessage('m', { visibilityTimeout: 60, messageTimeToLive: 60 })),
      count: (await queue.getProperties()).approximateMessagesCount,
    };
  }, {
    knownAzuriteDifference: codeMissing(
      'ttlBelowMinusOne',
      'InvalidQueryParameterValue',
      'InvalidQueryParameterValue | Bad Request (400) | A value specified in a URI parameter is invalid. (put-message: messagettl "can be any positive number, as well as -1 indicating that the message does not expire".)',
    ),
  });

  scenario('receive takes visible messages in order and hides them', async (client, names) => {
    const queue = await newQueue(client, names);
    for (const text of ['a', 'b', 'c']) await queue.sendMessage(text);
    await queue.sendMessage('hidden', { visibilityTimeout: 300 });
    return {
      first: (await queue.receiveMessages({ numberOfMessages: 2, visibilityTimeout: 120 })).receivedMessageItems.map(received),
      rest: (await queue.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems.map(received),
      none: (await queue.receiveMessages()).receivedMessageItems.length,
      count: (await queue.getProperties()).approximateMessagesCount,
    };
  });

  scenario('receive asks for 1 to 32 messages', async (client, names) => {
    const queue = await newQueue(client, names);
    return {
      zero: await attempt(() => queue.receiveMessages({ numberOfMessages: 0 })),
      thirtyThree: await attempt(() => queue.receiveMessages({ numberOfMessages: 33 })),
      peekThirtyThree: await attempt(() => queue.peekMessages({ numberOfMessages: 33 })),
    };
  }, {
    knownAzuriteDifference: codeMissing(
      'zero',
      'OutOfRangeQueryParameterValue',
      'OutOfRangeQueryParameterValue | Bad Request (400) | A query parameter specified in the request URI is outside the permissible range. (get-messages: numofmessages is "a nonzero integer value ... up to a maximum of 32".)',
    ),
  });

  scenario('receive asks for a visibility timeout of 1 second to 7 days', async (client, names) => {
    const queue = await newQueue(client, names);
    return {
      zero: await attempt(() => queue.receiveMessages({ visibilityTimeout: 0 })),
      tooLong: await attempt(() => queue.receiveMessages({ visibilityTimeout: 7 * 24 * 3600 + 1 })),
    };
  });

  scenario('peek leaves messages visible and their dequeue count alone', async (client, names) => {
    const queue = await newQueue(client, names);
    await queue.sendMessage('one');
    await queue.sendMessage('two');
    const peek = async () => (await queue.peekMessages({ numberOfMessages: 5 })).peekedMessageItems.map((m) => ({ text: m.messageText, dequeueCount: m.dequeueCount }));
    return { first: await peek(), second: await peek() };
  });

  scenario('a message made visible again is received with dequeue count 2', async (client, names) => {
    const queue = await newQueue(client, names);
    await queue.sendMessage('retry me');
    const [first] = (await queue.receiveMessages()).receivedMessageItems;
    await queue.updateMessage(first!.messageId, first!.popReceipt, undefined, 0);
    return { again: (await queue.receiveMessages()).receivedMessageItems.map(received) };
  });

  scenario('delete with the current pop receipt removes the message', async (client, names) => {
    const queue = await newQueue(client, names);
    await queue.sendMessage('done');
    const [message] = (await queue.receiveMessages()).receivedMessageItems;
    return {
      delete: await attempt(() => queue.deleteMessage(message!.messageId, message!.popReceipt)),
      again: await attempt(() => queue.deleteMessage(message!.messageId, message!.popReceipt)),
      count: (await queue.getProperties()).approximateMessagesCount,
    };
  });

  scenario('a stale pop receipt answers 400 PopReceiptMismatch', async (client, names) => {
    const queue = await newQueue(client, names);
    await queue.sendMessage('contended');
    const [first] = (await queue.receiveMessages({ visibilityTimeout: 1 })).receivedMessageItems;
    await queue.updateMessage(first!.messageId, first!.popReceipt, undefined, 0);
    await queue.receiveMessages();
    return {
      delete: await attempt(() => queue.deleteMessage(first!.messageId, first!.popReceipt)),
      update: await attempt(() => queue.updateMessage(first!.messageId, first!.popReceipt, 'late', 0)),
    };
  });

  scenario('the pop receipt from send can delete the message', async (client, names) => {
    const queue = await newQueue(client, names);
    const sent = await queue.sendMessage('short-lived');
    return { delete: await attempt(() => queue.deleteMessage(sent.messageId, sent.popReceipt)) };
  });

  scenario('update replaces text and visibility and hands out a new pop receipt', async (client, names) => {
    const queue = await newQueue(client, names);
    await queue.sendMessage('draft');
    const [message] = (await queue.receiveMessages()).receivedMessageItems;
    const updated = await queue.updateMessage(message!.messageId, message!.popReceipt, 'final', 0);
    return {
      newReceipt: updated.popReceipt !== message!.popReceipt,
      peeked: (await queue.peekMessages()).peekedMessageItems.map((m) => ({ text: m.messageText, dequeueCount: m.dequeueCount })),
      oldReceipt: await attempt(() => queue.deleteMessage(message!.messageId, message!.popReceipt)),
      newReceiptDeletes: await attempt(() => queue.deleteMessage(message!.messageId, updated.popReceipt!)),
    };
  });

  scenario('update without text keeps the text', async (client, names) => {
    const queue = await newQueue(client, names);
    const sent = await queue.sendMessage('kept');
    await queue.updateMessage(sent.messageId, sent.popReceipt, undefined, 0);
    return { peeked: (await queue.peekMessages()).peekedMessageItems.map((m) => m.messageText) };
  });

  scenario('update of a missing message answers 404 MessageNotFound', async (client, names) => {
    const queue = await newQueue(client, names);
    const sent = await queue.sendMessage('gone');
    await queue.deleteMessage(sent.messageId, sent.popReceipt);
    return {
      update: await attempt(() => queue.updateMessage(sent.messageId, sent.popReceipt, 'x', 0)),
      delete: await attempt(() => queue.deleteMessage(sent.messageId, sent.popReceipt)),
    };
  });

  scenario('update rejects a visibility timeout over 7 days', async (client, names) => {
    const queue = await newQueue(client, names);
    const sent = await queue.sendMessage('m');
    return { update: await attempt(() => queue.updateMessage(sent.messageId, sent.popReceipt, 'x', 7 * 24 * 3600 + 1)) };
  });

  scenario('clear removes every message, hidden or not', async (client, names) => {
    const queue = await newQueue(client, names);
    await queue.sendMessage('visible');
    await queue.sendMessage('hidden', { visibilityTimeout: 60 });
    return { clear: await attempt(() => queue.clearMessages()), count: (await queue.getProperties()).approximateMessagesCount };
  });

  scenario('messages of a deleted queue go with it', async (client, names) => {
    const name = names.queue();
    const queue = client.getQueueClient(name);
    await queue.create();
    await queue.sendMessage('orphan');
    await queue.delete();
    await queue.create();
    return { count: (await queue.getProperties()).approximateMessagesCount, peek: await attempt(() => queue.peekMessages(), (r) => ({ n: r.peekedMessageItems.length })) };
  });
});

import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useQueueService } from './support.js';

const lz = useQueueService();
const KIB = 1024;
const SEVEN_DAYS_S = 7 * 24 * 3600;

describe('queue service: sending messages', () => {
  it('sends a message that lives seven days by default and is visible at once', async () => {
    const queue = await lz.newQueue('send');
    const sent = await queue.sendMessage('hello');
    expect(sent._response.status).toBe(201);
    expect(sent.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.popReceipt).not.toBe('');
    expect(sent.expiresOn.getTime() - sent.insertedOn.getTime()).toBe(SEVEN_DAYS_S * 1000);
    expect(sent.nextVisibleOn.getTime()).toBe(sent.insertedOn.getTime());
  });

  it('a time-to-live of -1 means the message never expires', async () => {
    const queue = await lz.newQueue('forever');
    const sent = await queue.sendMessage('forever', { messageTimeToLive: -1 });
    expect(sent.expiresOn.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it('keeps markup and non-ASCII text exactly', async () => {
    const queue = await lz.newQueue('text');
    const text = '<order id="7">&amp; ünïcødé ✓</order>';
    await queue.sendMessage(text);
    expect((await queue.receiveMessages()).receivedMessageItems[0]!.messageText).toBe(text);
  });

  it('accepts a 64 KiB message', async () => {
    const queue = await lz.newQueue('limit');
    await queue.sendMessage('x'.repeat(64 * KIB));
    expect((await queue.peekMessages()).peekedMessageItems[0]!.messageText).toHaveLength(64 * KIB);
  });

  it('refuses a message over 64 KiB of UTF-8 with 413 RequestBodyTooLarge and stores nothing', async () => {
    const queue = await lz.newQueue('toolarge');
    expect(await errorOf(queue.sendMessage('x'.repeat(64 * KIB + 1)))).toEqual({ statusCode: 413, code: 'RequestBodyTooLarge' });
    expect(await errorOf(queue.sendMessage('é'.repeat(32 * KIB + 1)))).toEqual({ statusCode: 413, code: 'RequestBodyTooLarge' });
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('refuses a visibility timeout over seven days with 400 OutOfRangeQueryParameterValue', async () => {
    const queue = await lz.newQueue('vt');
    expect(await errorOf(queue.sendMessage('m', { visibilityTimeout: SEVEN_DAYS_S + 1 }))).toEqual({ statusCode: 400, code: 'OutOfRangeQueryParameterValue' });
  });

  it.each([0, -2])('refuses a time-to-live of %i with 400 InvalidQueryParameterValue', async (messageTimeToLive) => {
    const queue = await lz.newQueue('ttl');
    expect(await errorOf(queue.sendMessage('m', { messageTimeToLive }))).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
  });

  it('refuses a visibility timeout that does not end before the message expires', async () => {
    const queue = await lz.newQueue('vtttl');
    expect(await errorOf(queue.sendMessage('m', { visibilityTimeout: 60, messageTimeToLive: 60 }))).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
  });

  it('sending to a missing queue answers 404 QueueNotFound', async () => {
    expect(await errorOf(lz.client.getQueueClient(uniqueName('nosuch')).sendMessage('m'))).toEqual({ statusCode: 404, code: 'QueueNotFound' });
  });
});

describe('queue service: receiving and peeking', () => {
  it('receives visible messages oldest first, raising their dequeue count and hiding them for 30 s by default', async () => {
    const queue = await lz.newQueue('receive');
    for (const text of ['first', 'second']) await queue.sendMessage(text);
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    expect(receivedMessageItems.map((m) => [m.messageText, m.dequeueCount])).toEqual([
      ['first', 1],
      ['second', 1],
    ]);
    const now = lz.clock.now();
    expect(receivedMessageItems[0]!.nextVisibleOn.getTime()).toBeGreaterThanOrEqual(Math.floor(now / 1000) * 1000 + 29_000);
    expect((await queue.receiveMessages()).receivedMessageItems).toEqual([]);
  });

  it('receives at most the number asked for', async () => {
    const queue = await lz.newQueue('count');
    for (const n of [1, 2, 3]) await queue.sendMessage(`m${n}`);
    expect((await queue.receiveMessages({ numberOfMessages: 2 })).receivedMessageItems).toHaveLength(2);
  });

  it.each([0, 33])('refuses numofmessages=%i with 400 OutOfRangeQueryParameterValue', async (numberOfMessages) => {
    const queue = await lz.newQueue('numof');
    expect(await errorOf(queue.receiveMessages({ numberOfMessages }))).toEqual({ statusCode: 400, code: 'OutOfRangeQueryParameterValue' });
    expect(await errorOf(queue.peekMessages({ numberOfMessages }))).toEqual({ statusCode: 400, code: 'OutOfRangeQueryParameterValue' });
  });

  it.each([0, SEVEN_DAYS_S + 1])('refuses a receive visibility timeout of %i s with 400 OutOfRangeQueryParameterValue', async (visibilityTimeout) => {
    const queue = await lz.newQueue('rvt');
    expect(await errorOf(queue.receiveMessages({ visibilityTimeout }))).toEqual({ statusCode: 400, code: 'OutOfRangeQueryParameterValue' });
  });

  it('skips messages sent with a visibility timeout', async () => {
    const queue = await lz.newQueue('delayed');
    await queue.sendMessage('later', { visibilityTimeout: 60 });
    await queue.sendMessage('now');
    expect((await queue.receiveMessages({ numberOfMessages: 5 })).receivedMessageItems.map((m) => m.messageText)).toEqual(['now']);
  });

  it('peeks without hiding messages or counting a dequeue', async () => {
    const queue = await lz.newQueue('peek');
    await queue.sendMessage('look');
    const first = (await queue.peekMessages()).peekedMessageItems;
    const second = (await queue.peekMessages()).peekedMessageItems;
    expect(first.map((m) => [m.messageText, m.dequeueCount])).toEqual([['look', 0]]);
    expect(second).toEqual(first);
  });

  it('receiving from a missing queue answers 404 QueueNotFound', async () => {
    expect(await errorOf(lz.client.getQueueClient(uniqueName('gone')).receiveMessages())).toEqual({ statusCode: 404, code: 'QueueNotFound' });
  });
});

describe('queue service: deleting, updating and clearing', () => {
  it('deletes a received message with its pop receipt', async () => {
    const queue = await lz.newQueue('del');
    await queue.sendMessage('done');
    const [message] = (await queue.receiveMessages()).receivedMessageItems;
    const deleted = await queue.deleteMessage(message!.messageId, message!.popReceipt);
    expect(deleted._response.status).toBe(204);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('deleting a message already gone answers 404 MessageNotFound', async () => {
    const queue = await lz.newQueue('delgone');
    const sent = await queue.sendMessage('once');
    await queue.deleteMessage(sent.messageId, sent.popReceipt);
    expect(await errorOf(queue.deleteMessage(sent.messageId, sent.popReceipt))).toEqual({ statusCode: 404, code: 'MessageNotFound' });
  });

  it('a pop receipt from an earlier receive answers 400 PopReceiptMismatch', async () => {
    const queue = await lz.newQueue('stale');
    await queue.sendMessage('contended');
    const [first] = (await queue.receiveMessages({ visibilityTimeout: 1 })).receivedMessageItems;
    lz.clock.advance(1_000);
    const [second] = (await queue.receiveMessages()).receivedMessageItems;
    expect(second!.messageId).toBe(first!.messageId);
    expect(await errorOf(queue.deleteMessage(first!.messageId, first!.popReceipt))).toEqual({ statusCode: 400, code: 'PopReceiptMismatch' });
    expect(await errorOf(queue.updateMessage(first!.messageId, first!.popReceipt, 'x', 0))).toEqual({ statusCode: 400, code: 'PopReceiptMismatch' });
    await queue.deleteMessage(second!.messageId, second!.popReceipt);
  });

  it('updates text and visibility, and only the new pop receipt works after', async () => {
    const queue = await lz.newQueue('update');
    await queue.sendMessage('draft');
    const [message] = (await queue.receiveMessages()).receivedMessageItems;
    const updated = await queue.updateMessage(message!.messageId, message!.popReceipt, 'final', 0);
    expect(updated._response.status).toBe(204);
    expect(updated.popReceipt).not.toBe(message!.popReceipt);
    expect((await queue.peekMessages()).peekedMessageItems.map((m) => m.messageText)).toEqual(['final']);
    expect(await errorOf(queue.deleteMessage(message!.messageId, message!.popReceipt))).toEqual({ statusCode: 400, code: 'PopReceiptMismatch' });
    await queue.deleteMessage(message!.messageId, updated.popReceipt!);
  });

  it('an update without text keeps the text', async () => {
    const queue = await lz.newQueue('keep');
    const sent = await queue.sendMessage('kept');
    await queue.updateMessage(sent.messageId, sent.popReceipt, undefined, 0);
    expect((await queue.peekMessages()).peekedMessageItems[0]!.messageText).toBe('kept');
  });

  it('refuses an update over 64 KiB and leaves the message as it was', async () => {
    const queue = await lz.newQueue('bigupdate');
    const sent = await queue.sendMessage('small');
    expect(await errorOf(queue.updateMessage(sent.messageId, sent.popReceipt, 'x'.repeat(64 * KIB + 1), 0))).toEqual({ statusCode: 413, code: 'RequestBodyTooLarge' });
    expect((await queue.peekMessages()).peekedMessageItems[0]!.messageText).toBe('small');
  });

  it('refuses an update visibility timeout over seven days', async () => {
    const queue = await lz.newQueue('updvt');
    const sent = await queue.sendMessage('m');
    expect(await errorOf(queue.updateMessage(sent.messageId, sent.popReceipt, 'x', SEVEN_DAYS_S + 1))).toEqual({ statusCode: 400, code: 'OutOfRangeQueryParameterValue' });
  });

  it('clears every message, hidden ones too', async () => {
    const queue = await lz.newQueue('clear');
    await queue.sendMessage('visible');
    await queue.sendMessage('hidden', { visibilityTimeout: 60 });
    expect((await queue.clearMessages())._response.status).toBe(204);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { errorOf, useQueueService } from './support.js';

const lz = useQueueService();

describe('queue answers as Azure gives them', () => {
  it('refuses a stored access policy with a permission queues do not have: 400 InvalidXmlDocument', async () => {
    const queue = await lz.newQueue();
    const policy = (permissions: string) => [{ id: 'p1', accessPolicy: { permissions, expiresOn: new Date(Date.now() + 3_600_000) } }];
    await queue.setAccessPolicy(policy('raup'));
    expect(await errorOf(queue.setAccessPolicy(policy('rwd')))).toEqual({ statusCode: 400, code: 'InvalidXmlDocument' });
    expect((await queue.getAccessPolicy()).signedIdentifiers.map((s) => s.accessPolicy?.permissions)).toEqual(['raup']);
  });

  it('refuses a malformed pop receipt with 400 InvalidQueryParameterValue, a wrong one with PopReceiptMismatch', async () => {
    const queue = await lz.newQueue();
    const { messageId, popReceipt } = await queue.sendMessage('m');
    const other = Buffer.from('another receipt!').toString('base64');
    expect(await errorOf(queue.deleteMessage(messageId, 'not a receipt!'))).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
    expect(await errorOf(queue.deleteMessage(messageId, other))).toEqual({ statusCode: 400, code: 'PopReceiptMismatch' });
    await queue.deleteMessage(messageId, popReceipt);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { RequestJournal } from '../../../src/core/request-journal.js';
import { useQueueService } from './support.js';

const journal = new RequestJournal();
const lz = useQueueService({ journal });

describe('queue requests in the journal', () => {
  it("carries Azure's operation names, telling a peek from a receive", async () => {
    const queue = await lz.newQueue('journal');
    await queue.sendMessage('hello');
    await queue.peekMessages();
    const [message] = (await queue.receiveMessages()).receivedMessageItems;
    await queue.updateMessage(message!.messageId, message!.popReceipt, 'changed');
    await queue.clearMessages();
    await queue.delete();

    const operations = journal
      .list({ namespace: DEFAULT_ACCOUNT.name })
      .requests.filter((entry) => entry.path.startsWith(`/${queue.name}`))
      .map((entry) => entry.operation);
    expect(operations).toEqual(['CreateQueue', 'PutMessage', 'PeekMessages', 'GetMessages', 'UpdateMessage', 'ClearMessages', 'DeleteQueue']);
  });
});

import { describe, expect, it } from 'vitest';
import { RequestJournal, type JournalEntry } from '../../src/core/request-journal.js';

const entry = (operation: string, service = 'servicebus', namespace = 'ns'): Omit<JournalEntry, 'seq'> => ({
  time: new Date(0).toISOString(),
  service,
  namespace,
  operation,
  method: 'AMQP',
  path: '/q',
  query: '',
  status: 200,
  headers: {},
  durationMs: 0,
});

describe('RequestJournal', () => {
  it('keeps the newest entries of a full namespace, oldest first, and counts the dropped ones', () => {
    const journal = new RequestJournal({ capacity: 3 });
    for (let i = 1; i <= 7; i++) journal.record(entry(`Op${i}`));
    const page = journal.list({ namespace: 'ns' });
    expect(page.requests.map((e) => e.operation)).toEqual(['Op5', 'Op6', 'Op7']);
    expect(page.dropped).toBe(4);
  });

  it('clears one service of a wrapped namespace and keeps the others in order', () => {
    const journal = new RequestJournal({ capacity: 4 });
    for (let i = 1; i <= 6; i++) journal.record(entry(`Op${i}`, i % 2 === 0 ? 'eventhubs' : 'servicebus'));
    journal.clear({ namespace: 'ns', service: 'eventhubs' });
    journal.record(entry('Op7'));
    expect(journal.list().requests.map((e) => e.operation)).toEqual(['Op3', 'Op5', 'Op7']);
  });
});

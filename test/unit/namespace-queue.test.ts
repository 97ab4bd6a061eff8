import { describe, expect, it } from 'vitest';
import { NamespaceQueue } from '../../src/core/namespace-queue.js';

/** Work that logs its start and end and finishes when the test says so. */
function step(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const work = async () => {
    log.push(`${name} start`);
    await done;
    log.push(`${name} end`);
  };
  return { work, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('NamespaceQueue', () => {
  it('runs work on one namespace one piece after the other', async () => {
    const queue = new NamespaceQueue();
    const log: string[] = [];
    const [a, b] = [step(log, 'a'), step(log, 'b')];
    const ran = [queue.run('acct', a.work), queue.run('acct', b.work)];
    await settle();
    expect(log).toEqual(['a start']);
    a.finish();
    b.finish();
    await Promise.all(ran);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('runs work on different namespaces side by side', async () => {
    const queue = new NamespaceQueue();
    const log: string[] = [];
    const [a, b] = [step(log, 'a'), step(log, 'b')];
    const ran = [queue.run('one', a.work), queue.run('two', b.work)];
    await settle();
    expect(log).toEqual(['a start', 'b start']);
    a.finish();
    b.finish();
    await Promise.all(ran);
  });

  it('runs work on every namespace after all work before it and before all work after it', async () => {
    const queue = new NamespaceQueue();
    const log: string[] = [];
    const [before, all, after] = [step(log, 'before'), step(log, 'all'), step(log, 'after')];
    const ran = [queue.run('one', before.work), queue.run(undefined, all.work), queue.run('two', after.work)];
    await settle();
    expect(log).toEqual(['before start']);
    before.finish();
    await settle();
    expect(log).toEqual(['before start', 'before end', 'all start']);
    all.finish();
    after.finish();
    await Promise.all(ran);
    expect(log).toEqual(['before start', 'before end', 'all start', 'all end', 'after start', 'after end']);
  });

  it('keeps going after a piece of work fails, and hands that failure to its caller only', async () => {
    const queue = new NamespaceQueue();
    const failed = queue.run('acct', () => Promise.reject(new Error('reset failed')));
    const next = queue.run('acct', async () => 'ran');
    await expect(failed).rejects.toThrow('reset failed');
    await expect(next).resolves.toBe('ran');
  });
});

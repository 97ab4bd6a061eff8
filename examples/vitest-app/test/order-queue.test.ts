import { afterEach, describe, expect, it } from 'vitest';
import { useLocalZure } from 'localzure/vitest';
import { OrderQueue } from '../src/order-queue.js';

useLocalZure();
let orders: OrderQueue;
afterEach(() => orders?.close());

describe('Orders on Service Bus', () => {
  it('fulfils a placed order', async () => {
    orders = OrderQueue.fromEnvironment();
    await orders.place('tea', 2);
    const fulfilled: unknown[] = [];
    expect(await orders.fulfilNext(async (order) => void fulfilled.push(order))).toBe(true);
    expect(fulfilled).toEqual([{ item: 'tea', quantity: 2 }]);
  });

  it('starts every test with an empty queue', async () => {
    orders = OrderQueue.fromEnvironment();
    await orders.place('left behind', 1);
  });

  it('finds nothing left by the previous test', async () => {
    orders = OrderQueue.fromEnvironment();
    expect(await orders.fulfilNext(async () => {})).toBe(false);
  });

  it('dead-letters an order that fails more often than the queue allows', async () => {
    orders = OrderQueue.fromEnvironment();
    await orders.place('broken', 1);
    const fail = async () => {
      throw new Error('out of stock');
    };
    await orders.fulfilNext(fail);
    await orders.fulfilNext(fail);
    expect(await orders.failed()).toEqual(['broken']);
  });
});

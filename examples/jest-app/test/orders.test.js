const { useLocalZure } = require('localzure/jest');
const { Orders } = require('../src/orders');

useLocalZure();
let orders;
afterEach(() => orders && orders.close());

describe('Orders on Service Bus', () => {
  it('fulfils a placed order', async () => {
    orders = Orders.fromEnvironment();
    await orders.place('tea', 2);
    const fulfilled = [];
    expect(await orders.fulfilNext(async (order) => void fulfilled.push(order))).toBe(true);
    expect(fulfilled).toEqual([{ item: 'tea', quantity: 2 }]);
  });

  it('starts every test with an empty queue', async () => {
    orders = Orders.fromEnvironment();
    await orders.place('left behind', 1);
  });

  it('finds nothing left by the previous test', async () => {
    orders = Orders.fromEnvironment();
    expect(await orders.fulfilNext(async () => {})).toBe(false);
  });

  it('dead-letters an order that fails more often than the queue allows', async () => {
    orders = Orders.fromEnvironment();
    await orders.place('broken', 1);
    const fail = async () => {
      throw new Error('out of stock');
    };
    await orders.fulfilNext(fail);
    await orders.fulfilNext(fail);
    expect(await orders.failed()).toEqual(['broken']);
  });
});

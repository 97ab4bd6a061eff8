import { expect, it } from 'vitest';
import { useLocalZure } from 'localzure/vitest';
import { Orders } from '../src/orders.js';

useLocalZure();

it('starts every test from the seeded orders', async () => {
  const orders = Orders.fromEnvironment();
  expect(await orders.revenueByCustomer()).toEqual([{ customerId: 'ada', revenue: 12.5 }]);
  await orders.place({ id: 'o-1', customerId: 'bob', total: 40, status: 'paid' });
  expect(await orders.revenueByCustomer()).toEqual([{ customerId: 'bob', revenue: 40 }, { customerId: 'ada', revenue: 12.5 }]);
});

it('does not see the order the previous test placed', async () => {
  const orders = Orders.fromEnvironment();
  expect(await orders.revenueByCustomer()).toEqual([{ customerId: 'ada', revenue: 12.5 }]);
});

it('pays an open order once', async () => {
  const orders = Orders.fromEnvironment();
  await orders.place({ id: 'o-2', customerId: 'cy', total: 7, status: 'open' });
  await orders.pay('cy', 'o-2');
  await expect(orders.pay('cy', 'o-2')).rejects.toMatchObject({ code: 412 });
  expect(await orders.revenueByCustomer()).toContainEqual({ customerId: 'cy', revenue: 7 });
});

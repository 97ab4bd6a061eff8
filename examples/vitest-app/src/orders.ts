import { CosmosClient, type Container } from '@azure/cosmos';

export interface Order {
  id: string;
  customerId: string;
  total: number;
  status: 'open' | 'paid';
}

/** Orders in Cosmos DB, partitioned by customer. */
export class Orders {
  constructor(private readonly container: Container) {}

  /** Reads the connection string the way a deployed app would: from its environment. */
  static fromEnvironment(): Orders {
    const client = new CosmosClient(process.env.LOCALZURE_COSMOSDB_CONNECTION_STRING!);
    return new Orders(client.database('shop').container('orders'));
  }

  async place(order: Order): Promise<void> {
    await this.container.items.create(order);
  }

  async pay(customerId: string, id: string): Promise<void> {
    await this.container.item(id, customerId).patch({ condition: "FROM o WHERE o.status = 'open'", operations: [{ op: 'set', path: '/status', value: 'paid' }] });
  }

  /** What each customer has paid, largest first. */
  async revenueByCustomer(): Promise<Array<{ customerId: string; revenue: number }>> {
    const { resources } = await this.container.items
      .query<{ customerId: string; revenue: number }>("SELECT o.customerId, SUM(o.total) AS revenue FROM o WHERE o.status = 'paid' GROUP BY o.customerId")
      .fetchAll();
    return resources.sort((a, b) => b.revenue - a.revenue);
  }
}

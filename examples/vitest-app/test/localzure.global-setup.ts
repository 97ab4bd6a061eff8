import { withLocalZure } from 'localzure';

export const { setup, teardown } = withLocalZure(['blob', 'queue', 'cosmosdb', 'eventhubs', 'servicebus'], { seed: './fixtures/seed' });

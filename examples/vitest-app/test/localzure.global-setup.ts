import { withLocalZure } from 'localzure';

export const { setup, teardown } = withLocalZure(['blob', 'queue', 'cosmosdb'], { seed: './fixtures/seed' });

import { withLocalZure } from 'localzure';

export const { setup, teardown } = withLocalZure(['blob', 'queue', 'eventhubs'], { seed: './fixtures/seed' });

import { withLocalZure } from 'localzure';

export const { setup, teardown } = withLocalZure(['blob', 'queue', 'servicebus'], { seed: './fixtures/seed' });

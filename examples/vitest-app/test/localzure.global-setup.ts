import { withLocalZure } from 'localzure';

export const { setup, teardown } = withLocalZure(['blob', 'queue'], { seed: './fixtures/seed' });

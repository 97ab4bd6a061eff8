import { withLocalZure } from 'localzure';

// Queue joins here once LocalZure ships it: withLocalZure(['blob', 'queue'], ...).
export const { setup, teardown } = withLocalZure(['blob'], { seed: './fixtures/seed' });

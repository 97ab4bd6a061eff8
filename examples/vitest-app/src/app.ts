import { Uploads } from './uploads.js';

/** The app's shared instance, configured from the environment when the module loads, as many apps do. */
export const uploads = Uploads.fromEnvironment();

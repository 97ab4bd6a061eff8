const { Uploads } = require('./uploads');

/** The app's shared instance, configured from the environment when the module loads, as many apps do. */
const uploads = Uploads.fromEnvironment();

module.exports = { uploads };

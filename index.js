// n8n loads this package through the "n8n" field of package.json (dist/nodes, dist/credentials).
// This entry point only lists the same files for anyone who requires the package directly.
module.exports = require('./package.json').n8n;

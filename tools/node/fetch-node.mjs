#!/usr/bin/env node
// Fetches a Node.js binary from the npm registry into the cache (once) and prints its bin folder, for
// `PATH="$(node tools/node/fetch-node.mjs oldest):$PATH"` (.ci/run does this for each supported line).
//   node tools/node/fetch-node.mjs [oldest|current|X.Y.Z]     (default: current)
// oldest/current are the pins of tools/node/node-versions.json. The cache is $MATRIX_NODE_CACHE, else
// $XDG_CACHE_HOME/matrix-node, else ~/.cache/matrix-node. Progress goes to stderr; exit 1 with a reason
// when the platform has no binary on the registry or the fetch fails.
import { ensureNode, readPins, resolveVersion } from './supported-node.mjs';

const args = process.argv.slice(2);
if (args.length > 1 || args.some((arg) => arg === '--help' || arg === '-h')) {
  console.error('usage: node tools/node/fetch-node.mjs [oldest|current|X.Y.Z]   (prints the bin folder)');
  process.exit(args.length > 1 ? 64 : 0);
}
try {
  const { bin } = ensureNode(resolveVersion(args[0] ?? 'current', readPins()));
  console.log(bin);
} catch (error) {
  console.error(`✖ ${error.message}`);
  process.exit(1);
}

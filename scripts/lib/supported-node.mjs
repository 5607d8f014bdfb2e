// The README's two commands on a node older than package.json's engines floor (docs/architecture.md
// ADR-28): they run themselves again under the pinned current Node.js (tools/node/node-versions.json),
// fetched from the npm registry into the cache once, with its bin folder first on PATH so that what they
// start (npm ci, nx, eslint, jest and its workers, the services) runs on it too. On a supported node
// they run directly.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ensureNode, readFloor, readPins, satisfiesFloor } from '../../tools/node/supported-node.mjs';

const MARK = 'MATRIX_NODE_REEXEC';

/**
 * Returns at once when this node is supported; otherwise runs `script` with the same arguments under
 * the pinned Node.js, passes SIGINT/SIGTERM/SIGHUP on to it, and exits with its exit code (never returns).
 * @param {string} script absolute path of the running script
 */
export async function runOnSupportedNode(script) {
  const floor = readFloor();
  if (satisfiesFloor(process.versions.node, `>=${floor}`)) return;
  if (process.env[MARK]) {
    throw new Error(`still on Node.js ${process.version} after switching to a supported one (>=${floor})`);
  }
  const { current } = readPins();
  console.error(
    `» Node.js ${process.version} is older than ${floor}, the oldest this repository supports: running ` +
      `${path.relative(process.cwd(), script) || script} under Node.js ${current} from the npm registry ` +
      '(docs/architecture.md ADR-28)',
  );
  let bin;
  try {
    ({ bin } = ensureNode(current));
  } catch (error) {
    console.error(`✖ ${error.message}`);
    process.exit(1);
  }
  const node = path.join(bin, 'node');
  const env = {
    ...process.env,
    [MARK]: '1',
    PATH: [bin, process.env.PATH].filter(Boolean).join(path.delimiter),
  };
  // npm tells scripts which node runs it; tools that spawn "the same node" read these.
  for (const name of ['NODE', 'npm_node_execpath']) if (env[name]) env[name] = node;
  const child = spawn(node, [script, ...process.argv.slice(2)], { stdio: 'inherit', env });
  // A Ctrl-C reaches the child from the terminal too; the scripts' shutdown handlers are idempotent.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`✖ could not run ${node}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (status, signal) =>
      resolve(signal ? 128 + (os.constants.signals[signal] ?? 0) : status),
    );
  });
  process.exit(code);
}

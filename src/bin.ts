#!/usr/bin/env node
/**
 * The package's command: `npx concord-state inspect [options] <script> [args]`
 * runs the local inspector (src/inspect/cli.ts) from a user's own project.
 */
import { parseCliArgs, USAGE } from './inspect/cliArgs.ts';

const TYPESCRIPT_SCRIPT = /\.[cm]?tsx?$/;

const [command, ...rest] = process.argv.slice(2);
if (command !== 'inspect') {
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    process.exit(0);
  }
  console.error(`concord-state: unknown command ${JSON.stringify(command)}\n${USAGE}`);
  process.exit(2);
}
// A TypeScript script needs tsx's loader; the inspector's own CLI reports bad arguments.
if (TYPESCRIPT_SCRIPT.test(scriptOf(rest) ?? '')) await registerTypeScript();
process.argv = [process.argv[0] ?? process.execPath, new URL('./inspect/cli.ts', import.meta.url).pathname, ...rest];
await import('./inspect/cli.ts');

function scriptOf(args: readonly string[]): string | undefined {
  try {
    return parseCliArgs(args).script;
  } catch {
    return undefined;
  }
}

async function registerTypeScript(): Promise<void> {
  try {
    // Both loaders: a .ts file is CommonJS unless its package.json says "type": "module".
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  } catch {
    console.error('concord-state inspect: running a TypeScript script needs tsx (npm install --save-dev tsx), or give a .js or .mjs script');
    process.exit(2);
  }
}

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs a script in this process, as `node script args` would: `process.argv`
 * becomes `[node, script, ...args]`, then the script is imported (under tsx,
 * TypeScript too). Resolves when its top-level code has finished, top-level
 * awaits included; rejects with what it threw.
 */
export async function runScript(script: string, args: readonly string[]): Promise<void> {
  const path = resolve(script);
  process.argv = [process.argv[0] ?? process.execPath, path, ...args];
  await import(pathToFileURL(path).href);
}

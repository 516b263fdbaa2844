import { setAmbientInspector } from './ambient.ts';
import type { CliArgs } from './cliArgs.ts';
import { createLocalInspector, type LocalInspector } from './localInspector.ts';
import { runScript } from './runScript.ts';

/** What `npm run inspect` runs: the local inspector, made ambient, and the script under it. */
export interface Runner {
  readonly local: LocalInspector;
  /** Runs the script (if any), saves, then closes (--exit-when-done) or says it keeps serving. A script that throws sets exit code 1. */
  run(): Promise<void>;
  /** Saves (with --save) and closes; the same promise however often it is called, from a signal or from `run`. */
  finish(): Promise<void>;
}

/**
 * Starts the local inspector, prints its URL (one line, first: tools read
 * it), and makes it the ambient inspector, so a script that knows nothing
 * of it is inspected whole.
 */
export async function startRunner(args: CliArgs, log: (line: string) => void = console.log): Promise<Runner> {
  const local = await createLocalInspector({ port: args.port });
  log(`Concord inspector: ${local.url}`);
  const detach = setAmbientInspector(local.inspector);
  let closing: Promise<void> | undefined;
  const finish = () =>
    (closing ??= (async () => {
      detach();
      if (args.save !== undefined) await local.save(args.save);
      await local.close();
    })());

  const run = async () => {
    if (args.script !== undefined) {
      try {
        await runScript(args.script, args.scriptArgs);
      } catch (error) {
        console.error(error);
        process.exitCode = 1;
      }
      // Saved now too, so a run that is never stopped cleanly still leaves its file.
      if (args.save !== undefined) await local.save(args.save);
    }
    if (args.exitWhenDone) return finish();
    const done = args.script === undefined ? '' : `${args.script} has finished; `;
    log(`Concord inspector: ${done}serving ${local.url} until Ctrl-C${args.save === undefined ? '' : `, then saving ${args.save}`}`);
  };
  return { local, run, finish };
}

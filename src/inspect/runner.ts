import { setAmbientInspector } from './ambient.ts';
import type { CliArgs } from './cliArgs.ts';
import { createLocalInspector, type LocalInspector } from './localInspector.ts';
import { runScript } from './runScript.ts';
import { saveRecordingSync } from './saveRecording.ts';

/** What `npm run inspect` runs: the local inspector, made ambient, and the script under it. */
export interface Runner {
  readonly local: LocalInspector;
  /** Runs the script (if any), saves, then closes (--exit-when-done) or says it keeps serving. A script that throws sets exit code 1. A script that calls process.exit() is saved on the way out. */
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
  const savePath = args.save;
  // One save at a time, in order: the end of the run's and Ctrl-C's never write the file at once.
  let saving = Promise.resolve();
  const save = () => {
    if (savePath === undefined) return saving;
    const write = () => local.save(savePath);
    return (saving = saving.then(write, write));
  };
  // A script that calls process.exit() itself ends the process with no await left to run: save as it goes.
  const saveOnExit = () => {
    if (savePath !== undefined) saveRecordingSync(savePath, local.recording());
  };
  process.on('exit', saveOnExit);
  let closing: Promise<void> | undefined;
  const finish = () =>
    (closing ??= (async () => {
      detach();
      await save();
      process.off('exit', saveOnExit);
      await local.close();
    })());

  const run = async () => {
    let outcome = '';
    if (args.script !== undefined) {
      outcome = `${args.script} has finished; `;
      try {
        await runScript(args.script, args.scriptArgs);
      } catch (error) {
        console.error(error);
        process.exitCode = 1;
        outcome = `${args.script} failed (see above); `;
      }
      // Saved now too, so a run that is never stopped cleanly still leaves its file.
      await save();
    }
    if (args.exitWhenDone) return finish();
    log(`Concord inspector: ${outcome}serving ${local.url} until Ctrl-C${savePath === undefined ? '' : `, then saving ${savePath}`}`);
  };
  return { local, run, finish };
}

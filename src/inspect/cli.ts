/**
 * `concord-state inspect [--port N] [--save file.json] [--exit-when-done] <script> [args]` (src/bin.ts):
 * runs a script with the local inspector as the ambient one, so every
 * state, pipeline and agent it creates shows on the page, which is served
 * until Ctrl-C (or until the script is done, with --exit-when-done).
 */
import { parseCliArgs, USAGE, type CliArgs } from './cliArgs.ts';
import { startRunner } from './runner.ts';

let args: CliArgs;
try {
  args = parseCliArgs(process.argv.slice(2));
} catch (error) {
  const message = (error as Error).message;
  if (message === USAGE) {
    console.log(USAGE);
    process.exit(0);
  }
  console.error(message);
  process.exit(2);
}
const runner = await startRunner(args).catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  console.error(`Concord inspector: port ${args.port} is already in use; choose another with --port N (0 lets the system choose)`);
  process.exit(2);
});
// Installed before the script runs: Ctrl-C in the middle of a run still saves what was recorded.
const onSignal = () => void runner.finish().then(() => process.exit());
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
await runner.run();
if (args.exitWhenDone) {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** What `concord-state inspect ...` (in this repository, `npm run inspect -- ...`) was asked to do. */
export interface CliArgs {
  /** 0: let the system choose. */
  readonly port: number;
  /** Where to save the recording when the run ends, if anywhere. */
  readonly save?: string;
  /** Close once the script has finished instead of serving until Ctrl-C. */
  readonly exitWhenDone: boolean;
  /** The script to run; none serves the page alone (to Load a recording, or for WebSocket inspectors). */
  readonly script?: string;
  /** The script's own arguments: everything after its path. */
  readonly scriptArgs: readonly string[];
}

export const USAGE = 'usage: concord-state inspect [--port N] [--save file.json] [--exit-when-done] [--] [<script> [script args...]]';

/** Parses the runner's options; the first argument that is not one of them is the script, and the rest are its own. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let port = 0;
  let save: string | undefined;
  let exitWhenDone = false;
  let i = 0;
  const valueOf = (flag: string) => {
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    return value;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--port') {
      const raw = valueOf(arg);
      port = Number(raw);
      if (!(/^\d+$/.test(raw) && port <= 65_535)) throw new Error(`--port must be an integer from 0 to 65535, received ${raw}\n${USAGE}`);
    } else if (arg === '--save') {
      save = valueOf(arg);
    } else if (arg === '--exit-when-done') {
      exitWhenDone = true;
    } else if (arg === '--help' || arg === '-h') {
      throw new Error(USAGE);
    } else if (arg === '--') {
      // The usual end of options: what follows is the script, even a path that starts with a dash.
      i += 1;
      break;
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    } else {
      break;
    }
  }
  const script = argv[i];
  if (script === undefined && exitWhenDone) throw new Error(`--exit-when-done needs a script to wait for\n${USAGE}`);
  return { port, exitWhenDone, scriptArgs: argv.slice(i + 1), ...(save === undefined ? {} : { save }), ...(script === undefined ? {} : { script }) };
}

/** The runner's arguments: its own options first, then the script and the script's own arguments. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE } from '../../src/inspect/cliArgs.ts';

describe('parseCliArgs', () => {
  it('reads the options before the script and leaves everything after it to the script', () => {
    expect(parseCliArgs(['--port', '4000', '--save', 'run.json', '--exit-when-done', 'examples/basic.ts', '--port', '1', 'out'])).toEqual({
      port: 4000,
      save: 'run.json',
      exitWhenDone: true,
      script: 'examples/basic.ts',
      scriptArgs: ['--port', '1', 'out'],
    });
  });

  it('defaults to a port the system chooses, serving until Ctrl-C; no script serves the page alone', () => {
    expect(parseCliArgs([])).toEqual({ port: 0, exitWhenDone: false, scriptArgs: [] });
  });

  it('takes what follows -- as the script, even when it starts with a dash', () => {
    expect(parseCliArgs(['--port', '1', '--', '-odd.ts', '--x'])).toEqual({ port: 1, exitWhenDone: false, script: '-odd.ts', scriptArgs: ['--x'] });
  });

  it('refuses what it cannot honour, with the usage line', () => {
    expect(() => parseCliArgs(['--port', '65536', 'x.ts'])).toThrow(/--port must be an integer from 0 to 65535, received 65536/);
    expect(() => parseCliArgs(['--port', '-1'])).toThrow(/--port must be an integer from 0 to 65535, received -1/);
    expect(() => parseCliArgs(['--port'])).toThrow(/--port needs a value/);
    expect(() => parseCliArgs(['--save'])).toThrow(/--save needs a value/);
    expect(() => parseCliArgs(['--verbose', 'x.ts'])).toThrow(/unknown option --verbose/);
    expect(() => parseCliArgs(['-p', '4000', 'x.ts'])).toThrow(/unknown option -p/);
    expect(() => parseCliArgs(['--exit-when-done'])).toThrow(/--exit-when-done needs a script/);
    expect(() => parseCliArgs(['--help'])).toThrow(USAGE);
  });
});

/**
 * The number of runs: the one asked for, or more when the FC_NUM_RUNS
 * environment variable asks for a longer soak (it never lowers a suite's count).
 */
export function soakRuns(requested: number): number {
  const fromEnv = Number(process.env.FC_NUM_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > requested ? fromEnv : requested;
}

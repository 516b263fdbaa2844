/**
 * The ratio targets of issue 15, each checked against this run's ratios:
 * replicated writes beside their raw Redis floors and beside the
 * WATCH/MULTI peer of the same shape. Printed met or missed, as issue 14's
 * (bench/targets.ts); nothing here changes what was measured.
 */
import { formatRatio, type Line } from './line.ts';
import { PROCESSES, peerLine, processes, replicatedLine, SHAPES } from './redisLineNames.ts';
import type { TargetResult } from './targets.ts';

/** The ratio of line `name` to the first it stands beside whose name starts with `against` ('floor:' for its floor). */
function ratioTo(lines: readonly Line[], name: string, against: string): number | undefined {
  return lines.find((line) => line.name === name)?.against.find((reference) => reference.name.startsWith(against))?.ratio;
}

function atLeast(target: string, ratio: number | undefined, bound: number): TargetResult {
  if (ratio === undefined) return { target, measured: 'not measured', met: false };
  return { target, measured: formatRatio(ratio), met: ratio >= bound };
}

/** Every replicated line ahead of its peer; the ones behind listed by name. */
function aheadOfPeer(lines: readonly Line[]): TargetResult {
  const target = 'ahead of the WATCH/MULTI peer on every line';
  const ratios = PROCESSES.flatMap((count) =>
    SHAPES.map((inFlight) => ({ name: replicatedLine(inFlight, count), ratio: ratioTo(lines, replicatedLine(inFlight, count), peerLine(inFlight, count)) })),
  );
  if (ratios.some(({ ratio }) => ratio === undefined)) return { target, measured: 'not measured', met: false };
  const behind = ratios.filter(({ ratio }) => !((ratio ?? 0) >= 1));
  const result = { target, measured: `${ratios.length - behind.length} of ${ratios.length} lines`, met: behind.length === 0 };
  return behind.length === 0 ? result : { ...result, missedOn: behind.map(({ name, ratio }) => `${name} ${formatRatio(ratio ?? 0)}`).join('; ') };
}

export function checkRedisTargets(lines: readonly Line[]): TargetResult[] {
  const [, inFlight] = SHAPES;
  return [
    ...PROCESSES.map((count) =>
      atLeast(`one awaited at a time, ${processes(count)}: at least 0.8 of XADD then XREAD`, ratioTo(lines, replicatedLine(1, count), 'floor:'), 0.8),
    ),
    ...PROCESSES.map((count) =>
      atLeast(
        `${inFlight} in flight, ${processes(count)}: at least 0.7 of XADD ${inFlight} to a pipeline`,
        ratioTo(lines, replicatedLine(inFlight, count), 'floor:'),
        0.7,
      ),
    ),
    aheadOfPeer(lines),
  ];
}

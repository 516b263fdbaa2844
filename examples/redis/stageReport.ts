import { z } from 'zod';

/** What a stage's process prints last, as one JSON line: who it was, and what its replica held at the end. */
export const StageReportSchema = z.strictObject({
  stage: z.string(),
  pid: z.number().int().positive(),
  /** Its replica's id in the stream's entries. */
  origin: z.string(),
  version: z.number().int().nonnegative(),
  /** digestOf what its replica held once the whole pipeline was complete and it had synced. */
  digest: z.string(),
});
/** @see StageReportSchema */
export type StageReport = z.infer<typeof StageReportSchema>;

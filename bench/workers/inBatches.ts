/** Calls `send` `times` times, `inFlight` calls at a time: the next batch starts when the last of one has settled. */
export async function inBatches(times: number, inFlight: number, send: (i: number) => Promise<unknown>): Promise<void> {
  for (let sent = 0; sent < times;) {
    const batch: Promise<unknown>[] = [];
    for (const end = Math.min(sent + inFlight, times); sent < end; sent++) batch.push(send(sent));
    await Promise.all(batch);
  }
}

// Which rows of one of the record's growing lists (lock events, messages, tasks) a live view
// has yet to get: the rows added since the last drain, and earlier rows changed since then.
// A row changed before it was ever sent costs nothing to note: it goes out as new. So a run
// nobody drains keeps nothing here, and one that is drained keeps only a batch's changes.

/** Rows `from` (inclusive) to `to` (exclusive). */
export type RowRange = readonly [from: number, to: number];

export class RowChanges {
  private sent = 0;
  private readonly changed = new Set<number>();

  /** Row `index` was replaced or amended. */
  noteChanged(index: number): void {
    if (index < this.sent) this.changed.add(index);
  }

  /** The rows to send, in order, as runs of neighbours; `length` is the list's length now. */
  drain(length: number): RowRange[] {
    const runs: Array<[number, number]> = [];
    const extend = (from: number, to: number): void => {
      const last = runs[runs.length - 1];
      if (last && last[1] === from) last[1] = to;
      else runs.push([from, to]);
    };
    for (const index of [...this.changed].sort((a, b) => a - b)) extend(index, index + 1);
    if (length > this.sent) extend(this.sent, length);
    this.changed.clear();
    this.sent = length;
    return runs;
  }
}

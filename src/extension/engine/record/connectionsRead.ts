// Which processes have told all they will: every tracer connection of theirs has been read to
// its end (its socket closed, its spool read through). Until then a record of theirs may still
// be on its way: the end of a pool task, say, which would show that the task did finish.

export class ConnectionsRead {
  /** By pid: its connections with lines still to come (a process that exec'd a new Python has had two); 0 once all are read. */
  private readonly unread = new Map<number, number>();

  /** A connection of `pid` said hello: its lines follow. */
  opened(pid: number): void {
    this.unread.set(pid, (this.unread.get(pid) ?? 0) + 1);
  }

  /** Every line of a connection of `pid` has been read. */
  read(pid: number): void {
    const unread = this.unread.get(pid);
    if (unread !== undefined) this.unread.set(pid, Math.max(0, unread - 1));
  }

  /** Whether `pid` had connections and every line of them has been read. */
  allRead(pid: number): boolean {
    return this.unread.get(pid) === 0;
  }
}

import type { PGlite } from '@electric-sql/pglite';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

// Frontend message types that end an extended-protocol sequence (Sync) or
// are complete on their own (simple Query, Terminate).
const SEQUENCE_ENDS = new Set(['S', 'Q', 'X']);

/**
 * Feeds the messages of many client connections into PGlite's one session.
 *
 * pglite-socket's own queue keeps a connection's messages together only
 * inside a transaction. But `pg` sends every parameterised query as several
 * messages (Parse, Bind, Describe, Execute, Sync), and another connection's
 * Parse arriving in between replaces the unnamed statement: the first query
 * then fails ("unnamed prepared statement does not exist") or, worse, binds
 * the other's statement. This queue also keeps a connection's messages
 * together from the first message of a sequence to its Sync, and it keeps
 * going after a failed message. See docs/decisions/0002-embedded-postgres.md.
 */
export class SessionQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection that holds the session: mid-sequence or in a transaction. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.processQueue();
    });
  }

  private next(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
          current.resolve(bytes);
        } catch (error) {
          current.reject(error);
        }
        // A startup packet begins with its length (first byte 0), not a type.
        const type = current.message[0] ? String.fromCharCode(current.message[0]) : 'Q';
        const midSequence = !SEQUENCE_ENDS.has(type);
        this.owner = midSequence || this.db.isInTransaction() ? current.handlerId : null;
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** A connection that left mid-sequence or mid-transaction gives the session back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.processQueue();
  }
}

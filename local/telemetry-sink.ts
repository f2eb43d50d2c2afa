/**
 * The local stand-in for CloudFront real-time logs → Kinesis → the aggregator: the gateway hands
 * each edge log line here, and the lines are aggregated in batches by the same code the Kinesis
 * consumer runs (a batch closes after `windowMs`, as the event source mapping's batching window).
 */
import type { AggregationResult } from '../shared/services/telemetry-aggregator.js';

export class LocalTelemetrySink {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ingest: (lines: string[]) => Promise<AggregationResult>,
    private readonly windowMs = 50,
  ) {}

  /** Takes one log line. */
  write(line: string): void {
    this.pending.push(line);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Aggregates what is pending now. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.running = this.running.then(() =>
        this.ingest(batch).then(
          () => undefined,
          (error: unknown) =>
            console.error(JSON.stringify({ level: 'error', message: 'local telemetry aggregation failed', error: String(error) })),
        ),
      );
    }
    return this.running;
  }

  /** Resolves when every line written so far is aggregated. */
  async idle(): Promise<void> {
    await this.flush();
  }
}

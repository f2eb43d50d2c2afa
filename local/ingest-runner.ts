/**
 * Runs the ingest function as Lambda runs it for S3 notifications (asynchronous invocation):
 * a failed event is retried twice (the stack's `retryAttempts`), then handed to the failure
 * destination, the ingest-failed function, as a destination record with the error message.
 */
export const INGEST_RETRY_ATTEMPTS = 2;

type EventHandler = (event: unknown) => Promise<void>;

export function asyncInvoker(
  load: (name: string) => Promise<EventHandler>,
  options: { retryDelayMs?: number; log?: (message: string, detail: Record<string, unknown>) => void } = {},
): (event: unknown) => Promise<void> {
  const log = options.log ?? ((message, detail) => console.error(JSON.stringify({ level: 'ERROR', message, ...detail })));
  return async (event) => {
    const ingest = await load('ingest-artifact');
    let lastError: unknown;
    for (let attempt = 0; attempt <= INGEST_RETRY_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 200));
      try {
        await ingest(event);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    log('local ingest failed after retries; sent to the failure destination', { error: String(lastError) });
    const failed = await load('ingest-failed');
    await failed({
      requestPayload: event,
      responsePayload: { errorMessage: lastError instanceof Error ? lastError.message : String(lastError), errorType: 'Error' },
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: INGEST_RETRY_ATTEMPTS + 1 },
    });
  };
}

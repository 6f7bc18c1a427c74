/** Structured logs: one JSON object per line, with a timestamp and (for requests) the request id. */
export type Logger = (event: string, fields?: Record<string, unknown>) => void;

export function makeLogger(sink: ((line: string) => void) | null): Logger {
  if (!sink) return () => {};
  return (event, fields = {}) => {
    try {
      sink(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
    } catch {
      // a log line must never take the server down
    }
  };
}

// Errors the HTTP API turns into Toxiproxy-shaped responses:
// `{"error":"<message>","status":<code>}` plus a newline.

/** An error with the HTTP status and message a real Toxiproxy 2.x would answer with. */
export class ApiError extends Error {
  readonly status: number;
  /** Extra top-level fields of the error body (populate adds `"proxies": null`). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Most Toxiproxy errors go out as text/plain; the populate error as JSON. */
  readonly contentType: string;

  constructor(status: number, message: string, extra: Readonly<Record<string, unknown>> = {}, contentType = 'text/plain; charset=utf-8') {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.extra = extra;
    this.contentType = contentType;
  }

  /** The response body, exactly as Toxiproxy lays it out. */
  body(): string {
    return `${JSON.stringify({ error: this.message, status: this.status, ...this.extra })}\n`;
  }
}

export const proxyNotFound = (): ApiError => new ApiError(404, 'proxy not found');
export const proxyExists = (): ApiError => new ApiError(409, 'proxy already exists');
export const toxicNotFound = (): ApiError => new ApiError(404, 'toxic not found');
export const toxicExists = (): ApiError => new ApiError(409, 'toxic already exists');
export const invalidToxicType = (): ApiError => new ApiError(400, 'invalid toxic type');
export const invalidStream = (): ApiError => new ApiError(400, 'stream was invalid, can be either upstream or downstream');
export const missingField = (field: string): ApiError => new ApiError(400, `missing required field: ${field}`);
export const badBody = (detail: string): ApiError => new ApiError(400, `bad request body: ${detail}`);

/** Anything unexpected becomes a 500 with its message, never a crash. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(500, message);
}

/**
 * Errors as OpenAI-compatible clients expect them: an HTTP status and a body
 * `{"error": {"message", "type", "param", "code"}}`. Messages name the bad value and the fix.
 */

export type ApiErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'rate_limit_error' | 'server_error';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly param: string | null = null,
    readonly type: ApiErrorType = status === 401 ? 'authentication_error' : status === 404 ? 'not_found_error' : status >= 500 ? 'server_error' : 'invalid_request_error',
  ) {
    super(message);
  }

  body(): { error: { message: string; type: ApiErrorType; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A bad request (400) about one request field. */
export const badRequest = (message: string, code: string, param: string | null = null): ApiError => new ApiError(400, message, code, param);

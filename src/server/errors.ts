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
    readonly type: ApiErrorType = status === 401
      ? 'authentication_error'
      : status === 404
        ? 'not_found_error'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error',
  ) {
    super(message);
  }

  body(): { error: { message: string; type: ApiErrorType; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A bad request (400) about one request field. */
export const badRequest = (message: string, code: string, param: string | null = null): ApiError => new ApiError(400, message, code, param);

/** A text from the request, shortened for an error message: messages go back to the client and must stay small. */
export function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
}

/**
 * A request value as an error message shows it: scalars as JSON (strings clipped), lists and objects
 * by kind and size only, so an echo can neither be huge nor recurse through a deeply nested value.
 */
export function shown(v: unknown): string {
  if (typeof v === 'string') return v.length > 80 ? `${JSON.stringify(v.slice(0, 80))}… (a string of ${v.length} characters)` : JSON.stringify(v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Deepest nesting a request body may have; an OpenAI chat request needs about 6. */
export const MAX_JSON_DEPTH = 64;

/**
 * How deeply `text` nests arrays and objects, by one linear scan that skips strings (an unbalanced or
 * invalid text gives a number all the same; JSON.parse reports what is wrong with it). Checked before
 * parsing so that no recursive step later (validation, an echo in an error) meets a 200 000-deep value.
 */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return max;
}

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SECURITY_HEADERS } from './security-headers.js';
import { toPublicError, type ErrorCode } from '../core/errors.js';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  reauth_required: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** Fastify's own refusals (bad JSON, too large, wrong content type) keep their 4xx, with our codes. */
function fromFastify(err: FastifyError): { status: number; code: ErrorCode; message: string } | undefined {
  const status = err.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const messages: Record<string, string> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the request body as application/json',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'The JSON body is empty',
    FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body',
  };
  const message = messages[err.code] ?? (err.code === 'FST_ERR_BAD_URL' ? 'The URL is malformed' : 'The request is malformed');
  return { status, code: status === 429 ? 'rate_limited' : 'invalid_input', message };
}

/**
 * The JSON error body every API client sees: Cachet's `errors` array, plus a stable `code`.
 * Never a stack trace or an internal message; unexpected errors are logged for the operator.
 */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const framework = (err as FastifyError)?.code?.startsWith?.('FST_') ? fromFastify(err as FastifyError) : undefined;
  const known = toPublicError(err);
  const status = framework?.status ?? STATUS[known.code];
  const code = framework?.code ?? known.code;
  const message = framework?.message ?? known.message;
  if (status >= 500) request.log.error({ err }, 'request failed');
  const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
  if (status === 429 && typeof retryAfterMs === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  const detail = 'field' in known && known.field ? { field: known.field } : {};
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ code, message, ...detail, errors: [{ status: String(status), title: code, detail: message }] });
}

/**
 * Requests Node's HTTP parser refuses before any route sees them (headers or URL too large, a
 * malformed request line) get the same JSON error shape as every other refusal, then the
 * connection is closed. Fastify's default answer has no `code`.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message = tooLarge ? 'The request line or headers are too large' : status === 408 ? 'The request took too long to arrive' : 'The request is malformed';
  const body = JSON.stringify({ code: 'invalid_input', message, errors: [{ status: String(status), title: 'invalid_input', detail: message }] });
  const headers = Object.entries({ ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n\r\n${body}`);
}

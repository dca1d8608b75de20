import { z } from 'zod';
import { describeRequirement } from '../../core/permissions.js';
import { toCachetName } from './fields.js';
import { API_ROUTES, type ApiRoute } from './routes.js';

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the route contract and the very zod schemas
 * the core parses input with, so the document cannot drift from what the server accepts.
 */

type JsonSchema = { properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };

/** Core field names that come from the path, not the body or query string. */
const PATH_FIELDS = new Set(['id', 'incidentId', 'metricId']);

function inputSchema(route: ApiRoute): JsonSchema {
  const schema = z.toJSONSchema(route.operation.input, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete schema.$schema;
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {})
      .filter(([name]) => !(PATH_FIELDS.has(name) && route.path.includes(':')))
      .map(([name, s]) => [toCachetName(name), s]),
  );
  const required = (schema.required ?? []).filter((name) => Object.hasOwn(properties, toCachetName(name))).map(toCachetName);
  return { ...schema, properties, ...(required.length > 0 ? { required } : { required: undefined }) };
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operationOf(route: ApiRoute) {
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }));
  const input = inputSchema(route);
  const queryParams =
    route.inputIn === 'query'
      ? Object.entries(input.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: input.required?.includes(name) ?? false, schema }))
      : [];
  const requirement = describeRequirement(route.operation.requires);
  const success =
    route.respond.kind === 'empty'
      ? { '204': { description: 'Done; no body' } }
      : { '200': { description: route.respond.kind === 'list' ? 'A page of results: {meta: {pagination}, data: [...]}' : 'The record: {data: {...}}', content: { 'application/json': { schema: { type: 'object' } } } } };
  return {
    operationId: route.operation.name,
    summary: route.summary,
    description:
      requirement === 'public'
        ? 'Anyone may call this. Without a key (or with a key lacking the resource\'s .read scope) it answers with what the public status page shows.'
        : `Needs an API key with the ${requirement} scope.`,
    ...(requirement === 'public' ? {} : { security: [{ cachetToken: [] }, { bearer: [] }] }),
    parameters: [...pathParams, ...queryParams],
    ...(route.inputIn === 'body' && route.method !== 'GET' ? { requestBody: { required: false, content: { 'application/json': { schema: input } } } } : {}),
    responses: {
      ...success,
      '400': errorResponse('The input is invalid; the message names the field'),
      '401': errorResponse('No key, or the key is not valid, expired or revoked'),
      '403': errorResponse('The key lacks the scope'),
      '404': errorResponse('No such record (or not visible to this caller)'),
      '429': errorResponse('Rate limited; see Retry-After'),
    },
  };
}

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cairn API (Cachet-compatible v1)', version },
    paths,
    components: {
      securitySchemes: {
        cachetToken: { type: 'apiKey', in: 'header', name: 'X-Cachet-Token' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message', 'errors'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            field: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { status: { type: 'string' }, title: { type: 'string' }, detail: { type: 'string' } } } },
          },
        },
      },
    },
  };
}

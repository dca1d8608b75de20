import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src-main/core/operations.js';
import { PUBLIC } from '../../src-main/core/permissions.js';
import { openApiDocument } from '../../src-main/http/api/openapi.js';
import { API_ROUTES } from '../../src-main/http/api/routes.js';
import { buildServer } from '../../src-main/http/server.js';
import { testCore } from '../helpers/store.js';

/** The route contract is the single source: the server registers it and the OpenAPI document describes it. */
describe('the API route contract', () => {
  it('lists each method and path once, each backed by a registered core operation', () => {
    const keys = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of API_ROUTES) expect(OPERATIONS.get(r.operation.name), r.operation.name).toBe(r.operation);
    // Cachet's endpoint list (../shared/cachet-api-v1.md): 40 method+path pairs under /api/v1 besides
    // ping/version/status, and Cairn's one extension, points in batches.
    expect(keys.filter((k) => k !== 'POST /api/v1/metrics/:metric/points/batch')).toHaveLength(40);
    expect(keys).toHaveLength(41);
    // Reads never use a write operation, and writes never use a public one.
    for (const r of API_ROUTES) expect(r.operation.readOnly === true, `${r.method} ${r.path}`).toBe(r.method === 'GET');
    for (const r of API_ROUTES.filter((x) => x.method !== 'GET')) expect(r.operation.requires).not.toBe(PUBLIC);
  });

  it('is exactly what the server registers', async () => {
    const { core } = testCore();
    const app = buildServer({ core });
    await app.ready();
    for (const r of API_ROUTES) expect(app.hasRoute({ method: r.method, url: r.path }), `${r.method} ${r.path}`).toBe(true);
    await app.close();
  });

  it('is described by the OpenAPI 3.1 document, with Cachet field names and the scope each route needs', () => {
    const doc = openApiDocument('0.1.0') as { openapi: string; paths: Record<string, Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.openapi).toBe('3.1.0');
    const described = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(described.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort());
    const createComponent = doc.paths['/api/v1/components']!.post;
    const fields = Object.keys(createComponent.requestBody.content['application/json'].schema.properties);
    expect(fields).toEqual(expect.arrayContaining(['name', 'status', 'group_id', 'link', 'enabled', 'tags', 'meta']));
    expect(fields).not.toContain('groupId');
    expect(createComponent.requestBody.content['application/json'].schema.required).toEqual(['name', 'status']);
    expect(createComponent.description).toBe('Needs an API key with the components.write scope.');
    expect(createComponent.security).toEqual([{ cachetToken: [] }, { bearer: [] }]);
    const listComponents = doc.paths['/api/v1/components']!.get;
    expect(listComponents.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['page', 'per_page', 'sort', 'order', 'status', 'group_id']));
    expect(listComponents.security).toBeUndefined();
    const updatePoint = doc.paths['/api/v1/metrics/{metric}/points/{point}']!.put;
    expect(updatePoint.parameters.filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name)).toEqual(['metric', 'point']);
    expect(Object.keys(updatePoint.requestBody.content['application/json'].schema.properties)).not.toContain('id');
  });
});

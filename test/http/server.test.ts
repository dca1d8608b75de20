import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/http/security-headers.js';
import { startServer } from '../helpers/server.js';
import { testCore } from '../helpers/store.js';
import { aComponent, aGroup, anIncident } from '../helpers/world.js';

/** A raw request, for what fetch() will not send (bad paths, odd headers). */
function rawRequest(url: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('the embedded HTTP server', () => {
  it('answers Cachet’s ping, version and status', async () => {
    const { core } = testCore();
    const url = await startServer(core);
    expect(await (await fetch(`${url}/api/v1/ping`)).json()).toEqual({ data: 'Pong!' });
    expect(await (await fetch(`${url}/api/v1/version`)).json()).toEqual({ meta: { on_latest: true }, data: '0.1.0' });
    expect(await (await fetch(`${url}/api/v1/status`)).json()).toEqual({ data: { status: 'success', message: 'System operational' } });
    aComponent(core, { status: 4 });
    expect(await (await fetch(`${url}/api/v1/status`)).json()).toEqual({ data: { status: 'error', message: 'The system is experiencing major issues' } });
  });

  it('serves the status page from the public projection only, with its stylesheet', async () => {
    const { core } = testCore();
    const members = aGroup(core, { name: 'Members only', visible: 0 });
    aComponent(core, { name: 'Public API' });
    aComponent(core, { name: 'Secret backend', groupId: members.id });
    anIncident(core, { name: 'Visible <b>incident</b>', message: 'Looking into **it** <img src=x onerror=alert(1)>' });
    anIncident(core, { name: 'Unpublished draft', draft: true });
    const url = await startServer(core);
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain('Public API');
    expect(page).toContain('Visible &#60;b&#62;incident&#60;/b&#62;');
    expect(page).toContain('Looking into <strong>it</strong> &lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('Secret backend');
    expect(page).not.toContain('Members only');
    expect(page).not.toContain('Unpublished draft');
    expect(page).not.toMatch(/<script|<style|style=/i);
    const css = await fetch(`${url}/assets/status.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.overall');
  });

  it('sends the security headers on every response, errors included', async () => {
    const { core } = testCore();
    const url = await startServer(core);
    for (const path of ['/', '/api/v1/ping', '/assets/status.css', '/nope']) {
      const res = await fetch(`${url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.has('x-powered-by')).toBe(false);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('answers unknown paths and methods with a JSON error and a stable code, never a stack', async () => {
    const { core } = testCore();
    const url = await startServer(core);
    const res = await fetch(`${url}/api/v1/no/such/thing`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { code: string; errors: unknown[] };
    expect(body).toMatchObject({ code: 'not_found', errors: [{ status: '404', title: 'not_found' }] });
    // Outside the API, a browser gets the site's not-found page (still no stack, nothing cached).
    const page = await fetch(`${url}/api/v1/../../etc/passwd`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('<h2>Not found</h2>');
    const post = await fetch(`${url}/api/v1/ping`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(404);
    expect(JSON.stringify(await post.json())).not.toMatch(/at .*\.(ts|js)|node_modules/);
  });

  it('answers a request the HTTP parser refuses (headers too large, a broken request line) in the same JSON shape', async () => {
    const { core } = testCore();
    const url = await startServer(core);
    const huge = await fetch(`${url}/api/v1/components?q=${'x'.repeat(20_000)}`);
    expect(huge.status).toBe(431);
    expect(huge.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(await huge.json()).toMatchObject({ code: 'invalid_input', message: 'The request line or headers are too large' });
    const { connect } = await import('node:net');
    const { port } = new URL(url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET / HTTP/9.9 nonsense\r\n\r\n'));
      let answer = '';
      socket.on('data', (c) => (answer += c.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(raw.split('\r\n\r\n')[1]!)).toMatchObject({ code: 'invalid_input', message: 'The request is malformed' });
  });

  it('refuses malformed requests with 4xx JSON, not 5xx', async () => {
    const { core } = testCore();
    const url = await startServer(core);
    const badUrl = await rawRequest(url, '/api/v1/%E0%A4%A');
    expect(badUrl.status).toBeGreaterThanOrEqual(400);
    expect(badUrl.status).toBeLessThan(500);
    const huge = await rawRequest(url, '/api/v1/ping', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'y'.repeat(70_000) }) });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ code: 'invalid_input', message: 'The request body is too large' });
  });
});

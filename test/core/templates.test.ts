import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createIncident } from '../../src-main/core/incidents.js';
import { createTemplate, renderTemplate, updateTemplate } from '../../src-main/core/templates.js';
import { contentHash, testCore } from '../helpers/store.js';

describe('incident templates', () => {
  it('fill {{ name }} placeholders with plain values and leave everything else literal', () => {
    expect(renderTemplate('{{ service }} is {{status}} in {{ region_1 }}', { service: 'API', status: 'slow', region_1: 'eu' })).toBe('API is slow in eu');
    // CVE-2023-43661 style payloads: expressions, filters, tags, method calls and Blade are text.
    const payloads = [
      '{{ 7*7 }}',
      "{{ _self.env.registerUndefinedFilterCallback('exec') }}",
      "{{ ['id']|filter('system') }}",
      "{% include '/etc/passwd' %}",
      '{{ service|upper }}',
      "@php system('id') @endphp",
      '{!! $secret !!}',
      '${7*7}',
      '{{constructor.constructor("return process")()}}',
    ];
    for (const p of payloads) expect(renderTemplate(p, { service: 'API' })).toBe(p);
  });

  it('put values in as they are: a value cannot open a new placeholder', () => {
    expect(renderTemplate('{{ a }}{{ b }}', { a: '{{ b', b: '}}' })).toBe('{{ b}}');
    expect(renderTemplate('{{ a }}', { a: '{{ b }}', b: 'leak' })).toBe('{{ b }}');
    expect(renderTemplate('{{ n }} errors', { n: 42 })).toBe('42 errors');
  });

  it('make an incident whose message is the filled-in template, rendered and sanitized like any other', () => {
    const { core } = testCore();
    core.execute(createTemplate, localOperator, { name: 'Degraded', slug: 'degraded', template: 'The **{{ service }}** is slow. {{ note }}' });
    const incident = core.execute(createIncident, localOperator, {
      name: 'Slow',
      status: 1,
      template: 'degraded',
      vars: { service: 'API', note: '<img src=x onerror=alert(1)> [x](javascript:alert(1)) {{ 7*7 }}' },
    });
    expect(incident.message).toBe('The **API** is slow. <img src=x onerror=alert(1)> [x](javascript:alert(1)) {{ 7*7 }}');
    expect(incident.messageHtml).toContain('<strong>API</strong>');
    // Raw HTML stays text and the javascript: link is no link.
    expect(incident.messageHtml).not.toMatch(/<img|<a |href/i);
    expect(incident.messageHtml).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(incident.messageHtml).toContain('{{ 7*7 }}');
  });

  it('refuse a slug already taken, and change nothing', () => {
    const { core, db } = testCore();
    core.execute(createTemplate, localOperator, { name: 'A', slug: 'a', template: 'x' });
    const b = core.execute(createTemplate, localOperator, { name: 'B', slug: 'b', template: 'y' });
    const before = contentHash(db);
    expect(() => core.execute(createTemplate, localOperator, { name: 'A2', slug: 'a', template: 'z' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => core.execute(updateTemplate, localOperator, { id: b.id, slug: 'a' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(contentHash(db)).toBe(before);
  });
});

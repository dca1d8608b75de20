import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src-main/core/markdown.js';

const corpus = JSON.parse(readFileSync(new URL('../fixtures/xss-corpus/xss-corpus.json', import.meta.url), 'utf8')) as { id: string; payload: string }[];

/** Every element and attribute of the output must be on the allowlist; every link http(s)/mailto. */
function assertInert(html: string): void {
  const doc = new JSDOM(`<body>${html}</body>`).window.document;
  for (const el of doc.body.querySelectorAll('*')) {
    expect(['P', 'BR', 'HR', 'STRONG', 'EM', 'DEL', 'S', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD']).toContain(el.tagName);
    for (const attr of el.attributes) {
      expect(['href', 'title', 'start', 'rel']).toContain(attr.name);
      if (attr.name === 'href') expect(attr.value).toMatch(/^(https?:|mailto:)/i);
    }
  }
}

describe('markdown rendering', () => {
  it('renders Markdown and keeps raw HTML as text', () => {
    expect(renderMarkdown('**bold** <script>alert(1)</script>')).toBe('<p><strong>bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
  });

  it('keeps http(s) and mailto links with rel="noopener noreferrer nofollow", and drops other schemes', () => {
    const html = renderMarkdown('[a](https://example.com) [b](mailto:x@example.com) [c](javascript:alert(1)) [d](data:text/html,x) [e](vbscript:x)');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">a</a>');
    expect(html).toContain('<a href="mailto:x@example.com" rel="noopener noreferrer nofollow">b</a>');
    expect(html).not.toMatch(/href="(javascript|data|vbscript):/i);
    expect(html).toContain("[c](javascript:alert(1))"); // left as inert text
    assertInert(html);
  });

  it('drops images (no third-party requests from the status page)', () => {
    expect(renderMarkdown('![x](https://tracker.example/pixel.png)')).not.toContain('<img');
  });

  it.each(corpus.map((v) => [v.id, v.payload]))('neutralises XSS vector %s', (_id, payload) => {
    for (const source of [payload, `[link](${payload})`, `**${payload}**`, `\`\`\`\n${payload}\n\`\`\``]) {
      assertInert(renderMarkdown(source));
    }
  });
});

import { createRequire } from 'node:module';
import createDOMPurify, { type DOMPurify } from 'dompurify';
import type * as JsdomModule from 'jsdom';
import MarkdownIt from 'markdown-it';

/**
 * Markdown → safe HTML, done once when text is written; the result is stored beside the source and
 * served as is. Two independent layers: markdown-it with raw HTML off (so `<script>` arrives as
 * text), then DOMPurify with a small allowlist and links limited to http, https and mailto.
 */

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
];
const ALLOWED_ATTR = ['href', 'title', 'start'];
const SAFE_LINK = /^(https?:|mailto:)/i;

let renderer: { md: ReturnType<typeof MarkdownIt>; purify: DOMPurify } | undefined;

function load() {
  // jsdom takes ~0.6 s to import: load it on the first write, not at every process start (a
  // status server that only serves pages never needs it). It is CommonJS, so require() works here.
  const { JSDOM } = createRequire(import.meta.url)('jsdom') as typeof JsdomModule;
  const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
  const purify = createDOMPurify(new JSDOM('').window as unknown as Window & typeof globalThis);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_LINK.test(href)) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  renderer = { md, purify };
  return renderer;
}

export function renderMarkdown(source: string): string {
  if (source.trim() === '') return '';
  const { md, purify } = renderer ?? load();
  return purify.sanitize(md.render(source), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: [...ALLOWED_ATTR, 'rel'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
}

import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../app/domain/content/markdown.server.js';
import { XSS_PAYLOADS } from './fixtures/xss-payloads.js';

const ALLOWED_TAGS = new Set([
  'p', 'br', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr',
  'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'rel', 'start', 'align']);

/** Every tag in the HTML with its attributes, as a browser would read them. */
function tagsOf(html: string): Array<{ name: string; attributes: Record<string, string> }> {
  const tags = [];
  for (const match of html.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[2]!.matchAll(/([^\s=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      attributes[attribute[1]!.toLowerCase()] = (attribute[2] ?? '').replace(/^["']|["']$/g, '');
    }
    tags.push({ name: match[1]!.toLowerCase(), attributes });
  }
  return tags;
}

describe('Markdown rendering against XSS', () => {
  it('has a corpus of at least 50 payloads', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(XSS_PAYLOADS)('renders %j inert', (payload) => {
    const html = renderMarkdown(`Before\n\n${payload}\n\nafter`);
    for (const tag of tagsOf(html)) {
      expect(ALLOWED_TAGS, `tag <${tag.name}> in ${html}`).toContain(tag.name);
      for (const [name, value] of Object.entries(tag.attributes)) {
        expect(ALLOWED_ATTRIBUTES, `attribute ${name} in ${html}`).toContain(name);
        if (name === 'href') expect(value, html).toMatch(/^(https?:\/\/|mailto:|\/(?!\/))/i);
      }
      if (tag.name === 'a') expect(tag.attributes.rel).toBe('nofollow noopener ugc');
    }
  });

  it('keeps ordinary Markdown, links and Chinese text', () => {
    expect(renderMarkdown('**粗体** and [docs](https://docs.example/a?b=1)')).toBe(
      '<p><strong>粗体</strong> and <a href="https://docs.example/a?b=1" rel="nofollow noopener ugc">docs</a></p>\n',
    );
  });
});

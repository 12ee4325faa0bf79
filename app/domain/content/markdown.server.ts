import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Raw HTML in the source is never passed through (html: false escapes it);
// the sanitiser then allows only what Markdown itself produces, as a second
// line of defence. See docs/decisions/0010-markdown.md.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
// Links are absolute web or mail links, or paths on this site. Anything else
// (an oddly encoded scheme, a bare relative URL) stays plain text rather than
// becoming a link, or a link that goes nowhere.
const SAFE_LINK = /^(https?:\/\/|mailto:|\/(?!\/))/i;
markdown.validateLink = (url) => SAFE_LINK.test(url);

const ALLOWED = {
  allowedTags: [
    'p', 'br', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr',
    'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Headings from the author's text never outrank the page's own.
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener ugc' }),
  },
} satisfies sanitizeHtml.IOptions;

/** Markdown → HTML that is safe to insert as is. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), ALLOWED);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

/** The words of rendered HTML, for snippets: tags dropped, entities decoded. */
export function plainTextOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

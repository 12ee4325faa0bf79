// A hand-written Atom 1.0 (RFC 4287) writer: a feed is a dozen elements, and
// every text goes through escapeMarkup, so no input can break the XML.

export interface AtomEntry {
  /** A permanent, absolute IRI: readers use it to tell entries apart. */
  id: string;
  title: string;
  url: string;
  published: Date;
  updated: Date;
  /** HTML, escaped here into a type="html" content element. */
  contentHtml: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle: string;
  /** The page the feed mirrors. */
  alternateUrl: string;
  /** The feed's own address. */
  selfUrl: string;
  /** A BCP 47 tag, e.g. zh-CN. */
  lang: string;
  authorName: string;
  /** When any entry last changed; feeds with no entries still need one. */
  updated: Date;
  entries: AtomEntry[];
}

// Characters XML 1.0 does not allow at all, even escaped (most C0 controls,
// lone surrogates, U+FFFE/U+FFFF): dropped rather than breaking the document.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an XML or HTML element or a quoted attribute. */
export function escapeMarkup(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** RFC 3339 in UTC, as Atom's date constructs require. */
function rfc3339(date: Date): string {
  return date.toISOString();
}

export function renderAtomFeed(feed: AtomFeed): string {
  const text = (name: string, value: string) => `<${name}>${escapeMarkup(value)}</${name}>`;
  const link = (rel: string, href: string, type?: string) =>
    `<link rel="${rel}"${type ? ` type="${escapeMarkup(type)}"` : ''} href="${escapeMarkup(href)}"/>`;
  const entries = feed.entries.map((entry) =>
    [
      '  <entry>',
      `    ${text('id', entry.id)}`,
      `    <title type="text">${escapeMarkup(entry.title)}</title>`,
      `    ${link('alternate', entry.url, 'text/html')}`,
      `    ${text('published', rfc3339(entry.published))}`,
      `    ${text('updated', rfc3339(entry.updated))}`,
      `    <content type="html">${escapeMarkup(entry.contentHtml)}</content>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeMarkup(feed.lang)}">`,
    `  ${text('id', feed.id)}`,
    `  <title type="text">${escapeMarkup(feed.title)}</title>`,
    `  <subtitle type="text">${escapeMarkup(feed.subtitle)}</subtitle>`,
    `  ${link('alternate', feed.alternateUrl, 'text/html')}`,
    `  ${link('self', feed.selfUrl, 'application/atom+xml')}`,
    `  ${text('updated', rfc3339(feed.updated))}`,
    `  <author>${text('name', feed.authorName)}</author>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

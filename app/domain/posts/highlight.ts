// Pure and client-safe: splits text into plain and matching segments, so a
// page renders <mark> around matches without ever injecting HTML.

export interface TextSegment {
  text: string;
  match: boolean;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;

/**
 * The terms of a query: its whitespace-separated words, and for a run of
 * Chinese (no word spaces) also its two-character pieces, so "连接超时问题"
 * still marks "连接超时" in a text.
 */
export function searchTerms(query: string): string[] {
  const words = query
    .split(/[\s\u3000,，。;；:：!！?？"'“”‘’()（）]+/)
    .map((word) => word.trim())
    .filter((word) => word.length > 0)
    .slice(0, 8);
  const terms = new Set<string>(words);
  for (const word of words) {
    if (!CJK.test(word) || word.length <= 2) continue;
    for (let index = 0; index + 2 <= word.length; index += 1) {
      const pair = word.slice(index, index + 2);
      if (CJK.test(pair[0]!) && CJK.test(pair[1]!)) terms.add(pair);
    }
  }
  // Longest first, so the longest match at a position wins.
  return [...terms].sort((a, b) => b.length - a.length);
}

function matchRanges(text: string, terms: readonly string[]): Array<[number, number]> {
  const lower = text.toLowerCase();
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    const needle = term.toLowerCase();
    // One Latin letter would mark half the text; a single Chinese character is a word.
    if (needle.length < 2 && !CJK.test(needle)) continue;
    let from = 0;
    for (;;) {
      const at = lower.indexOf(needle, from);
      if (at < 0) break;
      ranges.push([at, at + needle.length]);
      from = at + needle.length;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** `text` as segments, the parts that match a term marked. */
export function highlight(text: string, terms: readonly string[]): TextSegment[] {
  const segments: TextSegment[] = [];
  let position = 0;
  for (const [start, end] of matchRanges(text, terms)) {
    if (start > position) segments.push({ text: text.slice(position, start), match: false });
    segments.push({ text: text.slice(start, end), match: true });
    position = end;
  }
  if (position < text.length) segments.push({ text: text.slice(position), match: false });
  return segments;
}

/**
 * A window of about `length` characters of `text` around its first match
 * (or its start), with ellipses where it was cut, as segments.
 */
export function snippet(text: string, terms: readonly string[], length = 200): TextSegment[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const first = matchRanges(flat, terms)[0];
  let start = first ? Math.max(0, first[0] - Math.floor(length / 3)) : 0;
  const end = Math.min(flat.length, start + length);
  start = Math.max(0, Math.min(start, end - length));
  const window = `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
  return highlight(window, terms);
}

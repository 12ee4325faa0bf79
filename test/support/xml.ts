/**
 * A strict little XML reader for tests of the files Candor writes: it
 * refuses anything that is not well-formed (unbalanced or crossed tags, a
 * raw "<" or "&" in text or attributes, an unknown entity, a character XML
 * 1.0 forbids, a second root, a duplicate attribute) and returns the element
 * tree. No DTDs, CDATA, comments or processing instructions beyond the XML
 * declaration: our files use none, so meeting one is an error too.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The decoded text directly inside the element (leaf elements only have text). */
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class XmlError extends Error {}

export function parseXml(source: string): { declaration: string | null; root: XmlElement } {
  if (FORBIDDEN_CHAR.test(source)) throw new XmlError('a character XML 1.0 does not allow');
  let at = 0;
  let declaration: string | null = null;
  const declared = /^<\?xml\s[^?]*\?>/.exec(source);
  if (declared) {
    declaration = declared[0];
    at = declared[0].length;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  while (at < source.length) {
    const lt = source.indexOf('<', at);
    const text = source.slice(at, lt === -1 ? source.length : lt);
    if (text) {
      const decoded = decode(text);
      if (stack.length === 0) {
        if (decoded.trim()) throw new XmlError(`text outside the root element: ${text.trim().slice(0, 20)}`);
      } else {
        stack.at(-1)!.text += decoded;
      }
    }
    if (lt === -1) break;
    at = lt + 1;
    if (source[at] === '/') {
      const name = NAME.exec(source.slice(at + 1))?.[0];
      const close = source.indexOf('>', at);
      if (!name || close === -1 || source.slice(at + 1 + name.length, close).trim()) throw new XmlError('a malformed end tag');
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      at = close + 1;
      continue;
    }
    const name = NAME.exec(source.slice(at))?.[0];
    if (!name) throw new XmlError(`"<" not followed by an element name at ${at}`);
    at += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      const space = /^\s*/.exec(source.slice(at))![0];
      at += space.length;
      if (source.startsWith('/>', at) || source[at] === '>') break;
      if (!space) throw new XmlError(`no space before an attribute of <${name}>`);
      const attribute = /^([A-Za-z_:][A-Za-z0-9._:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(at));
      if (!attribute) throw new XmlError(`a malformed attribute in <${name}>`);
      const attributeName = attribute[1]!;
      if (attributeName in element.attributes) throw new XmlError(`a duplicate attribute ${attributeName} in <${name}>`);
      element.attributes[attributeName] = decode(attribute[3] ?? attribute[4] ?? '');
      at += attribute[0].length;
    }
    if (stack.length === 0) {
      if (root) throw new XmlError('a second root element');
      root = element;
    } else {
      stack.at(-1)!.children.push(element);
    }
    if (source.startsWith('/>', at)) {
      at += 2;
    } else {
      at += 1;
      stack.push(element);
    }
  }
  if (stack.length) throw new XmlError(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new XmlError('no root element');
  return { declaration, root };
}

function decode(text: string): string {
  if (text.includes(']]>')) throw new XmlError('"]]>" in text');
  return text.replace(/&([^;]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) throw new XmlError(`a bare "&" before ${entity.slice(0, 10)}`);
    if (entity in ENTITIES) return ENTITIES[entity]!;
    const decimal = /^#(\d+)$/.exec(entity);
    const hex = /^#x([0-9a-fA-F]+)$/.exec(entity);
    const code = decimal ? Number(decimal[1]) : hex ? parseInt(hex[1]!, 16) : undefined;
    if (code === undefined) throw new XmlError(`an unknown entity &${entity};`);
    return String.fromCodePoint(code);
  });
}

/** The child elements of `element` with this name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The one element at this path below `element` ("PmtInf/Dbtr/Nm"); throws unless there is exactly one. */
export function at(element: XmlElement, path: string): XmlElement {
  let current: XmlElement[] = [element];
  for (const step of path.split('/')) current = current.flatMap((one) => childrenNamed(one, step));
  if (current.length !== 1) throw new Error(`${path}: ${current.length} elements`);
  return current[0]!;
}

/** Every element in the tree, depth first, with its path from the root. */
export function walk(element: XmlElement, path = element.name): Array<{ path: string; element: XmlElement }> {
  return [{ path, element }, ...element.children.flatMap((child) => walk(child, `${path}/${child.name}`))];
}

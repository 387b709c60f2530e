/** A deliberately strict, tiny XML reader for the tests: enough to check well-formedness and read values back. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = '[A-Za-z_][\\w.-]*';

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw '<' in ${where}: ${raw}`);
  return raw.replace(/&([^;&]*);|&/g, (match, entity: string | undefined) => {
    if (entity === undefined) throw new Error(`bare '&' in ${where}: ${raw}`);
    const named = ENTITIES[entity];
    if (named !== undefined) return named;
    if (/^#\d+$/.test(entity)) return String.fromCodePoint(Number(entity.slice(1)));
    if (/^#x[0-9a-f]+$/i.test(entity)) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    throw new Error(`unknown entity ${match} in ${where}`);
  });
}

/** Parses a document with one root element (after an optional XML declaration). Throws on anything malformed. */
export function parseXml(xml: string): XmlElement {
  // XML 1.0 Char production; a lone surrogate fails it as well.
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml)) throw new Error('character not allowed in XML 1.0');
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`);
  const attr = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');
  while (rest.length > 0) {
    const top = stack[stack.length - 1] as XmlElement;
    if (rest.startsWith('<')) {
      const match = tag.exec(rest);
      if (!match) throw new Error(`malformed tag at: ${rest.slice(0, 40)}`);
      const [whole, closing, name = '', attrText = '', selfClosing] = match;
      rest = rest.slice(whole.length);
      if (closing) {
        if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
        stack.pop();
        continue;
      }
      const element: XmlElement = { name, attrs: {}, children: [], text: '' };
      for (const a of attrText.matchAll(attr)) {
        const key = a[1] as string;
        if (key in element.attrs) throw new Error(`duplicate attribute ${key}`);
        // Attribute-value normalization: literal whitespace becomes a space; character references survive.
        element.attrs[key] = decode((a[2] ?? a[3] ?? '').replace(/[\t\n\r]/g, ' '), `attribute ${key}`);
      }
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    } else {
      const end = rest.indexOf('<');
      const raw = end === -1 ? rest : rest.slice(0, end);
      // Stricter than XML (which allows a raw '>'): our escaper always writes &gt;.
      if (raw.includes('>')) throw new Error(`raw '>' in text of <${top.name}>`);
      top.text += decode(raw, `text of <${top.name}>`);
      rest = rest.slice(raw.length);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  const [only, ...others] = root.children;
  if (!only || others.length > 0) throw new Error('document must have exactly one root element');
  return only;
}

/** All descendants named `name`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}

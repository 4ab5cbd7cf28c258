/**
 * A small XML well-formedness check for SVG strings (tests only): every tag closes in order, attribute
 * values are quoted and hold no raw "<", and character data holds no raw "<" or bare "&". Returns the
 * list of problems, empty when the document is well formed.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  let i = 0;
  let roots = 0;
  const checkText = (text: string, at: number) => {
    for (let j = 0; j < text.length; j++) {
      if (text[j] === '&') {
        entity.lastIndex = j;
        if (!entity.test(text)) problems.push(`bare & at ${at + j}`);
      }
    }
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.trim() && stack.length === 0) problems.push(`text outside the root at ${i}`);
    checkText(text, i);
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) return [...problems, `unclosed comment at ${lt}`];
      i = end + 3;
      continue;
    }
    const tag = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(lt));
    if (!tag) return [...problems, `malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`];
    const [whole, closing, name, attrs, selfClosing] = tag;
    checkText(attrs ?? '', lt);
    const attrNames = [...(attrs ?? '').matchAll(/\s([\w:.-]+)=/g)].map((m) => m[1]);
    if (new Set(attrNames).size !== attrNames.length)
      problems.push(`duplicate attribute on <${name}> at ${lt}`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${lt}`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots += 1;
      stack.push(name!);
    } else if (stack.length === 0) {
      roots += 1;
    }
    i = lt + whole.length;
  }
  if (stack.length) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return problems;
}

/** Decodes the five XML entities and numeric references. */
export function decodeXml(text: string): string {
  return text
    .replace(/&#x([0-9a-fA-F]+);/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The decoded contents of every <text> element of an SVG, in document order. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!));
}

import sax from 'sax';
import { ContentPackageError } from './package-limits.js';

/** An XML element with the line it starts on (1-based), its local name and namespace, and its children. */
export interface XmlElement {
  name: string;
  namespace: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (character data and CDATA directly inside it). */
  text: string;
  line: number;
}

/**
 * Parses a whole XML document strictly (XML 1.0 well-formedness, namespaces resolved). A document that
 * is not well-formed throws ContentPackageError naming `file`, the line and column, and what the parser
 * met. DOCTYPE declarations are refused: a course structure needs none, and refusing them closes the
 * door on entity expansion.
 */
export function parseXml(text: string, file: string): XmlElement {
  const parser = sax.parser(true, { xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new ContentPackageError(
      `${file} is not well-formed XML: ${what} on line ${parser.line + 1}, column ${parser.column + 1}. Fix it (or publish the package again) and import it once more.`,
      [{ path: `${file}:${parser.line + 1}`, message: what }],
    );
  };
  parser.onerror = (err) => fail(err.message.split('\n')[0]!);
  parser.ondoctype = () => fail('a DOCTYPE declaration (not allowed in a course structure)');
  parser.onopentag = (tag) => {
    const t = tag as sax.QualifiedTag;
    const attributes: Record<string, string> = {};
    for (const a of Object.values(t.attributes)) if (!a.prefix) attributes[a.local] = a.value;
    const el: XmlElement = {
      name: t.local,
      namespace: t.uri,
      attributes,
      children: [],
      text: '',
      line: parser.line + 1,
    };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else if (root) fail(`a second root element <${t.name}>`);
    else root = el;
    stack.push(el);
  };
  parser.onclosetag = () => void stack.pop();
  parser.ontext = (s) => {
    if (stack.length) stack[stack.length - 1]!.text += s;
    else if (s.trim()) fail('text outside the root element');
  };
  parser.oncdata = (s) => {
    if (stack.length) stack[stack.length - 1]!.text += s;
  };
  parser.write(text).close();
  if (!root) return fail('no root element');
  return root;
}

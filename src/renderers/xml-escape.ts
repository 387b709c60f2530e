// Characters XML 1.0 forbids anywhere in a document (C0 controls other than tab/LF/CR, lone surrogates,
// U+FFFE/U+FFFF). With the `u` flag a lone surrogate is its own code point, so it matches here too.
const INVALID_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replaces characters that cannot appear in an XML 1.0 document with U+FFFD. */
export function toXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHAR, '\uFFFD');
}

/** Escapes text for an XML element body. */
export function escapeXmlText(text: string): string {
  return toXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes text for a double- or single-quoted XML attribute. Tabs and line breaks become character
 * references, because parsers normalize literal ones in attribute values to spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** The text shown in a PDF made by pdfkit (standard fonts), enough to assert what it says. */
import { inflateSync } from 'node:zlib';

/** Each content stream's text operators, inflated when compressed; one string, words separated by spaces. */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const shown: string[] = [];
  for (const match of raw.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    let body = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(match[1]!)) {
      try {
        body = inflateSync(body);
      } catch {
        continue;
      }
    }
    const content = body.toString('latin1');
    // pdfkit writes text as `[<hex> kerning <hex> …] TJ`; the pieces of one array are one run of text.
    for (const [, array] of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ/g)) {
      shown.push([...array!.matchAll(/<([0-9a-fA-F]*)>/g)].map(([, hex]) => Buffer.from(hex!, 'hex').toString('latin1')).join(''));
    }
  }
  return shown.join(' ').replace(/\s+/g, ' ');
}

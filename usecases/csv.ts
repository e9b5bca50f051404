/**
 * CSV as spreadsheets read it safely: RFC 4180 (fields quoted when they must be, quotes doubled,
 * CRLF between records), UTF-8 with a byte-order mark so Excel reads the accents, and no cell that
 * a spreadsheet would run as a formula. A case reference or an organisation's name is typed by
 * someone else, so `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` must arrive as text: per OWASP's advice
 * on CSV injection, a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
 * leading apostrophe, which spreadsheets show as text and do not evaluate.
 */

/** Excel takes a file as UTF-8 only when it starts with this. */
export const BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const MUST_QUOTE = /[",\r\n;]|^\s|\s$/;

/** One cell: neutralised, then quoted if it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return MUST_QUOTE.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ended by CRLF. */
export const csvLine = (cells: (string | number | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** `Content-Disposition` of a download named `name` (ASCII letters, digits and dashes only, so no quoting trick reaches the header). */
export function attachmentHeaders(name: string): Record<string, string> {
  const safe = name.replace(/[^A-Za-z0-9.-]+/g, '-');
  return {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="${safe}"`,
    'X-Content-Type-Options': 'nosniff',
    // An export may hold household details: no shared cache keeps a copy.
    'Cache-Control': 'no-store',
  };
}

/**
 * A stream of text chunks as bytes, read one chunk ahead of the reader: the next chunk (a page of
 * rows) is made only when the reader has taken the last, so a slow download holds one page, not the
 * whole export. A reader that goes away stops the pages. An error after the first byte errors the
 * stream, so the download breaks off visibly instead of ending as if complete.
 */
export function textStream(chunks: AsyncGenerator<string, void, undefined>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * What an uploaded file is, judged by its first bytes — never by the name or the media type the
 * sender gave, which any client can set — and a file name that is safe to store and send back.
 */

/** The largest file taken: a scanned plan or a phone photo of a receipt fits. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type MediaType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'text/plain';

/** The extension a downloaded file gets when its name does not already end in one of these. */
const EXTENSIONS: Record<MediaType, string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'text/plain': ['.txt'],
};

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** Plain text: valid UTF-8 without control characters other than tab, line feed, carriage return and form feed. */
function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/** The type the bytes are, among those taken; undefined for anything else. */
export function sniffMediaType(bytes: Uint8Array): MediaType | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (isPlainText(bytes)) return 'text/plain';
  return undefined;
}

/**
 * The name as shown and downloaded: the last path segment, without control characters or quotes,
 * at most 200 characters, ending in an extension of its real type (a PNG sent as `plan.pdf`
 * downloads as `plan.pdf.png`, so no program opens it as what it is not).
 */
export function safeFileName(name: string, type: MediaType): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const base = (name.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').replace(/\s+/g, ' ').trim().slice(0, 200) || 'file';
  const extensions = EXTENSIONS[type];
  return extensions.some((e) => base.toLowerCase().endsWith(e)) ? base : `${base}${extensions[0]}`;
}

/** `Content-Disposition` of a download: an ASCII fallback and the name in UTF-8 (RFC 6266, RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The headers of a download that no browser renders in place or reads as another type. */
export function downloadHeaders(mediaType: string, fileName: string, size: number): Record<string, string> {
  return {
    'Content-Type': mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : mediaType,
    'Content-Disposition': contentDisposition(fileName),
    'Content-Length': String(size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  };
}

/** A Buffer or byte array as the body type a Response takes, without copying it. */
export const bodyOf = (bytes: Uint8Array) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>;

/**
 * The files of the API reference: Swagger UI from the `swagger-ui-dist` npm package (never a CDN:
 * many of our users' offices reach nothing outside), and the small script that starts it. Only the
 * names listed here are served, so no request can reach another file of the package or the disk.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Starts Swagger UI on this server's own document; a file, not an inline script, so the page's CSP can forbid inline scripts. */
const INITIALIZER = `'use strict';
// SafeRoutes API reference: Swagger UI on this server's own OpenAPI document, nothing from the web.
window.addEventListener('DOMContentLoaded', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-openapi-url'),
    domNode: root,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // The default validator badge is an image from validator.swagger.io.
    validatorUrl: null,
    displayRequestDuration: true,
    showExtensions: true,
    defaultModelsExpandDepth: 0,
  });
});
`;

interface AssetFile {
  type: string;
  /** The file in swagger-ui-dist, or the text itself for our own. */
  from: { package: string } | { text: string };
}

const FILES = new Map<string, AssetFile>([
  ['swagger-ui.css', { type: 'text/css; charset=utf-8', from: { package: 'swagger-ui.css' } }],
  ['swagger-ui-bundle.js', { type: 'text/javascript; charset=utf-8', from: { package: 'swagger-ui-bundle.js' } }],
  ['favicon-32x32.png', { type: 'image/png', from: { package: 'favicon-32x32.png' } }],
  ['favicon-16x16.png', { type: 'image/png', from: { package: 'favicon-16x16.png' } }],
  ['saferoutes-docs.js', { type: 'text/javascript; charset=utf-8', from: { text: INITIALIZER } }],
]);

export interface Asset {
  type: string;
  body: Uint8Array<ArrayBuffer>;
  /** The same bytes gzipped, when that makes them smaller. */
  gzipped?: Uint8Array<ArrayBuffer>;
}

const once = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

/** Resolved through Node's own lookup, so it is found wherever npm put it (hoisted or not). */
const packageDir = once(() => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')));

/**
 * One version for all the reference's files: Swagger UI's and the initializer's. The page asks for
 * every file with `?v=` this version, so a browser may keep them for good and still gets new ones
 * after an upgrade.
 */
export const assetVersion = once(() => {
  const { version } = JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version: string };
  return `${version}-${createHash('sha256').update(INITIALIZER).digest('hex').slice(0, 10)}`;
});

const loaded = new Map<string, Asset>();

/** The named file of the reference, read (and gzipped) on first use; undefined for any other name. */
export function docsAsset(name: string): Asset | undefined {
  const file = FILES.get(name);
  if (!file) return undefined;
  let asset = loaded.get(name);
  if (!asset) {
    const body = 'text' in file.from ? Buffer.from(file.from.text) : readFileSync(join(packageDir(), file.from.package));
    const gzipped = file.type.startsWith('text/') ? gzipSync(body) : undefined;
    asset = { type: file.type, body: new Uint8Array(body), ...(gzipped && gzipped.length < body.length ? { gzipped: new Uint8Array(gzipped) } : {}) };
    loaded.set(name, asset);
  }
  return asset;
}

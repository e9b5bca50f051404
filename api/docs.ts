/**
 * The interactive API reference at /docs: Swagger UI on /openapi.json, with "try it out" and the
 * bearer token. Everything it loads is served from here (api/docs-assets.ts): no CDN, no fonts from
 * the web. The pages' CSP forbids every script; this page needs its own, so it sets a CSP of its own
 * that allows scripts from this origin only, never inline ones.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { assetVersion, docsAsset } from './docs-assets.js';

const OPENAPI_URL = '/openapi.json';
const ASSETS = '/docs/assets';

// Swagger UI sets `style` attributes, and its stylesheet draws icons as data: images.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const asset = (name: string) => `${ASSETS}/${name}?v=${encodeURIComponent(assetVersion())}`;

function page() {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>SafeRoutes API — reference</title>
    <link rel="stylesheet" href="${asset('swagger-ui.css')}" />
    <link rel="icon" type="image/png" sizes="32x32" href="${asset('favicon-32x32.png')}" />
    <link rel="icon" type="image/png" sizes="16x16" href="${asset('favicon-16x16.png')}" />
  </head>
  <body>
    <noscript><p>This reference needs JavaScript. The API's full description is at <a href="${OPENAPI_URL}">${OPENAPI_URL}</a>.</p></noscript>
    <main id="swagger-ui" data-openapi-url="${OPENAPI_URL}"></main>
    <script src="${asset('swagger-ui-bundle.js')}"></script>
    <script src="${asset('saferoutes-docs.js')}"></script>
  </body>
</html>`;
}

export function docsRoutes() {
  const app = new Hono();

  app.get('/docs', async (c) => {
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    // The page names the files' version: it must not outlive an upgrade.
    c.header('Cache-Control', 'no-cache');
    return c.html(await page());
  });

  app.get(`${ASSETS}/:name`, (c) => {
    const file = docsAsset(c.req.param('name'));
    if (!file) return c.notFound();
    const version = assetVersion();
    const etag = `"${version}"`;
    c.header('ETag', etag);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Vary', 'Accept-Encoding');
    // Asked for as the page names it, the file never changes; asked for otherwise, it is checked each time.
    c.header('Cache-Control', c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', file.type);
    const gzip = file.gzipped && /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '');
    if (gzip) c.header('Content-Encoding', 'gzip');
    return c.body(gzip ? file.gzipped! : file.body);
  });

  return app;
}

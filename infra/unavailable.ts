/** Which service an error says is unreachable (PostgreSQL or Temporal), if any: the caller may retry. */
const PG_DOWN = new Set([
  'ECONNREFUSED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
  // SQLSTATE: cannot connect now, admin/crash shutdown, connection failures
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006',
]);

export function isUnavailable(error: unknown): 'PostgreSQL' | 'Temporal' | undefined {
  const e = error as { name?: string; code?: string | number; message?: string; cause?: unknown };
  if (typeof e?.code === 'string' && PG_DOWN.has(e.code)) return 'PostgreSQL';
  // gRPC UNAVAILABLE / DEADLINE_EXCEEDED / RESOURCE_EXHAUSTED from the Temporal client
  if (e?.name === 'ServiceError' || e?.code === 14 || e?.code === 4 || e?.code === 8 || /UNAVAILABLE|Failed to connect|TransportError/i.test(e?.message ?? '')) return 'Temporal';
  if (e?.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return 'Temporal';
  return undefined;
}

/** PostgreSQL refused a value (SQLSTATE class 22: data exception): the input's fault, not ours. */
export const isRefusedValue = (error: unknown): boolean => /^22[0-9A-Z]{3}$/.test(String((error as { code?: unknown })?.code ?? ''));

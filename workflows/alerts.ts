/**
 * The alert evaluation, started every ten minutes by a Temporal Schedule (worker/schedules.ts):
 * one activity measures every alert and emails crossings (activities/alerts.ts). Deterministic,
 * and nothing personal in its history: counts only.
 */
import { evaluateAlerts } from './activities.js';

export async function alertsWorkflow(): Promise<{ evaluated: number; crossed: number; cleared: number }> {
  return evaluateAlerts();
}

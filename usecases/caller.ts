/** Who is asking: resolved from an API token or a page session; every read and action is scoped by it. */
import type { ActorRef } from '../domain/case-actions.js';
import type { OrganisationKind, Role } from '../domain/organisation.js';

export interface Caller {
  personId: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  role: Role;
  language: 'en' | 'nl';
}

export const actorOf = (caller: Caller): ActorRef => ({ personId: caller.personId, organisationId: caller.organisationId, role: caller.role });

import { z } from 'zod';

export const OrganisationKind = z.enum(['sponsor_group', 'municipality', 'university', 'national_agency', 'coordinator']);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

export const Role = z.enum(['coordinator', 'sponsor', 'municipal_officer', 'university_officer', 'agency_officer', 'admin']);
export type Role = z.infer<typeof Role>;

export const Language = z.enum(['en', 'nl']);
export type Language = z.infer<typeof Language>;

/** Who performs an action: resolved from the caller's token by the API, checked by the workflow. */
export const Actor = z.object({
  personId: z.uuid(),
  organisationId: z.uuid(),
  role: Role,
});
export type Actor = z.infer<typeof Actor>;

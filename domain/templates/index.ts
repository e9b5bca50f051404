import { PathwayTemplate } from '../pathway.js';
import { communitySponsorship } from './community-sponsorship.js';
import { educationPathway } from './education-pathway.js';
import { humanitarianCorridor } from './humanitarian-corridor.js';
import { matchedSponsorship } from './matched-sponsorship.js';
import { resettlement } from './resettlement.js';

/** The built-in pathways, validated like any programme's own template. */
export const builtInTemplates: Record<string, PathwayTemplate> = Object.fromEntries(
  [communitySponsorship, humanitarianCorridor, educationPathway, resettlement, matchedSponsorship].map((t) => [t.id, PathwayTemplate.parse(t)]),
);

/** The built-in template with this id, or undefined (never an Object.prototype property). */
export function builtInTemplate(id: string): PathwayTemplate | undefined {
  return Object.hasOwn(builtInTemplates, id) ? builtInTemplates[id] : undefined;
}

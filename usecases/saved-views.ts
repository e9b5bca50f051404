/**
 * Saved views: a person names a filter of the case list or the board and comes back to it. A view
 * is the list's filters as its address spells them (`stuck=true&sort=due`), checked by the list's
 * own schema when it is saved — never a page cursor, which goes stale. A coordinator may share a
 * view with their organisation; everyone else keeps views to themselves. Only the owner deletes a
 * view, a shared one too. The API (`/v1/views`) and the list pages (web/saved-views.tsx) save,
 * list and delete them here alike.
 */
import { randomUUID } from 'node:crypto';
// zod with OpenAPI metadata: the API documents this very schema.
import { z } from '@hono/zod-openapi';
import type { Queryable, Sql } from '../infra/db.js';
import { BoardQuery } from './board.js';
import type { Caller } from './caller.js';
import { CaseListQuery } from './case-list.js';
import { beginRequest, finishRequest, requestScope } from './idempotency.js';
import { ProblemError } from './problem.js';

export const VIEW_LISTS = ['cases', 'board'] as const;
export type ViewList = (typeof VIEW_LISTS)[number];

/** The filters a view of each list may hold: the list's own, without its page (cursor, limit). */
const FILTERS_OF = {
  cases: CaseListQuery.omit({ cursor: true, limit: true }).strict(),
  board: BoardQuery.omit({ cursor: true, limit: true }).strict(),
} as const;

/** Where each list is read through the API, for a client that follows a view. */
const API_PATH: Record<ViewList, string> = { cases: '/v1/cases', board: '/v1/stuck' };

/** A person keeps at most this many views: a list of views longer than this is not a shortcut any more. */
export const MAX_VIEWS_PER_PERSON = 100;

export const NewSavedView = z
  .object({
    name: z.string().trim().min(1).max(80).openapi({ description: 'What to call it (trimmed, at most 80 characters)' }),
    list: z.enum(VIEW_LISTS).openapi({ description: '`cases`: the case list (`GET /v1/cases`); `board`: the stuck board (`GET /v1/stuck`, coordinators only)' }),
    query: z
      .record(z.string().max(40), z.string().max(400))
      .default({})
      .openapi({ description: "The list's filters as its query string spells them (`cursor` and `limit` excluded); empty values mean \"all\" and are dropped" }),
    shared: z.boolean().default(false).openapi({ description: 'Share it with everyone in your organisation (coordinators only)' }),
  })
  .openapi('NewSavedView', { example: { name: 'Municipalities, 7+ days late', list: 'board', query: { partyKind: 'municipality', overdueDays: '7' }, shared: true } });
export type NewSavedView = z.infer<typeof NewSavedView>;

export interface SavedView {
  id: string;
  name: string;
  list: ViewList;
  query: Record<string, string>;
  shared: boolean;
  /** The caller saved it (and may delete it). */
  mine: boolean;
  /** Who saved it: only ever the caller or a colleague of the same organisation. */
  owner: { personId: string; name: string };
  /** The list with these filters, through the API. */
  apiPath: string;
  createdAt: string;
}

export const viewNotFound = () => new ProblemError(404, 'Saved view not found', 'No saved view with this id is visible to you.');
const invalidQuery = (errors: { field: string; message: string }[]) => new ProblemError(400, 'Invalid input', `${errors.length} field(s) are invalid`, { errors });

/** The filters as the list would read them, or a 400 naming each filter it would refuse. */
export function checkedFilters(list: ViewList, query: Record<string, string>): Record<string, string> {
  const filters = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
  const parsed = FILTERS_OF[list].safeParse(filters);
  if (!parsed.success) {
    // An unknown filter is named as a field of its own, one error each.
    const fields = (i: (typeof parsed.error.issues)[number]) => ('keys' in i && i.keys.length ? i.keys.map((k) => [...i.path, k]) : [i.path]);
    throw invalidQuery(parsed.error.issues.flatMap((i) => fields(i).map((path) => ({ field: ['query', ...path.map(String)].join('.'), message: i.message }))));
  }
  return filters;
}

/** The filters in a stable order (jsonb keeps its own), so the same filters make the same link. */
const inOrder = (query: Record<string, string>) => Object.fromEntries(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

type Row = { id: string; name: string; list: ViewList; query: Record<string, string>; shared: boolean; personId: string; ownerName: string; createdAt: Date };

function viewOf(caller: Caller, r: Row): SavedView {
  const query = inOrder(r.query);
  const search = new URLSearchParams(query).toString();
  return {
    id: r.id,
    name: r.name,
    list: r.list,
    query,
    shared: r.shared,
    mine: r.personId === caller.personId,
    owner: { personId: r.personId, name: r.ownerName },
    apiPath: search ? `${API_PATH[r.list]}?${search}` : API_PATH[r.list],
    createdAt: r.createdAt.toISOString(),
  };
}

const rows = (sql: Queryable, caller: Caller, where: { id?: string; list?: ViewList }) => sql<Row[]>`
  SELECT v.id, v.name, v.list, v.query, v.shared, v.person_id AS "personId", p.name AS "ownerName", v.created_at AS "createdAt"
  FROM saved_views v JOIN people p ON p.id = v.person_id
  WHERE (v.person_id = ${caller.personId} OR (v.shared AND v.organisation_id = ${caller.organisationId}))
    ${where.id ? sql`AND v.id = ${where.id}` : sql``}
    ${where.list ? sql`AND v.list = ${where.list}` : sql``}
  ORDER BY lower(v.name), v.created_at, v.id`;

/**
 * `POST /v1/views` and the lists' "Save this view" form: saved once per Idempotency-Key (the form's
 * `_key`); a retry gets the first answer, even after the view was deleted.
 */
export async function saveView(sql: Sql, caller: Caller, input: NewSavedView, key: string | undefined): Promise<{ status: 201; body: SavedView }> {
  if (input.list === 'board' && caller.role !== 'coordinator') throw new ProblemError(403, 'Coordinators only', 'The stuck-case board, and views of it, are for coordinators.');
  if (input.shared && caller.role !== 'coordinator') throw new ProblemError(403, 'Coordinators only', 'Only coordinators share views with their organisation.');
  const query = checkedFilters(input.list, input.query);
  const scope = requestScope(caller.personId, key, { route: 'save-view', body: { ...input, query } });
  const begun = await beginRequest(sql, scope, randomUUID());
  if (begun.answer) return begun.answer as { status: 201; body: SavedView };
  const id = begun.resourceId ?? randomUUID();
  const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`SELECT count(*)::int AS count FROM saved_views WHERE person_id = ${caller.personId}`;
  if (count >= MAX_VIEWS_PER_PERSON) throw new ProblemError(409, 'Too many saved views', `A person keeps at most ${MAX_VIEWS_PER_PERSON} saved views; delete one first.`);
  await sql`
    INSERT INTO saved_views (id, person_id, organisation_id, list, name, query, shared)
    VALUES (${id}, ${caller.personId}, ${caller.organisationId}, ${input.list}, ${input.name}, ${sql.json(query)}, ${input.shared})
    ON CONFLICT (id) DO NOTHING`;
  const [row] = await rows(sql, caller, { id });
  if (!row) throw viewNotFound(); // deleted between the insert and this read: as if already gone
  return (await finishRequest(sql, scope, { status: 201, body: viewOf(caller, row) })) as { status: 201; body: SavedView };
}

/** `GET /v1/views` and the lists: the caller's own views and those shared with their organisation, by name. */
export async function listViews(sql: Queryable, caller: Caller, list?: ViewList): Promise<SavedView[]> {
  // A board view shared by a coordinator is listed to its colleagues, who are coordinators too; never elsewhere.
  if (list === 'board' && caller.role !== 'coordinator') return [];
  return (await rows(sql, caller, { list })).map((r) => viewOf(caller, r));
}

export const SavedViewChange = z
  .object({
    name: NewSavedView.shape.name.optional(),
    shared: z.boolean().optional().openapi({ description: 'Share it with your organisation, or stop sharing it (coordinators only)' }),
  })
  .refine((c) => c.name !== undefined || c.shared !== undefined, { message: 'give a new name, or say whether it is shared' })
  .openapi('SavedViewChange', { example: { name: 'Municipalities, a week late' } });
export type SavedViewChange = z.infer<typeof SavedViewChange>;

/** `PATCH /v1/views/{id}`: renames a view, or shares it or stops sharing it; by its owner only. Sent twice, the same. */
export async function changeView(sql: Sql, caller: Caller, id: string, change: SavedViewChange): Promise<SavedView> {
  const [row] = await rows(sql, caller, { id });
  if (!row) throw viewNotFound();
  if (row.personId !== caller.personId) throw notYours();
  if (change.shared && caller.role !== 'coordinator') throw new ProblemError(403, 'Coordinators only', 'Only coordinators share views with their organisation.');
  await sql`
    UPDATE saved_views SET name = COALESCE(${change.name ?? null}, name), shared = COALESCE(${change.shared ?? null}, shared)
    WHERE id = ${id} AND person_id = ${caller.personId}`;
  const [changed] = await rows(sql, caller, { id });
  if (!changed) throw viewNotFound();
  return viewOf(caller, changed);
}

const notYours = () => new ProblemError(403, 'Not your view', 'Only the person who saved a view changes or deletes it.');

/** `DELETE /v1/views/{id}` and the lists' delete button: by its owner only; a colleague's shared view answers 403. */
export async function deleteView(sql: Queryable, caller: Caller, id: string): Promise<void> {
  const [row] = await rows(sql, caller, { id });
  if (!row) throw viewNotFound();
  if (row.personId !== caller.personId) throw notYours();
  await sql`DELETE FROM saved_views WHERE id = ${id} AND person_id = ${caller.personId}`;
}

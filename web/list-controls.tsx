/**
 * The parts every list page shares: a filter form that is an ordinary GET (so a filtered list is a
 * link a coordinator can keep or send), choices shown as counted links, and keyset paging.
 */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { COOKIE, type WebContext } from './env.js';
import type { Messages } from './i18n/index.js';

/** The current URL's query with some parameters set (undefined removes one); the page always restarts. */
export function withQuery(path: string, query: Record<string, string | undefined>, change: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, cursor: undefined, ...change })) if (v !== undefined && v !== '') params.set(k, v);
  const search = params.toString();
  // The bare address brings back the remembered list (rememberedList): an unfiltered one says so.
  return search ? `${path}?${search}` : `${path}?${CLEAR}=1`;
}

export function FilterForm(props: { t: Messages; action: string; label: string; children?: Child }) {
  return (
    <form method="get" action={props.action} class="filters" role="search" aria-label={props.label}>
      {props.children}
      <div>
        <button type="submit" class="primary">{props.t.lists.show}</button> <a href={`${props.action}?${CLEAR}=1`}>{props.t.lists.clear}</a>
      </div>
    </form>
  );
}

/** A labelled choice with "all" first; `value` is what the list shows now. */
export function Choice(props: { t: Messages; name: string; label: string; value: string | undefined; options: [string, string][] }) {
  const id = `filter-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        <option value="">{props.t.lists.all}</option>
        {props.options.map(([value, text]) => (
          <option value={value} selected={value === props.value}>{text}</option>
        ))}
      </select>
    </div>
  );
}

/** Counted links that narrow the list to one value, the current one marked. */
export function Facets(props: { label: string; current: string | undefined; items: { value: string; text: string; count: number; href: string }[] }) {
  if (props.items.length === 0) return null;
  return (
    <>
      <h3>{props.label}</h3>
      <ul class="facets">
        {props.items.map((i) => (
          <li>
            <a href={i.href} aria-current={i.value === props.current ? 'true' : undefined}>{`${i.text} (${i.count})`}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function Pager(props: { t: Messages; path: string; query: Record<string, string | undefined>; nextCursor: string | null }) {
  const paged = props.query.cursor !== undefined;
  if (!props.nextCursor && !paged) return null;
  return (
    <nav class="pager" aria-label={props.t.lists.next}>
      {paged && <a href={withQuery(props.path, props.query, {})}>{props.t.lists.first}</a>}
      {props.nextCursor && <a href={withQuery(props.path, props.query, { cursor: props.nextCursor })} rel="next">{props.t.lists.next}</a>}
    </nav>
  );
}

/** The page's query string as a list request: empty form fields are "all"; anything else unreadable is a 400 page. */
export function listQuery(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
}

const CLEAR = 'clear';
const MAX_REMEMBERED = 1000;

/**
 * A list remembers its search, filters and sort while a person works through it: coming back by
 * the menu (the list's address with nothing after it) shows the list as they left it, not from
 * scratch. Kept in a cookie of the list's own path for the session; never the page (a cursor goes
 * stale), and "clear" forgets it. Returns the redirect to the remembered list, or the query to
 * show now (without `clear`).
 */
export function rememberedList(c: WebContext, list: 'cases' | 'board', query: Record<string, string>): { redirect: string } | { query: Record<string, string> } {
  const path = `/${list}`;
  const cookie = COOKIE[list];
  const options = { path, httpOnly: true, sameSite: 'Lax' as const, secure: c.get('secure') };
  if (Object.keys(query).length === 0) {
    const kept = getCookie(c, cookie);
    if (kept) return { redirect: `${path}?${kept}` };
  }
  const { [CLEAR]: _clear, cursor: _cursor, ...filters } = query;
  const remembered = new URLSearchParams(filters).toString();
  if (remembered && remembered.length <= MAX_REMEMBERED) setCookie(c, cookie, remembered, options);
  else deleteCookie(c, cookie, options);
  const { [CLEAR]: _c, ...shown } = query;
  return { query: shown };
}

/** One page of a keyset-paginated list, as the services return it (`next`: the cursor of the next page). */
export interface PageOf<T> {
  items: T[];
  next?: string;
}

/* REST v1 paging: `{items, nextCursor}` answers and the `?limit=` parameter. */
export function pageView<T, V>(
  page: PageOf<T>,
  view: (item: T) => V,
): { items: V[]; nextCursor: string | null } {
  return { items: page.items.map(view), nextCursor: page.next ?? null };
}

/** Parses `?limit=`; absent → undefined, anything but a whole number → a clear 400 from the service. */
export function limitParam(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  return /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
}

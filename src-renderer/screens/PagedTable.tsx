import type { ReactNode } from 'react';
import { Pager } from './Pager';

interface PageOf<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

/**
 * A list screen's table: its column headings, one row per item, paging, and what to say (and do
 * next) when there is nothing yet.
 */
export function PagedTable<T extends { id: number | string }>({
  label,
  page,
  columns,
  row,
  empty,
  onPage,
}: {
  label: string;
  page: PageOf<T> | null;
  columns: readonly (string | false)[];
  row: (item: T, index: number) => ReactNode;
  empty: ReactNode;
  onPage: (page: number) => void;
}) {
  if (!page) return null;
  if (page.items.length === 0) return <p>{empty}</p>;
  return (
    <>
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.filter((c): c is string => c !== false).map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {page.items.map((item, i) => (
            <tr key={item.id}>{row(item, i)}</tr>
          ))}
        </tbody>
      </table>
      <Pager page={page.page} perPage={page.perPage} total={page.total} onPage={onPage} />
    </>
  );
}

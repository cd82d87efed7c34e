/**
 * Loading, empty and error states, the same on every page. Errors show the server's problem+json `detail` as it
 * is (the server words its refusals for people), with its `code` for whoever reports it.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Problem } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

export function ProblemMessage({ error }: { error: unknown }) {
  if (error instanceof Problem) {
    return (
      <div className="problem" role="alert">
        <strong>{error.title || 'The server refused'}</strong>
        {error.detail !== '' && <p>{error.detail}</p>}
        <p className="problem-code">
          code: <code>{error.code}</code> · HTTP {error.status}
        </p>
      </div>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="problem" role="alert">
      <strong>Something went wrong</strong>
      <p>{message === 'Failed to fetch' ? 'The server could not be reached. Check your connection.' : message}</p>
    </div>
  );
}

/**
 * A query's three states around its content: loading, the error, or `children(data)`; `isEmpty` picks the empty
 * message instead.
 */
export function QueryView<T>({
  query,
  what,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <ProblemMessage error={query.error} />;
  if (isEmpty?.(query.data)) return <Empty>{empty ?? `No ${what}.`}</Empty>;
  return <>{children(query.data)}</>;
}

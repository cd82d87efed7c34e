/**
 * Who is signed in. The session lives on the server, named by an HttpOnly cookie the console cannot read; the
 * console asks `GET /v1/session` who it is and gets the CSRF token its state-changing calls must carry. With no
 * session, every page but the sign-in page sends the visitor there, remembering where they were going.
 *
 * A page does not wait for that answer before asking for its own data: both requests leave together (the page's
 * reads carry the cookie anyway), and only what needs the identity (`useSession`) suspends until it is known.
 */
import { useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { api, data, Problem, setCsrfToken } from '../api/client';
import { Loading, ProblemMessage } from '../ui/states';

export const SESSION_QUERY_KEY = ['session'] as const;

export interface Session {
  readonly identity: string;
  readonly method: string;
  /** When the session ends at the latest (null: a bearer credential without an end, which sessions never are). */
  readonly expiresAt: string | null;
}

/** What `useSession` answers in the moment between a session ending and the gate sending the visitor away. */
const SIGNED_OUT: Session = { identity: '', method: 'none', expiresAt: null };

/** Who the server says is signed in (null: no one). A cancelled read is aborted, so its late answer cannot reset
 * the CSRF token a newer one has set. */
async function fetchSession({ signal }: { signal: AbortSignal }): Promise<Session | null> {
  try {
    const session = data(await api.GET('/v1/session', { signal }));
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof Problem && error.status === 401) {
      setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

/** The one description of the session query: every observer passes all of it (an observer without the `queryFn`
 * would leave a refetch of the session with none). */
export const sessionQuery = { queryKey: SESSION_QUERY_KEY, queryFn: fetchSession, refetchInterval: 60_000 } as const;

/** The signed-in identity; suspends (inside a `Suspense` boundary) until the server has said who it is. */
export function useSession(): Session {
  return useSuspenseQuery(sessionQuery).data ?? SIGNED_OUT;
}

export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  return async () => {
    await api.DELETE('/v1/session');
    setCsrfToken(undefined);
    queryClient.clear();
    navigate('/sign-in');
  };
}

export function SessionGate({ children }: { children: ReactNode }) {
  const [location, navigate] = useLocation();
  const session = useQuery(sessionQuery);
  const signedOut = session.data === null;
  const onSignIn = location === '/sign-in';

  useEffect(() => {
    if (signedOut && !onSignIn) {
      const back = location === '/' ? '' : `?return=${encodeURIComponent(location)}`;
      navigate(`/sign-in${back}`, { replace: true });
    }
  }, [signedOut, onSignIn, location, navigate]);

  if (onSignIn) return <>{children}</>;
  if (session.isError) return <ProblemMessage error={session.error} />;
  if (signedOut) return <Loading what="the sign-in page" />;
  return <>{children}</>;
}

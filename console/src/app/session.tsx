/**
 * Who is signed in. The session lives on the server, named by an HttpOnly cookie the console cannot read; the
 * console asks `GET /v1/session` who it is and gets the CSRF token its state-changing calls must carry. With no
 * session, every page but the sign-in page sends the visitor there, remembering where they were going.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
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

const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in identity; only inside `SessionGate`'s signed-in part. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside a signed-in page');
  return session;
}

async function fetchSession(): Promise<Session | null> {
  try {
    const session = data(await api.GET('/v1/session'));
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
  const session = useQuery({ queryKey: SESSION_QUERY_KEY, queryFn: fetchSession, refetchInterval: 60_000 });
  const signedOut = session.data === null;
  const onSignIn = location === '/sign-in';

  useEffect(() => {
    if (signedOut && !onSignIn) {
      const back = location === '/' ? '' : `?return=${encodeURIComponent(location)}`;
      navigate(`/sign-in${back}`, { replace: true });
    }
  }, [signedOut, onSignIn, location, navigate]);

  if (onSignIn) return <>{children}</>;
  if (session.isPending) return <Loading what="your session" />;
  if (session.isError) return <ProblemMessage error={session.error} />;
  if (session.data === null) return <Loading what="the sign-in page" />;
  return <SessionContext.Provider value={session.data}>{children}</SessionContext.Provider>;
}

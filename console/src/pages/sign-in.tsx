/**
 * Signing in: with SSO when the server has an OIDC issuer (the button goes to `/auth/oidc/login`, the server runs
 * the authorization code flow with PKCE), else with an API token. A one-time link from `countersign login-link`
 * lands here with its secret in the URL fragment (never sent to a server, so never in a log); the page trades it
 * for a session at once and removes it from the address bar and history. The session itself is a cookie the page
 * cannot read.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { api, data } from '../api/client';
import { SESSION_QUERY_KEY, sessionQuery } from '../app/session';
import { Loading, ProblemMessage } from '../ui/states';

/** Where to go after signing in: only a path of this console, never another origin (`//evil`, `https:`). */
export function safeReturnPath(raw: string | null): string {
  if (raw === null || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/inbox';
  return raw.startsWith('/sign-in') ? '/inbox' : raw;
}

const OIDC_ERRORS: Record<string, string> = {
  state: 'The sign-in took too long or was started in another window. Please sign in again.',
  denied: 'The identity provider did not sign you in.',
  unknown_identity: 'Your SSO account is not a Countersign identity. Ask an administrator to add you.',
  disabled: 'Your Countersign identity is disabled.',
};

export function SignInPage() {
  const [, navigate] = useLocation();
  const search = new URLSearchParams(useSearch());
  const returnTo = safeReturnPath(search.get('return'));
  const oidcError = search.get('error');
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const linkTried = useRef(false);

  useEffect(() => {
    document.title = 'Sign in · Countersign';
  }, []);

  const options = useQuery({
    queryKey: ['session-options'],
    queryFn: async () => data(await api.GET('/v1/session/options')),
    refetchInterval: false,
  });
  const session = useQuery(sessionQuery);

  const signedIn = async () => {
    // The page's first "who am I?" may still be on its way, sent before the cookie existed: a refetch would join it
    // (TanStack joins an in-flight fetch of a query that has no data yet) and take its "signed out" as the answer,
    // leaving the page on sign-in. Cancelled first, the refetch asks again with the new cookie.
    await queryClient.cancelQueries({ queryKey: SESSION_QUERY_KEY });
    await queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
    navigate(returnTo, { replace: true });
  };
  const withToken = useMutation({
    mutationFn: async (value: string) => data(await api.POST('/v1/session', { body: { token: value } })),
    onSuccess: signedIn,
  });
  const withLink = useMutation({
    mutationFn: async (link: string) => data(await api.POST('/v1/session/link', { body: { link } })),
    onSuccess: signedIn,
  });

  useEffect(() => {
    const link = new URLSearchParams(window.location.hash.slice(1)).get('link');
    if (link === null || linkTried.current) return;
    linkTried.current = true;
    // The secret leaves the address bar (and the history entry) before anything else happens.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    withLink.mutate(link);
  }, [withLink]);

  useEffect(() => {
    if (session.data) navigate(returnTo, { replace: true });
  }, [session.data, navigate, returnTo]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() !== '') withToken.mutate(token.trim());
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Countersign</h1>
      {oidcError !== null && (
        <div className="problem" role="alert">
          <strong>You are not signed in</strong>
          <p>{OIDC_ERRORS[oidcError] ?? 'The sign-in did not complete. Please try again.'}</p>
        </div>
      )}
      {withLink.isPending && <Loading what="your session from the sign-in link" />}
      {withLink.isError && <ProblemMessage error={withLink.error} />}
      {options.isPending && <Loading what="the ways to sign in" />}
      {options.isError && <ProblemMessage error={options.error} />}
      {options.data?.oidc && (
        <p>
          <a className="button primary" href={`/auth/oidc/login?return=${encodeURIComponent(returnTo)}`}>
            Sign in with SSO
          </a>
        </p>
      )}
      {options.data?.tokenSignIn && (
        <form className="card form" onSubmit={submit}>
          <label htmlFor="api-token">API token</label>
          <input
            id="api-token"
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => setToken(event.target.value)}
            aria-describedby="api-token-help"
            required
          />
          <p id="api-token-help" className="help">
            A token from <code>countersign token issue</code> or <code>POST /v1/tokens</code>. It stays on the server:
            the browser keeps only a session cookie. An operator can also print a one-time link with{' '}
            <code>countersign login-link</code>.
          </p>
          {withToken.isError && <ProblemMessage error={withToken.error} />}
          <button type="submit" className="button primary" disabled={withToken.isPending}>
            Sign in
          </button>
        </form>
      )}
    </main>
  );
}

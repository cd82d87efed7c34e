/**
 * The console's entry: one query client (every page reads through it, so a change seen anywhere refreshes
 * everywhere), the session gate and the router. Pages poll their data (`refetchInterval`); the server answers an
 * unchanged resource with 304 through its ETag, so polling is cheap for both.
 */
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Problem } from './api/client';
import { ConsoleRoutes } from './app/routes';
import { SessionGate, SESSION_QUERY_KEY } from './app/session';
import './styles.css';

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    // A call refused as unauthenticated means the session ended (expired, revoked, signed out elsewhere).
    onError: (error) => {
      if (error instanceof Problem && error.status === 401)
        void queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
    },
  }),
  defaultOptions: {
    queries: {
      refetchInterval: 5000,
      refetchOnWindowFocus: true,
      staleTime: 2000,
      retry: (failures, error) => !(error instanceof Problem && error.status < 500) && failures < 2,
    },
    mutations: { retry: false },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionGate>
        <ConsoleRoutes />
      </SessionGate>
    </QueryClientProvider>
  </StrictMode>,
);

/**
 * The console's pages. Each top-level segment must be in the server's `CONSOLE_SECTIONS`
 * (`src/http/console-sections.ts`) so that a reload of any page gets the console; a test checks both agree.
 * The sign-in page and the Inbox (the approvers' default page) come with the first script; every other page is
 * its own chunk, fetched when first visited, so the first page is interactive sooner.
 */
import { lazy, Suspense, type ComponentType } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { InboxPage } from '../pages/inbox';
import { SignInPage } from '../pages/sign-in';
import { Loading } from '../ui/states';

/** A page component loaded from its own chunk the first time it is shown. */
function page<M>(load: () => Promise<M>, pick: (module: M) => ComponentType): ComponentType {
  return lazy(async () => ({ default: pick(await load()) }));
}

const audit = () => import('../pages/audit');
const breakGlass = () => import('../pages/break-glass');
const certifications = () => import('../pages/certifications');
const myRequests = () => import('../pages/my-requests');
const policyChanges = () => import('../pages/policy-changes');
const resources = () => import('../pages/resources');
const sessions = () => import('../pages/sessions');

export const ROUTES: readonly (readonly [string, ComponentType])[] = [
  ['/sign-in', SignInPage],
  ['/inbox', InboxPage],
  [
    '/requests/new',
    page(
      () => import('../pages/new-request'),
      (m) => m.NewRequestPage,
    ),
  ],
  ['/requests/:id', page(myRequests, (m) => m.RequestPage)],
  ['/requests', page(myRequests, (m) => m.MyRequestsPage)],
  ['/break-glass/reviews', page(breakGlass, (m) => m.BreakGlassReviewsPage)],
  ['/break-glass', page(breakGlass, (m) => m.BreakGlassPage)],
  ['/sessions/:id', page(sessions, (m) => m.SessionPage)],
  ['/sessions', page(sessions, (m) => m.SessionsPage)],
  ['/resources/:id', page(resources, (m) => m.ResourcePage)],
  ['/resources', page(resources, (m) => m.ResourcesPage)],
  [
    '/profiles/:name',
    page(
      () => import('../pages/profile'),
      (m) => m.ProfilePage,
    ),
  ],
  [
    '/drift',
    page(
      () => import('../pages/drift'),
      (m) => m.DriftPage,
    ),
  ],
  [
    '/sod',
    page(
      () => import('../pages/sod'),
      (m) => m.SodPage,
    ),
  ],
  ['/certifications/:id', page(certifications, (m) => m.CertificationPage)],
  ['/certifications', page(certifications, (m) => m.CertificationsPage)],
  ['/audit', page(audit, (m) => m.AuditPage)],
  ['/policy-changes/:id', page(policyChanges, (m) => m.PolicyChangePage)],
  ['/policy-changes', page(policyChanges, (m) => m.PolicyChangesPage)],
  [
    '/health',
    page(
      () => import('../pages/approval-health'),
      (m) => m.ApprovalHealthPage,
    ),
  ],
];

export function ConsoleRoutes() {
  return (
    <Suspense fallback={<Loading what="the page" />}>
      <Switch>
        {ROUTES.map(([path, Page]) => (
          <Route key={path} path={path} component={Page} />
        ))}
        <Route path="/">
          <Redirect to="/inbox" replace />
        </Route>
        <Route>
          <Redirect to="/inbox" replace />
        </Route>
      </Switch>
    </Suspense>
  );
}

/**
 * The console's pages. Each top-level segment must be in the server's `CONSOLE_SECTIONS`
 * (`src/http/console-sections.ts`) so that a reload of any page gets the console; a test checks both agree.
 */
import { Redirect, Route, Switch } from 'wouter';
import { AuditPage } from '../pages/audit';
import { BreakGlassPage, BreakGlassReviewsPage } from '../pages/break-glass';
import { CertificationPage, CertificationsPage } from '../pages/certifications';
import { DriftPage } from '../pages/drift';
import { ApprovalHealthPage } from '../pages/approval-health';
import { InboxPage } from '../pages/inbox';
import { MyRequestsPage, RequestPage } from '../pages/my-requests';
import { NewRequestPage } from '../pages/new-request';
import { PolicyChangePage, PolicyChangesPage } from '../pages/policy-changes';
import { ProfilePage } from '../pages/profile';
import { ResourcePage, ResourcesPage } from '../pages/resources';
import { SignInPage } from '../pages/sign-in';
import { SodPage } from '../pages/sod';

export const ROUTES = [
  ['/sign-in', SignInPage],
  ['/inbox', InboxPage],
  ['/requests/new', NewRequestPage],
  ['/requests/:id', RequestPage],
  ['/requests', MyRequestsPage],
  ['/break-glass/reviews', BreakGlassReviewsPage],
  ['/break-glass', BreakGlassPage],
  ['/resources/:id', ResourcePage],
  ['/resources', ResourcesPage],
  ['/profiles/:name', ProfilePage],
  ['/drift', DriftPage],
  ['/sod', SodPage],
  ['/certifications/:id', CertificationPage],
  ['/certifications', CertificationsPage],
  ['/audit', AuditPage],
  ['/policy-changes/:id', PolicyChangePage],
  ['/policy-changes', PolicyChangesPage],
  ['/health', ApprovalHealthPage],
] as const;

export function ConsoleRoutes() {
  return (
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
  );
}

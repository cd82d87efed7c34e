/**
 * Audit (issue 12, page 8): the verification of the log as the server computes it, shown first and prominently
 * (a failure is an alert), then the events, filtered by resource, request or identity, a page at a time. Both
 * need the `audit` duty; the server refuses anyone else and the page shows its answer.
 */
import { Layout } from '../app/layout';
import { AuditEventsSection } from './audit/events';
import { AuditVerificationCard } from './audit/verification';

export function AuditPage() {
  return (
    <Layout title="Audit">
      <AuditVerificationCard />
      <AuditEventsSection />
    </Layout>
  );
}

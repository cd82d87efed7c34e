/**
 * Audit (issue 12, page 8): the verification of the log as the server computes it, shown first and prominently
 * (a failure is an alert), then the events, filtered by resource, request or identity, a page at a time. Both
 * need the `audit` duty; the server refuses anyone else and the page shows its answer.
 */
import { useSearch } from 'wouter';
import { Layout } from '../app/layout';
import { AuditEventsSection } from './audit/events';
import { AuditVerificationCard } from './audit/verification';

export function AuditPage() {
  // New filters (from the form or a link from another page) start again at the first page.
  const search = useSearch();
  return (
    <Layout title="Audit">
      <AuditVerificationCard />
      <AuditEventsSection key={search} />
    </Layout>
  );
}

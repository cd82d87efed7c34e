/**
 * Policy changes (issue 12, page 9): the change sets waiting for governance approval, and each with what it
 * changes and the approve/reject buttons. Reading needs `administer`, `audit` or `approve`; deciding, a
 * governance approver of every touched profile other than the author (the server judges, the page shows why not).
 */
import { useParams } from 'wouter';
import { Layout } from '../app/layout';
import { PolicyChangeDetailView } from './policy-changes/change-detail';
import { PolicyChangeList } from './policy-changes/change-list';

export function PolicyChangesPage() {
  return (
    <Layout title="Policy changes">
      <PolicyChangeList />
    </Layout>
  );
}

export function PolicyChangePage() {
  const { id = '' } = useParams<{ id: string }>();
  return (
    <Layout title="Policy change">
      <PolicyChangeDetailView key={id} id={id} />
    </Layout>
  );
}

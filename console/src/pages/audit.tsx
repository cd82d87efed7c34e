// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function AuditPage() {
  return <Layout title="AuditPage">{null}</Layout>;
}

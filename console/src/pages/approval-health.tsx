// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function ApprovalHealthPage() {
  return <Layout title="ApprovalHealthPage">{null}</Layout>;
}

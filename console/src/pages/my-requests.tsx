// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function MyRequestsPage() {
  return <Layout title="MyRequestsPage">{null}</Layout>;
}

export function RequestPage() {
  return <Layout title="RequestPage">{null}</Layout>;
}

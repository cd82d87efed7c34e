// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function ResourcesPage() {
  return <Layout title="ResourcesPage">{null}</Layout>;
}

export function ResourcePage() {
  return <Layout title="ResourcePage">{null}</Layout>;
}

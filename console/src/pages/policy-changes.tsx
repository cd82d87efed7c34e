// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function PolicyChangesPage() {
  return <Layout title="PolicyChangesPage">{null}</Layout>;
}

export function PolicyChangePage() {
  return <Layout title="PolicyChangePage">{null}</Layout>;
}

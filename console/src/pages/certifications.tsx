// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function CertificationsPage() {
  return <Layout title="CertificationsPage">{null}</Layout>;
}

export function CertificationPage() {
  return <Layout title="CertificationPage">{null}</Layout>;
}

// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function SodPage() {
  return <Layout title="SodPage">{null}</Layout>;
}

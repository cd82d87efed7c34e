// Placeholder until the page is built (issue 12); replaced in this session.
import { Layout } from '../app/layout';

export function BreakGlassPage() {
  return <Layout title="BreakGlassPage">{null}</Layout>;
}

export function BreakGlassReviewsPage() {
  return <Layout title="BreakGlassReviewsPage">{null}</Layout>;
}

/**
 * The web console's top-level paths. The server answers each of them (and anything below) with the console's
 * `index.html`, so a bookmarked or reloaded page works; the console's router (`console/src/app/routes.tsx`) owns
 * what is below them. Everything else that is not an API route stays a 404 (problem+json), so a typo under `/v1`
 * never turns into an HTML page.
 */
export const CONSOLE_SECTIONS = [
  'sign-in',
  'inbox',
  'requests',
  'break-glass',
  'sessions',
  'resources',
  'profiles',
  'drift',
  'sod',
  'certifications',
  'audit',
  'policy-changes',
  'health',
] as const;

export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

/**
 * The frame of every signed-in page: a skip link, the navigation (a list of links, usable by keyboard), who is
 * signed in and the sign-out button, and the page's main landmark. Below 700 px wide the navigation folds above
 * the content.
 */
import { Suspense, useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { Loading } from '../ui/states';
import { useSession, useSignOut } from './session';

export const NAVIGATION: readonly { readonly group: string; readonly links: readonly (readonly [string, string])[] }[] =
  [
    {
      group: 'Approve',
      links: [
        ['/inbox', 'Inbox'],
        ['/break-glass/reviews', 'Break-glass reviews'],
      ],
    },
    {
      group: 'My access',
      links: [
        ['/requests', 'My requests and grants'],
        ['/requests/new', 'New request'],
        ['/break-glass', 'Break-glass'],
        ['/sessions', 'Gateway sessions'],
      ],
    },
    {
      group: 'Resources',
      links: [
        ['/resources', 'Resources'],
        ['/drift', 'Drift findings'],
        ['/sod', 'SoD conflicts'],
      ],
    },
    {
      group: 'Governance',
      links: [
        ['/certifications', 'Certifications'],
        ['/policy-changes', 'Policy changes'],
        ['/audit', 'Audit'],
        ['/health', 'Approval health'],
      ],
    },
  ];

function NavLink({ href, label }: { href: string; label: string }) {
  const [location] = useLocation();
  const current = location === href;
  return (
    <Link href={href} className={current ? 'nav-link current' : 'nav-link'} aria-current={current ? 'page' : undefined}>
      {label}
    </Link>
  );
}

/** Who is signed in: known a moment after the page's own data has been asked for (`session.tsx`). */
function WhoAmI() {
  const session = useSession();
  return (
    <span className="whoami">
      Signed in as <strong>{session.identity}</strong>
    </span>
  );
}

export function Layout({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const signOut = useSignOut();
  useEffect(() => {
    document.title = `${title} · Countersign`;
  }, [title]);
  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/inbox" className="brand">
          Countersign
        </Link>
        <Suspense fallback={<span className="whoami" />}>
          <WhoAmI />
        </Suspense>
        <button type="button" className="button secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav className="sidebar" aria-label="Console">
        {NAVIGATION.map(({ group, links }) => (
          <div key={group} className="nav-group">
            <h2 className="nav-heading">{group}</h2>
            <ul>
              {links.map(([href, label]) => (
                <li key={href}>
                  <NavLink href={href} label={label} />
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <div className="page-head">
          <h1>{title}</h1>
          {actions}
        </div>
        <Suspense fallback={<Loading what="the page" />}>{children}</Suspense>
      </main>
    </div>
  );
}

/**
 * A profile explained (`GET /v1/profiles/{name}`, `/explain`, `/versions`): the same words as
 * `countersign policy explain` (what it guards, its actions and their approval rules, who holds which duty),
 * its facts and every version ever loaded (newest first). The server words the explanation; the page only lays
 * it out, an indented line of the CLI becoming a nested item.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { Layout } from '../app/layout';
import { QueryView } from '../ui/states';
import { Time } from '../ui/time';

type Section = components['schemas']['ProfileExplanation']['sections'][number];

interface Line {
  readonly text: string;
  readonly details: string[];
}

/** Lines indented under the line before them (the CLI's layout) become that line's details. */
function nest(lines: readonly string[]): Line[] {
  const nested: Line[] = [];
  for (const line of lines) {
    const last = nested[nested.length - 1];
    if (/^\s/.test(line) && last !== undefined) last.details.push(line.trim());
    // A list item of the CLI's text ("- tls-on [high]: …") is already an item here.
    else nested.push({ text: line.trim().replace(/^- /, ''), details: [] });
  }
  return nested;
}

function ExplanationSection({ section, index }: { section: Section; index: number }) {
  const headingId = `explain-${index}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{section.title}</h2>
      {section.lines.length === 0 ? (
        <p className="muted">Nothing to say.</p>
      ) : (
        <ul className="explain-lines">
          {nest(section.lines).map((line, lineIndex) => (
            <li key={lineIndex}>
              {line.text}
              {line.details.length > 0 && (
                <ul>
                  {line.details.map((detail, detailIndex) => (
                    <li key={detailIndex}>{detail}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProfilePage() {
  const { name = '' } = useParams<{ name: string }>();
  const path = { params: { path: { name } } };
  const profile = useQuery({
    queryKey: ['profile', name],
    queryFn: async () => data(await api.GET('/v1/profiles/{name}', path)),
  });
  const explanation = useQuery({
    queryKey: ['profile-explain', name],
    queryFn: async () => data(await api.GET('/v1/profiles/{name}/explain', path)),
  });
  const versions = useQuery({
    queryKey: ['profile-versions', name],
    queryFn: async () => data(await api.GET('/v1/profiles/{name}/versions', path)).versions,
  });

  return (
    <Layout title={`Profile ${name}`}>
      <QueryView query={profile} what="the profile">
        {(found) => (
          <section className="card" aria-labelledby="profile-facts">
            <h2 id="profile-facts">At a glance</h2>
            <dl className="facts">
              <dt>Version in force</dt>
              <dd>
                <code>{found.version}</code>
                {found.loadedAt !== null && (
                  <>
                    {' '}
                    loaded <Time iso={found.loadedAt} />
                  </>
                )}
              </dd>
              <dt>Classification</dt>
              <dd>{found.classification}</dd>
              <dt>Environment</dt>
              <dd>{found.environment}</dd>
              <dt>Provider</dt>
              <dd>{found.provider}</dd>
              {found.extends !== null && (
                <>
                  <dt>Extends</dt>
                  <dd>
                    <Link href={`/profiles/${encodeURIComponent(found.extends)}`}>{found.extends}</Link>
                  </dd>
                </>
              )}
              <dt>Owners</dt>
              <dd>{found.owners.join(', ') || '—'}</dd>
              <dt>Governance approvers</dt>
              <dd>{found.governance.approvers.join(', ') || '—'}</dd>
              <dt>Actions</dt>
              <dd>{found.actions.join(', ') || '—'}</dd>
              <dt>Break-glass</dt>
              <dd>
                {found.breakGlass === null
                  ? 'not allowed'
                  : `${found.breakGlass.actions.join(', ')} for ${found.breakGlass.allowed.join(', ')}, at most ${found.breakGlass.maxDuration}, reviewed within ${found.breakGlass.reviewWithin}`}
              </dd>
              <dt>Certification</dt>
              <dd>{found.certification === null ? 'none' : `every ${found.certification.every}`}</dd>
            </dl>
            <p>
              <Link href={`/resources?profile=${encodeURIComponent(found.name)}`}>Resources of this profile</Link>
            </p>
          </section>
        )}
      </QueryView>
      <QueryView query={explanation} what="the explanation" isEmpty={(answer) => answer.sections.length === 0}>
        {(answer) => (
          <div data-testid="profile-explanation">
            {answer.sections.map((section, index) => (
              <ExplanationSection key={section.title} section={section} index={index} />
            ))}
          </div>
        )}
      </QueryView>
      <section className="card" aria-labelledby="profile-versions">
        <h2 id="profile-versions">Versions</h2>
        <QueryView query={versions} what="the versions" isEmpty={(list) => list.length === 0}>
          {(list) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">First loaded</th>
                    <th scope="col">Policy load</th>
                    <th scope="col">In force</th>
                  </tr>
                </thead>
                <tbody>
                  {[...list].reverse().map((version) => (
                    <tr key={version.version}>
                      <th scope="row">
                        <code>{version.version}</code>
                      </th>
                      <td>
                        <Time iso={version.firstLoadedAt} />
                      </td>
                      <td>{version.policyLoadId ?? '—'}</td>
                      <td>{version.current ? <span className="badge ok">in force</span> : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </section>
    </Layout>
  );
}

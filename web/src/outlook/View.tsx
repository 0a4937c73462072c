import type { ReactNode } from 'react';
import './outlook.css';
import type { PageProps } from '../app/routes.tsx';
import { hrefOf } from '../app/router.ts';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { Empty, ErrorState, Loading } from '../ui/states.tsx';
import { AchMatrix } from './Ach.tsx';
import { useAchList, useQuestions, useSets } from './api.ts';
import { SECTIONS, isoDate, pct, sectionOf } from './logic.ts';
import { Question, Scores } from './Questions.tsx';
import { ScenarioSet } from './ScenarioSet.tsx';
import { NewAchForm } from './CreateAch.tsx';
import { NewQuestionForm } from './CreateQuestion.tsx';
import { NewSetForm } from './CreateSet.tsx';

/** The addresses of the creation forms (`#/outlook/new-set`): no object id looks like them. */
const NEW_SET = 'new-set';
const NEW_QUESTION = 'bulwark-forecast-question--new';
const NEW_ACH = 'bulwark-ach-matrix--new';

/**
 * The Outlook tab: scenario sets (probabilities, reasons, posture of the eastern flank), forecast
 * questions with scores and calibration, and ACH matrices. The address names the section or the object.
 */
export default function OutlookView({ id }: PageProps): ReactNode {
  const { section, selected } = sectionOf(id);
  return (
    <div className={`split outlook${selected ? ' has-selection' : ''}`} data-testid="outlook-view">
      <section className="pane list-pane" aria-labelledby="outlook-h">
        <div className="pane-head">
          <h1 id="outlook-h">Outlook</h1>
        </div>
        <nav className="tabs segmented" aria-label="Outlook sections">
          {SECTIONS.map((s) => (
            <a
              key={s.key}
              className={`button${s.key === section ? ' active' : ''}`}
              href={hrefOf('outlook', s.key)}
              aria-current={s.key === section ? 'page' : undefined}
            >
              {s.label}
            </a>
          ))}
        </nav>
        <div className="outlook-list">
          {section === 'scenarios' && (
            <a className="button small new-item" href={hrefOf('outlook', NEW_SET)} data-testid="new-set-link">
              New scenario set
            </a>
          )}
          {section === 'scenarios' && <SetList selected={selected} />}
          {section === 'questions' && (
            <a className="button small new-item" href={hrefOf('outlook', NEW_QUESTION)} data-testid="new-question-link">
              New question
            </a>
          )}
          {section === 'questions' && <QuestionList selected={selected} />}
          {section === 'ach' && (
            <a className="button small new-item" href={hrefOf('outlook', NEW_ACH)} data-testid="new-ach-link">
              New ACH matrix
            </a>
          )}
          {section === 'ach' && <AchList selected={selected} />}
          {section === 'scores' && (
            <p className="hint pad">Scores and calibration of your organisation’s forecasters.</p>
          )}
        </div>
      </section>
      <section className="pane detail-pane pad" aria-label="Outlook detail">
        {selected && (
          <a className="back-to-list button" href={hrefOf('outlook', section)}>
            Back to the list
          </a>
        )}
        {section === 'scores' ? (
          <Scores />
        ) : selected ? (
          section === 'scenarios' ? (
            selected === NEW_SET ? (
              <NewSetForm />
            ) : (
              <ScenarioSet key={selected} id={selected} />
            )
          ) : section === 'questions' ? (
            selected === NEW_QUESTION ? (
              <NewQuestionForm />
            ) : (
              <Question key={selected} id={selected} />
            )
          ) : selected === NEW_ACH ? (
            <NewAchForm />
          ) : (
            <AchMatrix key={selected} id={selected} />
          )
        ) : (
          <Empty>Choose an item on the left.</Empty>
        )}
      </section>
    </div>
  );
}

function SetList({ selected }: { selected: string | undefined }): ReactNode {
  const q = useSets();
  if (q.isPending) return <Loading what="scenario sets" />;
  if (q.isError) return <ErrorState error={q.error} what="Scenario sets" onRetry={() => void q.refetch()} />;
  if (q.data.items.length === 0) return <Empty>No scenario set you may read.</Empty>;
  return (
    <ul className="outlook-items" aria-label="Scenario sets" data-testid="set-list">
      {q.data.items.map((s) => {
        const lead = [...s.scenarios].sort((a, b) => b.probability - a.probability)[0];
        return (
          <li key={s.id} className={s.id === selected ? 'selected' : undefined}>
            <a href={hrefOf('outlook', s.id)} aria-current={s.id === selected ? 'true' : undefined}>
              <strong>{s.title}</strong>
            </a>{' '}
            <TlpBadge tlp={s.tlp} />
            <div className="small muted">
              {s.author} · horizon {s.horizon} · {s.scenarios.length} scenarios
              {lead && ` · leading: ${lead.title} ${pct(lead.probability, 0)}`}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function QuestionList({ selected }: { selected: string | undefined }): ReactNode {
  const q = useQuestions();
  if (q.isPending) return <Loading what="questions" />;
  if (q.isError) return <ErrorState error={q.error} what="Questions" onRetry={() => void q.refetch()} />;
  if (q.data.items.length === 0) return <Empty>No forecast question you may read.</Empty>;
  return (
    <ul className="outlook-items" aria-label="Forecast questions" data-testid="question-list">
      {q.data.items.map((x) => (
        <li key={x.id} className={x.id === selected ? 'selected' : undefined}>
          <a href={hrefOf('outlook', x.id)} aria-current={x.id === selected ? 'true' : undefined}>
            <strong>{x.title}</strong>
          </a>{' '}
          <TlpBadge tlp={x.tlp} />
          <div className="small muted">
            {x.author} · {x.status} · closes {isoDate(x.closesAt)} · {x.forecasters} forecasters
          </div>
        </li>
      ))}
    </ul>
  );
}

function AchList({ selected }: { selected: string | undefined }): ReactNode {
  const q = useAchList();
  if (q.isPending) return <Loading what="ACH matrices" />;
  if (q.isError) return <ErrorState error={q.error} what="ACH matrices" onRetry={() => void q.refetch()} />;
  if (q.data.items.length === 0) return <Empty>No ACH matrix you may read.</Empty>;
  return (
    <ul className="outlook-items" aria-label="ACH matrices" data-testid="ach-list">
      {q.data.items.map((x) => (
        <li key={x.id} className={x.id === selected ? 'selected' : undefined}>
          <a href={hrefOf('outlook', x.id)} aria-current={x.id === selected ? 'true' : undefined}>
            <strong>{x.title}</strong>
          </a>{' '}
          <TlpBadge tlp={x.tlp} />
          <div className="small muted">
            {x.author} · {x.hypotheses} hypotheses · {x.evidence} pieces of evidence
          </div>
        </li>
      ))}
    </ul>
  );
}

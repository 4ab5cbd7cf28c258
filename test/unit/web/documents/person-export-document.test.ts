import assert from 'node:assert/strict';
import type { PersonExport } from '../../../../src/privacy/model.js';
import { ANONYMOUS_SURVEY_NOTE, PSEUDONYMISATION_NOTE } from '../../../../src/privacy/person-data-service.js';
import {
  htmlSiblingOf,
  renderPersonExportHtml,
} from '../../../../src/web/documents/person-export-document.js';

const HOSTILE = '</td><script>alert(1)</script><img src=x onerror=alert(2)>';

function exportOf(items: PersonExport['items']): PersonExport {
  return {
    tenantId: '00000000-0000-4000-8000-000000000001',
    exportedAt: '2026-12-07T19:34:00.000Z',
    identity: {
      ltiUsers: [
        {
          id: 'u1',
          platformId: 'p1',
          sub: 'learner-1',
          name: `Ana ${HOSTILE}`,
          email: 'ana@example.com',
          xapiHomePage: 'https://lms.example',
          xapiName: 'learner-1',
        },
      ],
      people: [
        { id: 'p', employeeId: 'E-1', lmsUserId: 'u1', email: 'ana@example.com', displayName: 'Ana Ito' },
      ],
      agentKeys: [],
    },
    locations: [],
    items,
    notes: [ANONYMOUS_SURVEY_NOTE, PSEUDONYMISATION_NOTE],
  };
}

const statement = (response: string) => ({
  source: 'xapi_statement (as actor, object or in context)',
  data: {
    id: 's1',
    stored: '2026-03-02T10:00:00.000Z',
    voided: false,
    statement: {
      timestamp: '2026-03-02T09:59:00.000Z',
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': `answered ${HOSTILE}` } },
      object: { id: 'http://x/q1', definition: { name: { 'en-US': `Question ${HOSTILE}` } } },
      result: { response, success: true, score: { scaled: 0.8 } },
    },
  },
});

describe('The readable summary of a person export', () => {
  it('escapes statement text a client sent, so it adds no markup', async () => {
    const html = await renderPersonExportHtml(exportOf([statement(HOSTILE)]));
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<\/td><script/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /Question &lt;\/td&gt;/);
    assert.match(html, /default-src 'none'/);
  });

  it('shows each store in words with its count, dates for people, and no table or column code names', async () => {
    const html = await renderPersonExportHtml(
      exportOf([
        statement('b'),
        statement('c'),
        {
          source: 'outcome_payroll',
          data: {
            tenant_id: 't',
            person_id: 'p',
            period: '2026-01-01',
            deferral_pct: '4',
            updated_at: '2026-02-03T04:05:00Z',
          },
        },
      ]),
    );
    assert.match(html, /Learning records that name you \(2 records\)/);
    assert.match(html, /Payroll records \(1 record\)/);
    assert.match(html, /Mar 2, 2026, 9:59 AM UTC/);
    assert.match(html, /<td>Jan 1, 2026<\/td>/);
    assert.match(html, /score 80%; passed; answer: b/);
    assert.match(html, /<th scope="col">Deferral %<\/th>/);
    for (const code of ['xapi_statement', 'outcome_payroll', 'deferral_pct', 'tenant_id', 'updated_at'])
      assert.ok(!html.includes(code), `the summary shows the code name ${code}`);
  });

  it('says that anonymous survey answers are left out and what erasure does instead of pseudonymising', async () => {
    const html = await renderPersonExportHtml(exportOf([]));
    assert.match(html, /Survey answers you gave anonymously are not included/);
    assert.match(html, /deleted, not pseudonymised/);
    assert.match(html, /Nothing is held about you/);
  });

  it('cuts a store of more than 1,000 records and says the rest are in the JSON file', async () => {
    const html = await renderPersonExportHtml(exportOf(Array.from({ length: 1003 }, () => statement('a'))));
    assert.match(html, /1,003 records/);
    assert.match(html, /The other 3 records are in the JSON file/);
    assert.equal(html.match(/answer: a/g)?.length, 1000);
  });

  it('writes the summary beside the JSON file', () => {
    assert.equal(htmlSiblingOf('/tmp/ana.json'), '/tmp/ana.html');
    assert.equal(htmlSiblingOf('/tmp/ana'), '/tmp/ana.html');
  });
});

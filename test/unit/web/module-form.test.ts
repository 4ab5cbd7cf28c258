import assert from 'node:assert/strict';
import { applyEditorAction, draftFromForm, pathSegments } from '../../../src/web/presenters/module-form.js';
import { presentDraftEditor } from '../../../src/web/presenters/module-editor-presenter.js';

describe('module editor form', () => {
  it('reads fields named by JSON path into a content-shaped draft', () => {
    const draft = draftFromForm({
      'pages[0].id': 'p1',
      'pages[0].title': 'One',
      'pages[0].format': 'html',
      'pages[0].body': '<p>x</p>',
      sections: ['postTest', 'survey'],
      'postTest.masteryScore': '0.75',
      'postTest.questions[0].type': 'multiple-choice',
      'postTest.questions[0].id': 'q',
      'postTest.questions[0].prompt': 'Which?',
      'postTest.questions[0].choices[0].id': 'a',
      'postTest.questions[0].choices[0].text': 'A',
      'postTest.questions[0].choices[1].id': 'b',
      'postTest.questions[0].choices[1].text': 'B',
      'postTest.questions[0].correct': ['0', '1'],
      'postTest.questions[2].type': 'fill-in',
      'postTest.questions[2].id': 'f',
      'postTest.questions[2].prompt': 'Name it',
      'postTest.questions[2].correct': 'one\r\n\r\n two ',
      'survey.items[0].type': 'likert',
      'survey.items[0].id': 's',
      'survey.items[0].prompt': 'Good?',
      'survey.items[0].scale.labels': 'No\nYes',
      attemptLimit: 'three',
    });
    assert.deepEqual(draft, {
      pages: [{ id: 'p1', title: 'One', format: 'html', body: '<p>x</p>' }],
      postTest: {
        masteryScore: 0.75,
        questions: [
          {
            id: 'q',
            type: 'multiple-choice',
            prompt: 'Which?',
            choices: [
              { id: 'a', text: 'A' },
              { id: 'b', text: 'B' },
            ],
            correct: ['a', 'b'],
          },
          { id: 'f', type: 'fill-in', prompt: 'Name it', correct: ['one', 'two'] },
        ],
      },
      survey: {
        anonymous: false,
        items: [{ id: 's', type: 'likert', prompt: 'Good?', scale: { labels: ['No', 'Yes'] } }],
      },
      attemptLimit: 'three',
    });
  });

  it('writes the wrong-answer review down only when its box is unticked (default on)', () => {
    const page = {
      'pages[0].id': 'p1',
      'pages[0].title': 'One',
      'pages[0].format': 'html',
      'pages[0].body': 'x',
    };
    assert.equal(draftFromForm({ ...page, reviewAfterFail: 'off' }).reviewAfterFail, false);
    assert.equal(draftFromForm({ ...page, reviewAfterFail: ['off', 'on'] }).reviewAfterFail, undefined);
    assert.equal(draftFromForm(page).reviewAfterFail, undefined);
  });

  it('adds and removes items by path', () => {
    const draft: Record<string, unknown> = { pages: [{ id: 'page-1' }] };
    assert.ok(applyEditorAction(draft, 'add-question:preTest', { 'newType.preTest': 'numeric' }));
    const pre = draft.preTest as { questions: { type: string }[] };
    // A new test starts with one single-choice question; the chosen type comes after it.
    assert.deepEqual(
      pre.questions.map((q) => q.type),
      ['single-choice', 'numeric'],
    );
    assert.ok(applyEditorAction(draft, 'add-page', {}));
    assert.ok(applyEditorAction(draft, 'remove:pages[0]', {}));
    assert.deepEqual(draft.pages, [{ id: 'page-2', title: '', format: 'markdown', body: '' }]);
    assert.ok(applyEditorAction(draft, 'remove:preTest', {}));
    assert.equal(draft.preTest, undefined);
    assert.equal(applyEditorAction(draft, 'explode', {}), false);
  });

  it('splits JSON paths into keys and indexes', () => {
    assert.deepEqual(pathSegments('postTest.questions[1].choices[0]'), [
      'postTest',
      'questions',
      1,
      'choices',
      0,
    ]);
  });

  it('shows an error on the field it names and lists every error in the summary', () => {
    const view = presentDraftEditor(
      { pages: [{ id: 'p', title: '', format: 'markdown', body: 'b' }], extra: 1 },
      [
        { path: 'pages[0].title', message: 'the page title is empty' },
        { path: '', message: 'unknown field(s): extra' },
      ],
    );
    const title = view.pages[0]!.fields.find((f) => f.name === 'pages[0].title')!;
    assert.deepEqual(title.errors, ['the page title is empty']);
    assert.equal(title.describedBy, 'f-pages-0-title-error');
    assert.deepEqual(
      view.summary.map((s) => s.anchor),
      ['f-pages-0-title', null],
    );
  });
});

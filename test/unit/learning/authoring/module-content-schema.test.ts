import assert from 'node:assert/strict';
import {
  checkModuleContent,
  jsonPath,
  type FieldError,
} from '../../../../src/learning/authoring/module-content-schema.js';
import { parseModuleImport, MODULE_FORMAT } from '../../../../src/learning/authoring/module-export.js';
import { fullModuleContent, onePageContent } from '../../../fixtures/modules.js';

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The errors of `content` after `change`, which edits a full valid module in place. */
function errorsAfter(change: (c: Mutable) => void): FieldError[] {
  const content = fullModuleContent() as unknown as Mutable;
  change(content);
  const checked = checkModuleContent(content);
  assert.equal(checked.ok, false, 'expected the content to be refused');
  return checked.ok ? [] : checked.errors;
}

function assertError(errors: FieldError[], path: string, message: RegExp): void {
  assert.ok(
    errors.some((e) => e.path === path && message.test(e.message)),
    `expected an error at ${path} matching ${message}; got ${JSON.stringify(errors)}`,
  );
}

describe('module content schema', () => {
  it('accepts a module using every question type, survey item type and the observation form', () => {
    const checked = checkModuleContent(fullModuleContent());
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    assert.deepEqual(checked.content, fullModuleContent());
  });

  it('makes surveys anonymous when the author does not say otherwise', () => {
    const content = fullModuleContent() as unknown as Mutable;
    delete content.survey.anonymous;
    const checked = checkModuleContent(content);
    assert.ok(checked.ok);
    assert.equal(checked.content.survey!.anonymous, true);
  });

  it('writes JSON paths with indexes in brackets', () => {
    assert.equal(jsonPath(['postTest', 'questions', 2, 'correct']), 'postTest.questions[2].correct');
    assert.equal(jsonPath([]), '');
    assert.equal(jsonPath(['a-b']), '["a-b"]');
  });

  describe('pages', () => {
    it('needs at least one page unless the module is external', () => {
      assertError(
        errorsAfter((c) => (c.pages = [])),
        'pages',
        /at least one content page/,
      );
    });

    it('refuses pages next to an external activity', () => {
      const errors = errorsAfter((c) => {
        c.external = {
          url: 'https://content.example/a',
          activityId: 'https://content.example/a',
          moveOn: 'Passed',
        };
      });
      assertError(errors, 'pages', /no built-in pages/);
    });

    it('reports the missing-pages rule together with errors in other fields', () => {
      const errors = errorsAfter((c) => {
        c.pages = [];
        c.attemptLimit = 0;
      });
      assertError(errors, 'pages', /at least one content page/);
      assertError(errors, 'attemptLimit', /at least 1/);
    });

    it('refuses duplicate page ids, empty bodies and unknown formats', () => {
      const errors = errorsAfter((c) => {
        c.pages[1].id = 'intro';
        c.pages[0].body = '   ';
        c.pages[1].format = 'pdf';
      });
      assertError(errors, 'pages[1].id', /"intro" is used twice/);
      assertError(errors, 'pages[0].body', /empty/);
      assertError(errors, 'pages[1].format', /markdown.*html/);
    });

    it('refuses ids that cannot go into an IRI', () => {
      assertError(
        errorsAfter((c) => (c.pages[0].id = 'a b/c')),
        'pages[0].id',
        /letters, digits/,
      );
    });
  });

  describe('external activity', () => {
    const external = (patch: Mutable) => (c: Mutable) => {
      c.pages = [];
      c.external = {
        url: 'https://content.example/launch',
        activityId: 'https://content.example/a',
        moveOn: 'Completed',
        ...patch,
      };
    };

    it('accepts an external activity without pages', () => {
      const content = fullModuleContent() as unknown as Mutable;
      external({})(content);
      assert.ok(checkModuleContent(content).ok);
    });

    it('needs an http(s) launch URL', () => {
      assertError(errorsAfter(external({ url: 'javascript:alert(1)' })), 'external.url', /http/);
      assertError(errorsAfter(external({ url: 'ftp://x.example/a' })), 'external.url', /http/);
    });

    it('needs an absolute activity IRI and a cmi5 moveOn value', () => {
      const errors = errorsAfter(external({ activityId: 'forklift', moveOn: 'Whenever' }));
      assertError(errors, 'external.activityId', /absolute IRI/);
      assertError(errors, 'external.moveOn', /CompletedAndPassed/);
    });
  });

  describe('tests', () => {
    it('keeps the mastery score in (0, 1]', () => {
      assertError(
        errorsAfter((c) => (c.postTest.masteryScore = 0)),
        'postTest.masteryScore',
        /above 0/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.masteryScore = 80)),
        'postTest.masteryScore',
        /at most 1/,
      );
      assertError(
        errorsAfter((c) => (c.preTest.masteryScore = '0.8')),
        'preTest.masteryScore',
        /number/,
      );
      const atOne = fullModuleContent();
      atOne.postTest!.masteryScore = 1;
      assert.ok(checkModuleContent(atOne).ok);
    });

    it('needs at least one question with unique ids', () => {
      assertError(
        errorsAfter((c) => (c.preTest.questions = [])),
        'preTest.questions',
        /at least one question/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[4].id = 'q1')),
        'postTest.questions[4].id',
        /"q1" is used twice/,
      );
    });

    it('names the allowed types for an unknown question type', () => {
      assertError(
        errorsAfter((c) => (c.postTest.questions[2].type = 'essay')),
        'postTest.questions[2].type',
        /single-choice, multiple-choice, true-false, numeric, fill-in/,
      );
    });

    it('needs positive points', () => {
      assertError(
        errorsAfter((c) => (c.postTest.questions[0].points = 0)),
        'postTest.questions[0].points',
        /above 0/,
      );
    });

    it('needs exactly one correct choice on a single-choice question, among its choices', () => {
      assertError(
        errorsAfter((c) => (c.postTest.questions[0].correct = ['plate', 'manual'])),
        'postTest.questions[0].correct',
        /exactly one/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[0].correct = [])),
        'postTest.questions[0].correct',
        /exactly one/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[0].correct = ['wall'])),
        'postTest.questions[0].correct[0]',
        /"wall" is not one of/,
      );
    });

    it('needs a non-empty subset of the choices on a multiple-choice question', () => {
      assertError(
        errorsAfter((c) => (c.postTest.questions[1].correct = [])),
        'postTest.questions[1].correct',
        /at least one/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[1].correct = ['height', 'wind'])),
        'postTest.questions[1].correct[1]',
        /"wind"/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[1].correct = ['height', 'height'])),
        'postTest.questions[1].correct',
        /twice/,
      );
    });

    it('needs two or more choices with unique ids', () => {
      assertError(
        errorsAfter((c) => c.postTest.questions[1].choices.splice(1)),
        'postTest.questions[1].choices',
        /at least 2/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[1].choices[2].id = 'height')),
        'postTest.questions[1].choices[2].id',
        /twice/,
      );
    });

    it('needs a boolean answer on a true/false question', () => {
      assertError(
        errorsAfter((c) => (c.postTest.questions[2].correct = 'false')),
        'postTest.questions[2].correct',
        /true or false/,
      );
    });

    it('needs a number and a tolerance of 0 or more on a numeric question', () => {
      assertError(
        errorsAfter((c) => (c.postTest.questions[3].tolerance = -1)),
        'postTest.questions[3].tolerance',
        /0 or more/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[3].correct = 'lots')),
        'postTest.questions[3].correct',
        /number/,
      );
    });

    it('needs at least one non-empty accepted answer on a fill-in question', () => {
      assertError(
        errorsAfter((c) => (c.postTest.questions[4].correct = [])),
        'postTest.questions[4].correct',
        /at least one/,
      );
      assertError(
        errorsAfter((c) => (c.postTest.questions[4].correct = ['ok', ' '])),
        'postTest.questions[4].correct[1]',
        /empty/,
      );
    });
  });

  describe('survey and observation', () => {
    it('needs 2 to 11 Likert labels', () => {
      assertError(
        errorsAfter((c) => (c.survey.items[0].scale.labels = ['Only'])),
        'survey.items[0].scale.labels',
        /2 to 11/,
      );
      assertError(
        errorsAfter((c) => (c.survey.items[0].scale.labels = Array.from({ length: 12 }, (_, i) => `L${i}`))),
        'survey.items[0].scale.labels',
        /2 to 11/,
      );
      assertError(
        errorsAfter((c) => (c.observation.items[0].scale.labels = [])),
        'observation.items[0].scale.labels',
        /2 to 11/,
      );
    });

    it('needs unique item ids and a known item type', () => {
      assertError(
        errorsAfter((c) => (c.survey.items[2].id = 'nps')),
        'survey.items[2].id',
        /twice/,
      );
      assertError(
        errorsAfter((c) => (c.survey.items[1].type = 'stars')),
        'survey.items[1].type',
        /likert, nps, text/,
      );
    });

    it('needs the observed behaviour', () => {
      assertError(
        errorsAfter((c) => (c.observation.items[0].behaviour = '')),
        'observation.items[0].behaviour',
        /empty/,
      );
    });
  });

  it('needs a whole attempt limit of at least 1', () => {
    assertError(
      errorsAfter((c) => (c.attemptLimit = 1.5)),
      'attemptLimit',
      /whole number/,
    );
    assertError(
      errorsAfter((c) => (c.attemptLimit = 0)),
      'attemptLimit',
      /at least 1/,
    );
  });

  it('names unknown fields, so typos are not silently dropped', () => {
    assertError(
      errorsAfter((c) => (c.postTest.mastery = 0.5)),
      'postTest',
      /unknown field\(s\): mastery/,
    );
  });

  it('refuses something that is not an object', () => {
    const checked = checkModuleContent([1]);
    assert.equal(checked.ok, false);
  });
});

describe('module import format', () => {
  it('reads a yardstick-module/1 file from text', () => {
    const parsed = parseModuleImport(
      JSON.stringify({ format: MODULE_FORMAT, title: 'Forklift', content: onePageContent() }),
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.title, 'Forklift');
    assert.deepEqual(parsed.content, onePageContent());
  });

  it('reports text that is not JSON', () => {
    const parsed = parseModuleImport('{"format": ');
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.errors[0]!.message : '', /not valid JSON/);
  });

  it('reports envelope and content errors with paths from the file root', () => {
    const parsed = parseModuleImport({
      format: 'scorm-2004',
      title: '',
      content: { pages: [{ id: 'p', title: 'T', format: 'markdown', body: '' }] },
    });
    assert.equal(parsed.ok, false);
    const errors = parsed.ok ? [] : parsed.errors;
    assertError(errors, 'format', /yardstick-module\/1/);
    assertError(errors, 'title', /empty/);
    assertError(errors, 'content.pages[0].body', /empty/);
  });
});

import assert from 'node:assert/strict';
import { filterForm } from '../../../../src/web/presenters/kpi-page-presenter.js';

describe('the KPI report filter form', () => {
  const modules = [
    { id: 'm1', title: 'Pre-shift inspection', versions: [1, 2] },
    { id: 'm2', title: 'Loading docks and ramps', versions: [1, 2, 3, 4] },
  ];

  it("lists only the chosen module's versions, with the chosen one selected", () => {
    const form = filterForm({ module: 'm1', version: 2 }, { modules, programs: [] });
    assert.deepEqual(form.versions, [
      { value: '1', label: 'Version 1', selected: false },
      { value: '2', label: 'Version 2', selected: true },
    ]);
  });

  it('lists no version until a module is chosen (version numbers of different modules differ)', () => {
    assert.deepEqual(filterForm({}, { modules, programs: [] }).versions, []);
  });
});

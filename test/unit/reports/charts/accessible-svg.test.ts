import assert from 'node:assert/strict';
import {
  assertChartId,
  escapeXml,
  makeAccessibleSvg,
} from '../../../../src/reports/charts/accessible-svg.js';
import { xmlProblems } from '../../../support/xml-check.js';

const vegaLike =
  '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="400" height="99" viewBox="0 0 400 99">' +
  '<defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><text>a</text></g></svg>';

describe('accessible SVG wrapping', () => {
  it('escapes markup characters', () => {
    assert.equal(
      escapeXml(`<script>"x" & 'y'</script>`),
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    );
  });

  it('names the image with <title> and <desc> referenced by aria attributes', () => {
    const svg = makeAccessibleSvg(vegaLike, {
      idPrefix: 'c1-wide',
      title: 'T',
      description: 'D',
      className: 'x',
    });
    assert.match(
      svg,
      /^<svg [^>]*role="img"[^>]*aria-labelledby="c1-wide-title"[^>]*aria-describedby="c1-wide-desc"/,
    );
    assert.match(svg, /<svg[^>]*><title id="c1-wide-title">T<\/title><desc id="c1-wide-desc">D<\/desc>/);
    assert.deepEqual(xmlProblems(svg), []);
  });

  it('scales with its container: width 100%, no fixed height, the viewBox kept', () => {
    const svg = makeAccessibleSvg(vegaLike, { idPrefix: 'c', title: 'T', description: 'D', className: 'x' });
    const root = /^<svg[^>]*>/.exec(svg)![0];
    assert.match(root, /width="100%"/);
    assert.match(root, /viewBox="0 0 400 99"/);
    assert.doesNotMatch(root, /height=/);
  });

  it('prefixes ids vega emitted and their references so charts can share a page', () => {
    const svg = makeAccessibleSvg(vegaLike, {
      idPrefix: 'c2-narrow',
      title: 'T',
      description: 'D',
      className: 'x',
    });
    assert.match(svg, /id="c2-narrow-clip1"/);
    assert.match(svg, /url\(#c2-narrow-clip1\)/);
    assert.doesNotMatch(svg, /id="clip1"/);
  });

  it('removes the roles vega leaves on inner mark groups, so the image is described once', () => {
    const inner =
      '<svg viewBox="0 0 10 10"><g class="mark-rule" role="graphics-symbol" aria-roledescription="rule mark container">' +
      '<g role="graphics-object" aria-label="X-axis"></g></g></svg>';
    const svg = makeAccessibleSvg(inner, { idPrefix: 'c', title: 'T', description: 'D', className: 'x' });
    assert.equal((svg.match(/role=/g) ?? []).length, 1);
    assert.doesNotMatch(svg, /aria-roledescription|aria-label=/);
  });

  it('escapes the title and description', () => {
    const svg = makeAccessibleSvg(vegaLike, {
      idPrefix: 'c',
      title: '<script>alert(1)</script>',
      description: 'a & b',
      className: 'x',
    });
    assert.doesNotMatch(svg, /<script>/);
    assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(svg, /a &amp; b/);
  });

  it('accepts only ids that are safe as element ids', () => {
    assert.doesNotThrow(() => assertChartId('completion-by-module-2'));
    assert.throws(() => assertChartId('2x'), /must start with a letter/);
    assert.throws(() => assertChartId('a"b'), /letters, digits and dashes/);
  });
});

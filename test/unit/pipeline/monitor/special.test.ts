/** The special functions against scipy (values printed by scipy.stats.chi2.sf / norm.cdf, scipy 1.17.1): relative 1e-10. */
import assert from 'node:assert/strict';
import { chiSquaredSf, normalCdf } from '../../../../src/pipeline/monitor/special';

const SCIPY = {"chi2": [[0.5, 1, 0.47950012218695337], [3.84, 1, 0.05004352124870519], [10, 3, 0.01856613546304325], [47.5, 3, 2.720591309799858e-10], [108.7, 3, 2.0897357148143072e-23], [0.001, 5, 0.9999999983185123], [200, 150, 0.003973185970821635], [30, 2, 3.0590232050182594e-07], [1000, 900, 0.010994608942135844]], "norm": [[0, 0.5], [0.5, 0.6914624612740131], [1.96, 0.9750021048517795], [3, 0.9986501019683699], [5.4646, 0.999999976802411], [8, 0.9999999999999993]]} as { chi2: [number, number, number][]; norm: [number, number][] };

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('pipeline/monitor: special functions vs scipy', () => {
  it('chi2.sf', () => {
    for (const [x, k, want] of SCIPY.chi2) assert.ok(rel(chiSquaredSf(x, k), want) < 1e-10, `chi2.sf(${x}, ${k}) = ${chiSquaredSf(x, k)} vs ${want}`);
  });
  it('norm.cdf', () => {
    for (const [z, want] of SCIPY.norm) assert.ok(rel(normalCdf(z), want) < 1e-12, `norm.cdf(${z}) = ${normalCdf(z)} vs ${want}`);
  });
});

/**
 * The one place the LLM analyzer gets its verifier from: src/analyze/verify (citations must name
 * given excerpts; numbers, amounts, dates, versions and names must appear in the cited text after
 * zh/en normalisation; markup refused).
 */
export { verifySentences } from '../verify/index.js';

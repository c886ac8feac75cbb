/**
 * The one place the LLM analyzer gets its verifier from. Integration: replace the placeholder
 * with `export { verifySentences } from '../verify/index.js';` once src/analyze/verify/ lands.
 */
export { verifySentencesPlaceholder as verifySentences } from './verify-placeholder.js';

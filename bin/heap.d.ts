/** Types for heap.js (plain JavaScript, run by bin/ai-daily.js before any TypeScript). */
export declare const HEAP_GROWING_PERCENT: number;
export declare function limitHeapGrowth(): void;

/** Types for build-stamp.js (plain JavaScript, so that bin/ai-daily.js can run it before any TypeScript). */
export declare const STAMP_FILE: string;
export declare function sourceListing(root: string): string[] | undefined;
export type BuildState = { fresh: true } | { fresh: false; reason: string };
export declare function buildState(root: string, buildDir?: string): BuildState;
export declare function writeBuildStamp(buildDir: string, files: readonly string[]): void;

// Types of bin/prebuilt.mjs (plain JavaScript: it runs before any TypeScript hook), for the tests.
export declare const ROOT: string;
export declare const NODE_ENTRY: string;
export declare function isPlainNodeCommand(argv: readonly string[]): boolean;
export declare function prebuiltEntry(entry: string): Promise<string | undefined>;
export declare function startEntry(bundled: string | undefined, source: string): Promise<void>;

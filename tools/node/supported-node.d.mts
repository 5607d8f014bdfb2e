// Types of supported-node.mjs, for the specs that import it (apps/system-e2e/src/supported-node.spec.ts).
export declare const ROOT: string;
export declare const PACKAGES: Readonly<Record<string, string>>;
export declare function parseVersion(text: string): [number, number, number];
export declare function compareVersions(a: string, b: string): number;
export declare function engineFloor(range: string): string;
export declare function satisfiesFloor(version: string, range: string): boolean;
export declare function packageFor(platform?: string, arch?: string): string;
export declare function cacheRoot(env?: Record<string, string | undefined>, home?: string): string;
export declare function installDir(
  version: string,
  options?: { root?: string; platform?: string; arch?: string },
): string;
export interface Pins {
  oldest: string;
  current: string;
}
export declare function readPins(root?: string): Pins;
export declare function readFloor(root?: string): string;
export declare function resolveVersion(spec: string, pins: Pins): string;
export declare function ensureNode(
  version: string,
  options?: { root?: string; platform?: string; arch?: string; npm?: string; log?: (line: string) => void },
): { dir: string; bin: string };

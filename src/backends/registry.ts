// The targets detc can compile to. Adding a target: a folder under src/backends/ and one line here.
import { pantherBackend } from "./panther/index.js";
import type { Backend } from "./types.js";

export const backends: readonly Backend[] = [pantherBackend];

export function findBackend(name: string): Backend | undefined {
  return backends.find((b) => b.name === name);
}

// The targets detc can compile to. Adding a target: a folder under src/backends/ and one line here.
import { chronicleBackend } from "./chronicle/index.js";
import { cloudwatchBackend } from "./cloudwatch/index.js";
import { pantherBackend } from "./panther/index.js";
import { sentinelBackend } from "./sentinel/index.js";
import { sigmaBackend } from "./sigma/index.js";
import type { Backend } from "./types.js";

export const backends: readonly Backend[] = [
  pantherBackend,
  sigmaBackend,
  cloudwatchBackend,
  chronicleBackend,
  sentinelBackend,
];

export function findBackend(name: string): Backend | undefined {
  return backends.find((b) => b.name === name);
}

// Builds URLs with the peers' own npm URL builders, for tests/integration/test_grammars_*.py.
// Input (stdin): a JSON array of jobs. Output (stdout): a JSON array of URLs, in order.
//   {"kind": "imgproxy", "endpoint": "http://…/ip", "url": "http://…", "displayAs": "plain"|"base64",
//    "options": {…imgproxy-js-core options…}, "key": "hex", "salt": "hex"}
//   {"kind": "thumbor", "server": "http://…/thumbor", "key": "secret" | null, "image": "http://…",
//    "calls": [["resize", 300, 200], ["smartCrop", true], ["filter", "quality(80)"], …]}
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { generateImageUrl } from "@imgproxy/imgproxy-node";

const require = createRequire(import.meta.url);
const Thumbor = require("thumbor-js-url-builder");

function build(job) {
  if (job.kind === "imgproxy") {
    return generateImageUrl({
      endpoint: job.endpoint,
      url: { value: job.url, displayAs: job.displayAs || "base64" },
      options: job.options || {},
      key: job.key,
      salt: job.salt,
    });
  }
  if (job.kind === "thumbor") {
    let builder = new Thumbor(job.key || null, job.server).setImagePath(job.image);
    for (const [method, ...args] of job.calls || []) builder = builder[method](...args);
    return builder.buildUrl();
  }
  throw new Error("unknown job kind: " + job.kind);
}

const jobs = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(jobs.map(build)) + "\n");

// Validates Kubernetes objects against the OpenAPI schemas that kubernetes-models bundles, with no cluster
// and no network. Input on stdin: a JSON array of objects (DeploymentManifestsTest renders the YAML).
// Output: one line per object, "ok KIND NAME" or "invalid KIND NAME: reason"; exit 1 if any is invalid.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(0, "utf8"));
let invalid = 0;
for (const object of objects) {
  const { apiVersion, kind } = object;
  const label = `${kind} ${object.metadata?.name}`;
  // "apps/v1" -> kubernetes-models/apps/v1/Kind.mjs; the core group "v1" -> kubernetes-models/v1/Kind.mjs
  const module = `kubernetes-models/${apiVersion}/${kind}`;
  let model;
  try {
    model = (await import(module))[kind];
  } catch (e) {
    console.log(`invalid ${label}: no schema for ${apiVersion} ${kind}`);
    invalid++;
    continue;
  }
  try {
    new model(object).validate();
    console.log(`ok ${label}`);
  } catch (e) {
    console.log(`invalid ${label}: ${e.message.replaceAll("\n", "; ")}`);
    invalid++;
  }
}
process.exit(invalid === 0 ? 0 : 1);

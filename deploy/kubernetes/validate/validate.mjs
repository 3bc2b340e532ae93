// Validates Kubernetes objects against the OpenAPI schemas that kubernetes-models bundles, with no cluster
// and no network. Input: a JSON array of objects, from the file named as the argument or else from stdin
// (DeploymentManifestsTest renders the YAML). Checked: types, required fields, formats and enums; not
// checked: unknown field names (the schemas allow additional properties).
// Output: one line per object, "ok KIND NAME" or "invalid KIND NAME: reason"; exit 1 if any is invalid.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2] ?? 0, "utf8"));
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

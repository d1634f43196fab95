// node validate_openapi.mjs SPEC.json: validates an OpenAPI document against the
// official OpenAPI 3.1 JSON Schema (@seriousme/openapi-schema-validator) and exits
// non-zero with the errors when it is not valid.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const validator = new Validator();
const result = await validator.validate(spec);
if (validator.version !== '3.1') {
  console.error(`expected an OpenAPI 3.1 document, the validator saw ${validator.version}`);
  process.exit(1);
}
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 2).slice(0, 20000));
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);

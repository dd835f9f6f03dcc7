// Writes schema/pipeline/ptp.pipeline.schema.json from the stage table (src/pipeline/pipeline/schema.ts).
// Run with `npm run gen:pipeline-schema`; the output is committed and never edited by hand (a unit test compares).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('tsx/cjs');
const { pipelineSchema } = require(join(root, 'src/pipeline/pipeline/schema.ts'));
const out = join(root, 'schema/pipeline/ptp.pipeline.schema.json');
writeFileSync(out, `${JSON.stringify(pipelineSchema(), null, 2)}\n`);
console.log(`wrote ${out}`);

/** Where tests find the repository, wherever their own file sits under test/. */
import { join } from 'node:path';

/** The repository root (the folder of package.json). */
export const REPO_ROOT = join(__dirname, '..', '..');

/** The tool's version (package.json), as models' lineage, model cards and exports record it. */
import { version } from '../../../package.json';

export const TOOL_NAME = 'ptp';
export const TOOL_VERSION: string = version;

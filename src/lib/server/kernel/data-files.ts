import { readFileSync } from 'node:fs';
import path from 'node:path';
import { config } from './config.ts';

/**
 * Files under data/ (REFERENCE_DATA_DIR): Global Goals, geography, the demo content. Paths resolve
 * from the working directory, so dev, tests and the built server started in the project read the same.
 */
export function dataPath(...parts: string[]): string {
	return path.join(config().referenceDataDir, ...parts);
}

/** A JSON file under data/, parsed. */
export function readDataFile<T>(...parts: string[]): T {
	return JSON.parse(readFileSync(dataPath(...parts), 'utf8')) as T;
}

import pino from 'pino';
import { config } from './config.ts';

/** JSON logs on stdout; LOG_LEVEL=debug for more, silent in tests. */
export const logger = pino({
	level: config().logLevel
});

import pino from 'pino';
import { loadConfig } from './config';

export const logger = pino({ level: loadConfig().logLevel });

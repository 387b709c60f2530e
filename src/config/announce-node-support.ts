// Imported first by the commands people run (npm test, grade, labs, journal, bench): before the AWS SDK loads.
import { announceNodeSupport } from './node-support.ts';

announceNodeSupport();

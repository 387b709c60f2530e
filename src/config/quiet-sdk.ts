// Imported first by the reference scripts: their output is a learner step's evidence, so they say nothing of Node
// (the command the person ran did, once; see node-support.ts).
import { silenceSdkNodeWarning } from './node-support.ts';

silenceSdkNodeWarning();

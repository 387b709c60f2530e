// Imported by the worker right after its temporary folder is set, before the rest of it loads: a sandboxed worker
// runs the embedded backend with DynamoDB Local on a known port, so its JVM can start while the worker loads; the
// labs' test process starts too, and loads the suite's modules while the services start.
import { loadConfig } from '../../config/load-config.ts';
import { LABS_PROJECT } from '../../runner/labs-project.ts';
import { prestartTestProcess } from '../../runner/kept-forks.ts';
import { prestartDynamoDbLocal } from '../../services/embedded/dynamodb-process.ts';

const port = Number(process.env.LAB_DYNAMODB_PORT);
const { cacheDir } = loadConfig();
if (process.env.LAB_BACKEND === 'embedded' && Number.isInteger(port) && port > 0) {
  prestartDynamoDbLocal(process.env.LAB_JAVA?.trim() || 'java', port, cacheDir);
}
prestartTestProcess(cacheDir, LABS_PROJECT);

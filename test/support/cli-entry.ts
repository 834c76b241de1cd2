/** The CLI entry the tests spawn: same as bin/migrate, but from src/ so no build is needed. */
import { main } from '../../src/cli/main.js';

await main(process.argv.slice(2));

/**
 * The CLI entry the tests spawn: same as bin/migrate, but from src/ so no build is needed.
 * Ctrl+C handling goes in before the CLI's modules load, as in bin/migrate.
 */
import { installStopSignals } from '../../src/cli/stop-signal.js';

installStopSignals();
const { main } = await import('../../src/cli/main.js');
await main(process.argv.slice(2));

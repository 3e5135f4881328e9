import { readFileSync } from 'node:fs';
import { playerPackageConfig } from '../../scripts/rollup-common.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default playerPackageConfig({ name: 'shaka', version, player: 'shaka-player', playerTitle: 'Shaka Player' });

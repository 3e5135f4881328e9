// shoal-hlsjs.min.js as a release publishes it: the checks every drop-in file gets.
import { describeDropIn } from '@shoal/test-kit';

describeDropIn({ packageDir: new URL('../', import.meta.url), file: 'shoal-hlsjs.min.js' });

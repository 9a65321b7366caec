import { defineModule } from '../kernel/module.ts';
import { mediaPolicy } from './policy.ts';

/** The media library: images in responsive sizes without metadata, PDFs, alt text per language. */
export const mediaModule = defineModule({
	name: 'media',
	policy: mediaPolicy
});

import { defineModule } from '../kernel/module.ts';
import { dialoguePolicy } from './policy.ts';

/** Citizen dialogue: spaces, proposals with supports, comments, answers and moderation. */
export const dialogueModule = defineModule({
	name: 'dialogue',
	policy: dialoguePolicy
});

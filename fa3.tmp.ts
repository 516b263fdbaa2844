import { fromAgentCommandsPerSecond, directCommandsPerSecond } from './bench/agents.ts';
console.log('fromAgent', Math.round(await fromAgentCommandsPerSecond(1, 100_000)), 'direct', Math.round(await directCommandsPerSecond(1)));

export { runWorkerAgent, type WorkerAgentContext } from './runWorkerAgent.ts';
export { fromWorkerAgent } from '../../actors/fromWorkerAgent.ts';
export { WorkerAgentError } from '../errors.ts';
export { FromWorkerSchema, ToWorkerSchema, type FromWorker, type ToWorker } from './workerMessages.ts';

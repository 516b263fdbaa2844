export { runWorkerAgent, type WorkerAgentContext } from './runWorkerAgent.ts';
export { fromWorkerAgent, WorkerAgentError } from '../../actors/fromWorkerAgent.ts';
export { FromWorkerSchema, ToWorkerSchema, type FromWorker, type ToWorker } from './workerMessages.ts';

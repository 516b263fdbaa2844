/** The state the agents of examples/redis share: tasks to claim, tasks done, and one result per task. */
export type Team = { todo: string[]; done: string[] } & Record<`result:${string}`, string>;

import {
  isMissingConsumerGroup,
  startResultPersister,
  type ResultPersister,
  type ResultPersisterOptions,
} from '@vigil/queue';

/**
 * A result persister that starts afresh when Redis has lost its consumer group (restarted empty or
 * flushed): the persister itself only creates the group at start and would otherwise fail forever.
 */
export async function startSupervisedPersister(
  o: ResultPersisterOptions & { onRestart?: () => void },
): Promise<ResultPersister> {
  let closed = false;
  let restarting: Promise<void> | null = null;
  let current: ResultPersister;

  const restart = () => {
    restarting ??= (async () => {
      await current.close();
      while (!closed) {
        try {
          current = await startResultPersister(options);
          o.onRestart?.();
          return;
        } catch (err) {
          o.onError?.(err as Error);
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    })().finally(() => {
      restarting = null;
    });
  };
  const options: ResultPersisterOptions = {
    ...o,
    onError: (err) => {
      o.onError?.(err);
      if (!closed && isMissingConsumerGroup(err)) restart();
    },
  };
  current = await startResultPersister(options);
  return {
    async close() {
      closed = true;
      await restarting;
      await current.close();
    },
  };
}

/**
 * How a long-running command (`schedule`, `worker`, `serve`) is stopped from a terminal or a service
 * manager: an AbortSignal that SIGINT or SIGTERM aborts (a second signal is left to Node: it ends the
 * process).
 */
export function shutdownSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    controller.abort();
    dispose();
  };
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}

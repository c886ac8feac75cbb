/**
 * The per-run budget, planned before any call from estimates (input tokens as estimated from the
 * prompt, output tokens at each call's cap), so the plan — and therefore the report — is the same
 * whether answers come from the model or from the cache. When the work does not fit, it shrinks in
 * rank order: fewer stories analysed first, then a shorter overview, then no overview (extractive).
 */

export interface Budget {
  maxInputTokens: number;
  maxOutputTokens: number;
  /** In the unit of `prices`; undefined → no cost limit. */
  maxCost?: number;
  prices: { inputPer1M: number; outputPer1M: number };
}

export interface CallEstimate {
  inputTokens: number;
  outputTokens: number;
}

export interface WorkPlan {
  /** The first `stories` stories (in rank order) are analysed by the model. */
  stories: number;
  overview: 'full' | 'short' | 'none';
}

export function costOf(usage: CallEstimate, prices: Budget['prices']): number {
  return (usage.inputTokens * prices.inputPer1M + usage.outputTokens * prices.outputPer1M) / 1_000_000;
}

/** True when these calls, together, stay within every limit of the budget. */
export function fitsBudget(calls: readonly CallEstimate[], budget: Budget): boolean {
  const input = calls.reduce((sum, call) => sum + call.inputTokens, 0);
  const output = calls.reduce((sum, call) => sum + call.outputTokens, 0);
  if (input > budget.maxInputTokens || output > budget.maxOutputTokens) return false;
  if (
    budget.maxCost !== undefined &&
    costOf({ inputTokens: input, outputTokens: output }, budget.prices) > budget.maxCost
  )
    return false;
  return true;
}

export function planWork(
  stories: readonly CallEstimate[],
  overview: { full: CallEstimate; short: CallEstimate },
  budget: Budget,
): WorkPlan {
  const levels: [WorkPlan['overview'], CallEstimate[]][] = [
    ['full', [overview.full]],
    ['short', [overview.short]],
  ];
  for (const [level, overviewCalls] of levels) {
    for (let count = stories.length; count >= 0; count--) {
      if (fitsBudget([...overviewCalls, ...stories.slice(0, count)], budget))
        return { stories: count, overview: level };
    }
  }
  for (let count = stories.length; count >= 0; count--) {
    if (fitsBudget(stories.slice(0, count), budget)) return { stories: count, overview: 'none' };
  }
  return { stories: 0, overview: 'none' };
}

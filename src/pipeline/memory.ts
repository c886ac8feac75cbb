/**
 * Cross-day memory: a story already reported on an earlier day is not reported again, unless it has
 * gained a source since — then it comes back as an update.
 *
 * A story matches an earlier one when they share its story id, an item id, or an exact key
 * ("arxiv:…", "github:…", "hf:…", "hfbase:…", "url:…"; never the "near" marker and never `hfref:`,
 * which only points at a model). When several earlier reports match, their sources are pooled and the
 * latest report date is the one cited.
 */
import type { Story } from '../core/types.js';

/** What an earlier report kept about one story it showed. */
export interface ReportedStory {
  storyId: string;
  /** YYYY-MM-DD of that report. */
  reportDate: string;
  itemIds: string[];
  keys: string[];
  sourceIds: string[];
}

export interface MemoryOptions {
  /**
   * Today's report date: earlier reports dated on or after it are ignored, so that re-running a day
   * gives the same report instead of calling all of it "already reported".
   */
  reportDate?: string;
}

export interface MemoryResult {
  /** Never reported before. */
  fresh: Story[];
  /** Reported before and gained a source since (`updateOf` set). They stay in the ranking. */
  updates: Story[];
  /** Reported before with no new source: dropped and counted. */
  repeated: Story[];
  /** fresh and updates together, in the input (score) order. */
  kept: Story[];
}

function isMatchKey(key: string): boolean {
  return key !== 'near' && !key.startsWith('hfref:');
}

/** What earlier reports say of one of today's stories: never shown, shown and gained a source since, or shown. */
export type MemoryVerdict = 'fresh' | { updateOf: NonNullable<Story['updateOf']> } | 'repeated';

/** What memory reads of a story. */
export type RememberedStory = Pick<Story, 'id' | 'itemIds' | 'keys' | 'sourceIds'>;

/** A judge of today's stories by what earlier reports showed (see the module comment). */
export function storyMemory(
  reported: readonly ReportedStory[],
  options: MemoryOptions = {},
): (story: RememberedStory) => MemoryVerdict {
  const earlier = reported.filter((entry) => options.reportDate === undefined || entry.reportDate < options.reportDate);
  const byStoryId = new Map<string, ReportedStory[]>();
  const byItemId = new Map<string, ReportedStory[]>();
  const byKey = new Map<string, ReportedStory[]>();
  const index = (map: Map<string, ReportedStory[]>, key: string, entry: ReportedStory) => {
    const list = map.get(key);
    if (list) list.push(entry);
    else map.set(key, [entry]);
  };
  for (const entry of earlier) {
    index(byStoryId, entry.storyId, entry);
    for (const itemId of entry.itemIds) index(byItemId, itemId, entry);
    for (const key of entry.keys) if (isMatchKey(key)) index(byKey, key, entry);
  }
  return (story) => {
    if (earlier.length === 0) return 'fresh';
    const matches = new Set<ReportedStory>(byStoryId.get(story.id) ?? []);
    for (const itemId of story.itemIds) for (const entry of byItemId.get(itemId) ?? []) matches.add(entry);
    for (const key of story.keys) {
      if (!isMatchKey(key)) continue;
      for (const entry of byKey.get(key) ?? []) matches.add(entry);
    }
    if (matches.size === 0) return 'fresh';
    const previousSources = new Set<string>();
    let latestDate = '';
    for (const entry of matches) {
      for (const sourceId of entry.sourceIds) previousSources.add(sourceId);
      if (entry.reportDate > latestDate) latestDate = entry.reportDate;
    }
    if (story.sourceIds.some((sourceId) => !previousSources.has(sourceId))) {
      return { updateOf: { reportDate: latestDate, previousSourceIds: [...previousSources].sort() } };
    }
    return 'repeated';
  };
}

/** A story as memory keeps it: itself when fresh, an update when it gained a source; undefined when repeated. */
function keptAs(story: Story, verdict: MemoryVerdict): Story | undefined {
  if (verdict === 'repeated') return undefined;
  return verdict === 'fresh' ? story : { ...story, updateOf: verdict.updateOf };
}

/** Splits today's stories by what earlier reports showed. Input order is kept in every list. */
export function applyMemory(
  stories: readonly Story[],
  reported: readonly ReportedStory[],
  options: MemoryOptions = {},
): MemoryResult {
  const judge = storyMemory(reported, options);
  const result: MemoryResult = { fresh: [], updates: [], repeated: [], kept: [] };
  for (const story of stories) {
    const verdict = judge(story);
    const kept = keptAs(story, verdict);
    if (kept === undefined) result.repeated.push(story);
    else {
      (verdict === 'fresh' ? result.fresh : result.updates).push(kept);
      result.kept.push(kept);
    }
  }
  return result;
}

/** The stories memory keeps ({@link applyMemory}'s `kept`), read one at a time as they are asked for. */
export function* keptStories(
  stories: Iterable<Story>,
  judge: (story: RememberedStory) => MemoryVerdict,
): Generator<Story> {
  for (const story of stories) {
    const kept = keptAs(story, judge(story));
    if (kept !== undefined) yield kept;
  }
}

/**
 * Selection: the stories the report shows, in score order, within a total cap and per-section caps.
 */
import type { Section, Story } from '../core/types.js';

export interface SelectOptions {
  /** Most stories in the report. */
  maxStories: number;
  /** Most stories per section; sections not named here use `defaultSectionCap`. */
  sectionCaps?: Partial<Record<Section, number>>;
  defaultSectionCap: number;
}

/**
 * Walks the stories in the given (score) order and keeps each one that fits both its section's cap
 * and the total; the rest are `overCap`, also in order. Nothing is lost: selected + overCap = input.
 */
export function selectStories(
  stories: readonly Story[],
  options: SelectOptions,
): { selected: Story[]; overCap: Story[] } {
  const perSection = new Map<Section, number>();
  const selected: Story[] = [];
  const overCap: Story[] = [];
  const maxStories = Math.max(0, Math.floor(options.maxStories));
  for (const story of stories) {
    const cap = options.sectionCaps?.[story.section] ?? options.defaultSectionCap;
    const used = perSection.get(story.section) ?? 0;
    if (selected.length >= maxStories || used >= cap) {
      overCap.push(story);
      continue;
    }
    perSection.set(story.section, used + 1);
    selected.push(story);
  }
  return { selected, overCap };
}

/**
 * A digest's lead item joins its primary source's story.
 *
 * A digest post (「AI日报：A；B；C」, an outlet's daily roundup) retells several stories in one
 * item. When its lead headline (A) names the same versioned model as a story of the day from
 * another item — the lab's own post "Introducing Claude Opus 4.7" and the roundup's 「Claude Opus
 * 4. 7发布」 — the digest joins that story as one more source, so the story gains coverage and the
 * roundup is not a separate story retelling it. Only the lead joins: the other headlines of a
 * digest are often older news or background, and a digest joins at most one story.
 *
 * Model names are compared by family and version, spaces, hyphens and case left out ("Claude Opus
 * 4.7" = "claude-opus-4. 7"); a headline without a versioned model name joins nothing.
 */
import { VERSIONED_MODEL_MENTION } from '../core/ai-terms.js';
import type { PipelineItem } from '../core/types.js';
import type { Cluster } from './cluster.js';
import { digestHeadlines } from './news-value.js';

/** The versioned model names a text mentions, normalised: "Claude Opus 4. 7" → "claudeopus4.7". */
export function modelMentions(text: string): string[] {
  const joined = text.replace(/(\d)\.\s+(\d)/gu, '$1.$2');
  const found = new Set<string>();
  for (const match of joined.matchAll(VERSIONED_MODEL_MENTION)) {
    found.add(
      match[0]
        .toLowerCase()
        .replace(/[\s_-]+/g, '')
        .replace(/\.$/, ''),
    );
  }
  return [...found];
}

/**
 * Clusters with every digest cluster whose lead headline names a model that another (non-digest)
 * cluster's titles name merged into that cluster (its items appended, its keys added). Input order
 * is kept; a digest that matches no story, or several, stays as it was.
 */
export function joinDigestLeads(
  clusters: readonly Cluster[],
  itemsById: ReadonlyMap<string, Pick<PipelineItem, 'title'>>,
): Cluster[] {
  const titles = (cluster: Cluster) => cluster.itemIds.map((id) => itemsById.get(id)?.title ?? '');
  const digest = clusters.map((cluster) => titles(cluster).every((title) => digestHeadlines(title) !== undefined));
  // The models each digest's lead headline names; only those names are looked for in the other clusters.
  const leadNames = new Map<number, string[]>();
  for (const [index, cluster] of clusters.entries()) {
    if (!digest[index]) continue;
    const lead = digestHeadlines(titles(cluster)[0] ?? '')?.[0];
    const names = lead === undefined ? [] : modelMentions(lead);
    if (names.length > 0) leadNames.set(index, names);
  }
  const wanted = new Set([...leadNames.values()].flat());
  // The primary clusters that name each wanted model (a look-up per name, not a scan of every
  // cluster per digest); none is read on a day whose digests name no model (most days).
  const primariesByName = new Map<string, Cluster[]>();
  if (wanted.size > 0) {
    clusters.forEach((cluster, index) => {
      if (digest[index]) return;
      for (const name of new Set(modelMentions(titles(cluster).join('\n')))) {
        if (!wanted.has(name)) continue;
        const list = primariesByName.get(name);
        if (list) list.push(cluster);
        else primariesByName.set(name, [cluster]);
      }
    });
  }
  const joined = new Map<Cluster, Cluster[]>();
  const absorbed = new Set<Cluster>();
  for (const [index, names] of leadNames) {
    const cluster = clusters[index]!;
    const targets = new Set(names.flatMap((name) => primariesByName.get(name) ?? []));
    if (targets.size !== 1) continue;
    const target = [...targets][0]!;
    joined.set(target, [...(joined.get(target) ?? []), cluster]);
    absorbed.add(cluster);
  }
  const result: Cluster[] = [];
  for (const cluster of clusters) {
    if (absorbed.has(cluster)) continue;
    const digests = joined.get(cluster);
    if (!digests) {
      result.push(cluster);
      continue;
    }
    result.push({
      ...cluster,
      itemIds: [...cluster.itemIds, ...digests.flatMap((digest) => digest.itemIds)],
      keys: [...new Set([...cluster.keys, ...digests.flatMap((digest) => digest.keys)])],
    });
  }
  return result;
}

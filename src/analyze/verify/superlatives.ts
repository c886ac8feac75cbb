/**
 * Superlatives and firsts ("首个", "最大", "first", "state of the art", "record"): a claim of rank
 * that a sentence may make only when the cited text makes it too, in the same words or an
 * equivalent across languages (first = 首个 = 首次 = 第一; SOTA = state of the art = 最先进).
 *
 * Each claim belongs to a class; the class lists the sentence spellings that make the claim and the
 * excerpt spellings that support it (every sentence spelling is also an excerpt spelling). Words
 * that only look like a claim are left alone: "最新" (latest), "最高/最多" ("up to"), "首席"
 * (chief), "第一季度" (first quarter), "at first", "First," opening a list.
 *
 * Pure functions of the text.
 */

export interface SuperlativeClass {
  id: string;
  /** Finds the claim in a sentence (NFKC text as written). */
  claim: RegExp;
  /** Finds support for it in lower-cased excerpt text. */
  support: RegExp;
}

const FIRST_SUPPORT =
  /\bfirst\b|\bfirst-ever\b|\binaugural\b|\bdebut|首[个次款家位批创度部]|第一|率先|前所未有|\bnever before\b/u;

// biome-ignore format: a table reads better packed
export const SUPERLATIVE_CLASSES: readonly SuperlativeClass[] = [
  {
    id: 'first',
    claim: /首[个次款家位批创度部]|第一(?:个|款|家|次|位|名|批|部|例)|排名第一|\bfirst(?:-ever)?\b(?<!\bat\s+first)(?!\s*,)(?!-(?:party|person|hand|class|order|time|author)\b)(?!\s+(?:half|quarter|author|step|steps|look|glance|days?|weeks?|months?|round|part|phase|stage|of\s+(?:all|two|three|four|these|them|its|their)))/iu,
    support: FIRST_SUPPORT,
  },
  {
    id: 'largest',
    claim: /最大(?!化|程度|限度|的挑战|的问题|值)|\blargest\b|\bbiggest\b/iu,
    support: /最大|\blargest\b|\bbiggest\b|\blargest-ever\b|规模最|\bmost (?:parameters|extensive)\b/u,
  },
  {
    id: 'strongest',
    claim: /最强|\bstrongest\b|\bmost (?:powerful|capable)\b/iu,
    support: /最强|\bstrongest\b|\bmost (?:powerful|capable)\b|\bbest\b|最佳|最好|最优/u,
  },
  {
    id: 'fastest',
    claim: /最快|\bfastest\b/iu,
    support: /最快|\bfastest\b|\bquickest\b/u,
  },
  {
    id: 'best',
    claim: /最佳(?!实践)|最好(?!的办法|的方式)|最优|\bbest\b(?!\s+practices?)|\bbest-(?:performing|in-class)\b|\btop-performing\b/iu,
    support: /最佳|最好|最优|最强|\bbest\b|\btop[- ](?:performing|ranked|score)|\bhighest\b|最高|\bstate[- ]of[- ]the[- ]art\b|\bsota\b|\bleading\b|领先|\boutperform|\bsurpass|超越|超过|优于/u,
  },
  {
    id: 'sota',
    claim: /最先进|\bstate[- ]of[- ]the[- ]art\b|\bSOTA\b|\bmost advanced\b/iu,
    support: /最先进|最优|最佳|\bstate[- ]of[- ]the[- ]art\b|\bsota\b|\bmost advanced\b|\bcutting[- ]edge\b|\bfrontier\b|前沿|\bbest\b|\bleading\b|领先/u,
  },
  {
    id: 'leading',
    claim: /领先|\bleading\b(?!\s+to\b)|\bleaders?\b|\bleads\b(?!\s+to\b)/iu,
    support: /领先|领跑|\blead(?:s|ing|er|ers)?\b|\boutperform|\bsurpass|\bbeat|\bahead\b|\btop\b|超越|超过|优于|第一|最佳|最强|最优|最先进|\bbest\b|\bsota\b|\bstate[- ]of[- ]the[- ]art\b/u,
  },
  {
    id: 'exclusive',
    claim: /独家|\bexclusive(?:ly)?\b/iu,
    support: /独家|\bexclusive/u,
  },
  {
    id: 'history',
    claim: /史上|有史以来|历史最|\bever\b(?<!\bfirst-ever)(?!\s+since)|\bin history\b|\ball-time\b/iu,
    support: /史上|有史以来|历史|\bever\b|\bhistory\b|\ball-time\b|\brecord\b|纪录|前所未有|史无前例/u,
  },
  {
    id: 'record',
    claim: /纪录|记录新高|新高|\b(?:a|new|all-time|the|its|their)\s+record\b|\brecord[- ](?:high|low|breaking|setting)\b/iu,
    support: /纪录|新高|\brecord\b|\ball-time high\b|史上|有史以来/u,
  },
  {
    id: 'world',
    claim: /\bworld'?s\s+(?:first|largest|biggest|best|fastest|strongest|most|leading|top)\b|全球(?=首|第一|最|领先)|世界(?=首|第一|最|领先)/iu,
    support: /\bworld\b|\bworld's\b|\bglobal|全球|世界/u,
  },
  {
    id: 'unprecedented',
    claim: /前所未有|史无前例|\bunprecedented\b/iu,
    support: /前所未有|史无前例|\bunprecedented\b|\bnever before\b|\bfirst\b|首次/u,
  },
];

export interface SuperlativeClaim {
  id: string;
  /** As written in the sentence. */
  text: string;
  index: number;
}

/** The rank claims of a sentence, one per class (the first spelling found). */
export function superlativeClaims(text: string): SuperlativeClaim[] {
  const claims: SuperlativeClaim[] = [];
  for (const { id, claim } of SUPERLATIVE_CLASSES) {
    const match = claim.exec(text);
    if (match !== null) claims.push({ id, text: match[0], index: match.index });
  }
  return claims;
}

/** True when a lower-cased excerpt text makes the same claim. */
export function superlativeSupported(claim: SuperlativeClaim, lowerExcerpt: string): boolean {
  const found = SUPERLATIVE_CLASSES.find((entry) => entry.id === claim.id);
  return found === undefined || found.support.test(lowerExcerpt);
}

// The request bodies of the oversight routes, by name: the routes validate with them and the
// actions endpoints describe each open action with the same schema (as JSON Schema).
import { z } from 'zod';
import { RATINGS } from '@duban/domain';
import { TOPIC_SOURCES } from '@duban/workflows';
import { instant, itemsBody, lowerId, memberId, text } from '../use-cases/opinions';

const evidence = z.array(text(1, 2000)).max(20, 'at most 20 references');
const members = z.array(memberId).max(500, 'at most 500 members');
export const relatedBody = z
  .object({
    /** The review opinion (or resolution) whose unit part escalated to this step. */
    caseId: z.string().regex(/^(review-opinion|resolution)-\d{4}-\d{4,}$/, 'must be a review opinion or resolution id'),
    unit: lowerId,
  })
  .strict();

export const bodies = {
  // ---- review opinions and resolutions
  openReviewOpinion: z
    .object({
      jurisdiction: lowerId,
      /** The report the committee reviewed. */
      title: text(4, 200),
      content: text(2, 20000).optional(),
      items: itemsBody,
    })
    .strict(),
  itemFeedback: z.object({ progress: text(2, 20000), done: z.boolean(), evidence: evidence.optional() }).strict(),
  confirmItem: z.object({ confirm: z.boolean(), note: text(2), evidence: evidence.optional() }).strict(),
  submitReport: z.object({ summary: text(4, 50000) }).strict(),
  assessReport: z.object({ verdict: z.enum(['accepted', 'poor']) }).strict(),
  openVote: z.object({}).strict(),
  castVote: z.object({ vote: z.enum(RATINGS) }).strict(),
  ladderNote: z.object({ note: text(2) }).strict(),

  // ---- inquiry
  fileInquiry: z
    .object({
      jurisdiction: lowerId,
      /** The unit questioned. */
      unit: lowerId,
      subject: text(4, 200),
      content: text(10, 20000),
      /** The other members who sign it; the filer (the caller) signs first. */
      coSigners: members,
      related: relatedBody.optional(),
    })
    .strict(),
  decideInquiry: z.object({ mode: z.enum(['oral', 'written']), dueAt: instant.optional() }).strict(),
  inquiryReply: z.object({ summary: text(4, 50000) }).strict(),
  rateInquiry: z.object({ satisfied: z.boolean() }).strict(),

  // ---- investigation
  proposeInvestigation: z
    .object({
      jurisdiction: lowerId,
      question: text(4, 200),
      content: text(2, 20000).optional(),
      unit: lowerId.optional(),
      /** Members' proposals: the other proposers (the caller proposes first). */
      coProposers: members.optional(),
      related: relatedBody.optional(),
    })
    .strict(),
  decideInvestigation: z
    .object({ adopt: z.boolean(), committeeMembers: members.optional(), reportDueAt: instant.optional() })
    .strict(),
  investigationReport: z
    .object({
      summary: text(4, 50000),
      resolution: z
        .object({ title: text(4, 200), content: text(2, 20000).optional(), items: itemsBody })
        .strict()
        .optional(),
    })
    .strict(),

  // ---- the annual supervision plan
  startPlan: z.object({ jurisdiction: lowerId, year: z.number().int().min(2000).max(2100) }).strict(),
  proposeTopic: z
    .object({
      source: z.enum(TOPIC_SOURCES),
      sourceRef: text(1, 200).optional(),
      title: text(4, 200),
      unit: lowerId,
    })
    .strict(),
  adoptPlan: z
    .object({
      items: z
        .array(z.object({ topicId: text(1, 40), sessionAt: instant, weight: z.enum(['key', 'routine']) }).strict())
        .min(1)
        .max(200),
    })
    .strict(),
  itemReviewOpinion: z.object({ title: text(4, 200), content: text(2, 20000).optional(), items: itemsBody }).strict(),
};
